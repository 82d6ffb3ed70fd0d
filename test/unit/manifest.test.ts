import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import AdmZip from 'adm-zip';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { pngInfo, renderManifest } from '../../scripts/teams-manifest.js';
import { projectRoot } from '../../src/paths.js';
import { recognize } from '../../src/recognizer/intent-recognizer.js';

const root = projectRoot();
const manifestDir = path.join(root, 'manifest');
const sample = {
  botId: '5f2d0d4e-3c8b-4a8e-9c1d-2b7a6e0f1a01',
  teamsAppId: '9b8c7d6e-5f4a-4b3c-8d2e-1f0a9b8c7d6e',
  publicHost: 'proofup.contoso.com',
  version: '1.2.3',
};

function teamsSchema(version: string): object {
  const file = require.resolve(
    `@microsoft/app-manifest/build/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`,
  );
  return JSON.parse(readFileSync(file, 'utf8'));
}

// Both packages are CommonJS that set exports.default; under NodeNext the default import is module.exports.
const require = createRequire(import.meta.url);
const Ajv = AjvDraft04.default;
const addFormats = ajvFormats.default;

function validator(version: string) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(teamsSchema(version));
}

describe('Teams app manifest', () => {
  const manifest = renderManifest(manifestDir, sample) as Record<string, unknown> & { manifestVersion: string };

  it('validates against the official Teams manifest JSON schema of its version, offline', () => {
    const validate = validator(manifest.manifestVersion);
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check is not a rubber stamp: a broken manifest is refused', () => {
    const validate = validator(manifest.manifestVersion);
    expect(validate({ ...manifest, id: 'not-a-guid', accentColor: 'blue' })).toBe(false);
  });

  it('offers the bot in personal, team and groupChat scopes and lists commands', () => {
    const bot = (manifest.bots as { botId: string; scopes: string[]; commandLists: unknown[] }[])[0];
    expect(bot?.botId).toBe(sample.botId);
    expect(bot?.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(bot?.commandLists.length).toBeGreaterThan(0);
    expect(manifest.validDomains).toEqual(['proofup.contoso.com']);
    // The bot installs itself for a person (helpdesk handoff): Graph needs the app's Entra id in the manifest.
    expect(manifest.webApplicationInfo).toEqual({
      id: sample.botId,
      resource: `api://proofup.contoso.com/${sample.botId}`,
    });
  });

  const localized = ['de', 'es', 'fr'] as const;

  it('lists a localization file for German, Spanish and French, each valid against the Teams localization schema', () => {
    const info = manifest.localizationInfo as { defaultLanguageTag: string; additionalLanguages: { file: string }[] };
    expect(info.defaultLanguageTag).toBe('en');
    expect(info.additionalLanguages.map((l) => l.file)).toEqual(localized.map((l) => `${l}.json`));
    // The localization schema's patterns are not valid in Unicode mode (a "\\b" inside brackets).
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const file = require.resolve(
      `@microsoft/app-manifest/build/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.Localization.schema.json`,
    );
    const validate = ajv.compile(JSON.parse(readFileSync(file, 'utf8')));
    for (const lang of localized) {
      const strings = JSON.parse(readFileSync(path.join(manifestDir, `${lang}.json`), 'utf8'));
      expect(validate(strings), `${lang}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(validate({ ...strings, 'name.short': 'x'.repeat(31) })).toBe(false); // not a rubber stamp
    }
  });

  it('every localized string names a manifest entry that exists, and every command is translated', () => {
    const bots = manifest.bots as { commandLists: { commands: { title: string }[] }[] }[];
    const commandKeys = (bots[0]?.commandLists ?? []).flatMap((list, li) =>
      list.commands.flatMap((_, ci) => [
        `bots[0].commandLists[${li}].commands[${ci}].title`,
        `bots[0].commandLists[${li}].commands[${ci}].description`,
      ]),
    );
    for (const lang of localized) {
      const strings = JSON.parse(readFileSync(path.join(manifestDir, `${lang}.json`), 'utf8'));
      const keys = Object.keys(strings).filter((k) => k !== '$schema');
      expect(keys.sort()).toEqual(
        ['name.short', 'name.full', 'description.short', 'description.full', ...commandKeys].sort(),
      );
    }
  });

  it('a translated command, when sent, is understood by the bot (in its language)', () => {
    for (const lang of localized) {
      const strings = JSON.parse(readFileSync(path.join(manifestDir, `${lang}.json`), 'utf8'));
      const change = recognize(strings['bots[0].commandLists[0].commands[0].title']);
      expect(change, lang).toMatchObject({ intent: 'changeSecurityInfo', language: lang, languageSure: true });
      const office = recognize(strings['bots[0].commandLists[0].commands[1].title']);
      expect(office, lang).toMatchObject({ intent: 'changeSecurityInfo', action: 'add', phone: 'office' });
      const setDefault = recognize(strings['bots[0].commandLists[0].commands[2].title']);
      expect(setDefault, lang).toMatchObject({ intent: 'changeSecurityInfo', action: 'setDefault' });
      expect(recognize(strings['bots[0].commandLists[0].commands[3].title']).intent, lang).toBe('help');
    }
  });

  it('has a 192x192 colour icon and a 32x32 transparent outline icon', () => {
    expect(pngInfo(path.join(manifestDir, 'color.png'))).toMatchObject({ width: 192, height: 192 });
    expect(pngInfo(path.join(manifestDir, 'outline.png'))).toEqual({ width: 32, height: 32, hasAlpha: true });
  });

  it('npm run package writes a zip with ids filled from config', () => {
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/package-teams-app.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        MicrosoftAppId: sample.botId,
        TEAMS_APP_ID: sample.teamsAppId,
        PUBLIC_BASE_URL: `https://${sample.publicHost}`,
        TEAMS_APP_VERSION: '1.2.3',
      },
    });
    const zip = new AdmZip(path.join(root, 'build', 'proofup-teams-app.zip'));
    expect(
      zip
        .getEntries()
        .map((e) => e.entryName)
        .sort(),
    ).toEqual(['color.png', 'de.json', 'es.json', 'fr.json', 'manifest.json', 'outline.png']);
    const packaged = JSON.parse(zip.readAsText('manifest.json'));
    expect(packaged).toEqual(manifest);
  });

  it('npm run package without a bot id names what is missing', () => {
    let stderr = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'scripts/package-teams-app.ts'], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '' },
        stdio: 'pipe',
      });
    } catch (err) {
      stderr = String((err as { stderr: Buffer }).stderr);
    }
    expect(stderr).toContain('MicrosoftAppId is required');
    expect(stderr).toContain('PUBLIC_BASE_URL is required');
  });
});
