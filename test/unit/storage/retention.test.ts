// docs/operations.md's storage table and the sweep's list (retention.ts) must not drift apart.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RETENTION } from '../../../src/retention.js';

const readme = readFileSync(new URL('../../../docs/operations.md', import.meta.url), 'utf8');

describe('retention', () => {
  it.each(RETENTION.map((r) => [r.prefix, r]))('docs/operations.md states what %s holds and when it goes', (prefix) => {
    expect(readme).toMatch(new RegExp(`\\| \`${prefix.replace(/\//g, '\\/')}\` \\|`));
  });
});
