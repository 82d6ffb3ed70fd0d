// Every relative link in the README and docs/ points at a file that exists, and every #anchor at a heading in it
// (GitHub's slugs: lower case, punctuation dropped, spaces as hyphens).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const pages = ['README.md', 'CHANGELOG.md', ...readdirSync(path.join(root, 'docs')).map((f) => `docs/${f}`)].filter(
  (p) => p.endsWith('.md'),
);

const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, 'utf8');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1] as string)));
}

describe('documentation links', () => {
  it.each(pages)('%s: every relative link and anchor resolves', (page) => {
    const file = path.join(root, page);
    const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
    const broken: string[] = [];
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const link = m[1] as string;
      if (/^[a-z]+:/i.test(link)) continue; // http(s), mailto: not checked offline
      const [target, anchor] = link.split('#') as [string, string | undefined];
      const resolved = target ? path.resolve(path.dirname(file), target) : file;
      if (!existsSync(resolved)) broken.push(`${link} (no such file)`);
      else if (anchor && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor))
        broken.push(`${link} (no such heading)`);
    }
    expect(broken).toEqual([]);
  });
});
