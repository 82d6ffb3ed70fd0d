import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PackagingConfig } from '../src/config-packaging.js';

/** Files packaged next to manifest.json: the icons and one localization file per extra language. */
export const MANIFEST_FILES = ['color.png', 'outline.png', 'de.json', 'es.json', 'fr.json'] as const;

/** Fills manifest/manifest.template.json with the ids and host from configuration; refuses leftovers. */
export function renderManifest(manifestDir: string, config: PackagingConfig): object {
  const template = readFileSync(path.join(manifestDir, 'manifest.template.json'), 'utf8');
  const values: Record<string, string> = {
    botId: config.botId,
    teamsAppId: config.teamsAppId,
    publicHost: config.publicHost,
    version: config.version,
  };
  const filled = template.replace(/\{\{(\w+)\}\}/g, (match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`manifest template uses unknown placeholder ${match}`);
    return value;
  });
  return JSON.parse(filled) as object;
}

/** Width and height from a PNG's IHDR chunk, and whether it has an alpha channel. */
export function pngInfo(file: string): { width: number; height: number; hasAlpha: boolean } {
  const data = readFileSync(file);
  if (data.subarray(1, 4).toString('latin1') !== 'PNG') throw new Error(`${file} is not a PNG`);
  const colorType = data.readUInt8(25);
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20), hasAlpha: colorType === 4 || colorType === 6 };
}
