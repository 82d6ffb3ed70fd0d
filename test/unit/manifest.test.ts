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
    ).toEqual(['color.png', 'manifest.json', 'outline.png']);
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
