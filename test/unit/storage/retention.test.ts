// docs/operations.md's storage table and the sweep's list (retention.ts) must not drift apart; and every kind of record
// the code writes must have a lifetime (or be kept on purpose) — a store added without one fails here, as the
// campaign records once did (they were kept for ever).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEPT, RETENTION } from '../../../src/retention.js';

const operations = readFileSync(new URL('../../../docs/operations.md', import.meta.url), 'utf8');
const srcDir = new URL('../../../src/', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'sandbox' ? [] : sources(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** The key prefixes the code writes: record stores, window counters, created keys. */
function writtenPrefixes(): Map<string, string> {
  const found = new Map<string, string>();
  const patterns = [
    /new RecordStore(?:<[^>]*>)?\(\s*[\w.]+,\s*['`]([a-z][a-z/-]*)/g,
    /new WindowCounter\(\s*[\w.]+,\s*'([a-z][a-z/-]*)'/g,
    /\.create\(\s*`([a-z][a-z/-]*)/g,
    /PREFIX = '([a-z][a-z/-]*)'/g,
    /return `(seen)\//g,
  ];
  for (const file of sources(srcDir)) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns)
      for (const m of text.matchAll(pattern))
        found.set(`${(m[1] as string).replace(/\/$/, '')}/`, path.relative(srcDir, file));
  }
  return found;
}

describe('retention', () => {
  it.each(RETENTION.map((r) => [r.prefix, r]))('docs/operations.md states what %s holds and when it goes', (prefix) => {
    expect(operations).toMatch(new RegExp(`\\| \`${prefix.replace(/\//g, '\\/')}\` \\|`));
  });

  it('every kind of record the code writes has a lifetime, or is kept on purpose', () => {
    const written = writtenPrefixes();
    expect(written.size).toBeGreaterThan(15); // the scan finds the stores (it found 0 once its patterns were wrong)
    const known = [...RETENTION.map((r) => r.prefix), ...KEPT];
    const missing = [...written].filter(([prefix]) => !known.some((k) => prefix.startsWith(k)));
    expect(missing).toEqual([]);
  });
});
