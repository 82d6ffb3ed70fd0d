// npm run package: writes build/proofup-teams-app.zip (manifest.json + icons) with ids filled from configuration.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { ConfigError } from '../src/config.js';
import { loadPackagingConfig } from '../src/config-packaging.js';
import { projectRoot } from '../src/paths.js';
import { MANIFEST_FILES, renderManifest } from './teams-manifest.js';

try {
  const config = loadPackagingConfig(process.env);
  const root = projectRoot();
  const manifestDir = path.join(root, 'manifest');
  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(`${JSON.stringify(renderManifest(manifestDir, config), null, 2)}\n`));
  for (const file of MANIFEST_FILES) zip.addLocalFile(path.join(manifestDir, file));
  const out = path.join(root, 'build', 'proofup-teams-app.zip');
  mkdirSync(path.dirname(out), { recursive: true });
  zip.writeZip(out);
  process.stdout.write(
    `Wrote ${path.relative(root, out)} (bot ${config.botId}, app ${config.teamsAppId}, host ${config.publicHost})\n`,
  );
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`Cannot package the Teams app. ${err.message}\n`);
  process.exit(78);
}
