// DESIGN §2 as a test: the flow core is pure and channel-neutral; transports stay in their layers; configuration is
// read in one place. Reads every import in src/ (static and dynamic).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/paths.js';

const src = path.join(projectRoot(), 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
}

const all = files(src).map((file) => {
  const text = readFileSync(file, 'utf8');
  const statements = [...text.matchAll(/^\s*(import|export)(\s+type)?[^;'"`]*?from\s+['"]([^'"]+)['"]/gm)];
  const dynamic = [...text.matchAll(/import\s*\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] as string);
  const imports = [...statements.map((m) => m[3] as string), ...dynamic];
  // `import type` is erased at compile time: it loads nothing at run time.
  const valueImports = [...statements.filter((m) => !m[2]).map((m) => m[3] as string), ...dynamic];
  return { rel: path.relative(src, file).split(path.sep).join('/'), text, imports, valueImports };
});

const importing = (pattern: RegExp) => all.filter((f) => f.valueImports.some((i) => pattern.test(i))).map((f) => f.rel);

describe('import rules', () => {
  it('reads some source', () => {
    expect(all.length).toBeGreaterThan(50);
  });

  it('src/flow imports no botbuilder, restify, adaptivecards, Bolt or network/file I/O', () => {
    const flow = all.filter((f) => f.rel.startsWith('flow/'));
    expect(flow.length).toBeGreaterThanOrEqual(5);
    const forbidden =
      /^(botbuilder|botframework-|restify|adaptivecards|@slack\/|node:(http|https|net|fs|child_process))/;
    const offenders = flow.flatMap((f) => f.imports.filter((i) => forbidden.test(i)).map((i) => `${f.rel} → ${i}`));
    expect(offenders).toEqual([]);
  });

  it('src/flow never reads the clock or the environment itself', () => {
    const offenders = all
      .filter((f) => f.rel.startsWith('flow/') && /Date\.now\(\)|new Date\(\)|process\.env|Math\.random/.test(f.text))
      .map((f) => f.rel);
    expect(offenders).toEqual([]);
  });

  it('src/flow imports only the pure parts of the other modules', () => {
    const allowed =
      /^(\.\/|\.\.\/(graph\/(auth-methods|planner|plan-executor|graph-error)|phone\/[\w-]+|readiness\/[\w-]+|possession\/one-time-codes|mask|time|audit\/audit-log|i18n\/i18n)\.js$|libphonenumber-js)/;
    const flow = all.filter((f) => f.rel.startsWith('flow/'));
    const offenders = flow.flatMap((f) => f.imports.filter((i) => !allowed.test(i)).map((i) => `${f.rel} → ${i}`));
    expect(offenders).toEqual([]);
  });

  it('botbuilder is loaded only by bot/, channels/, http/, dialogs/, cards/ and the wiring (others: types only)', () => {
    const offenders = importing(/^(botbuilder|botframework-)/).filter(
      (f) => !/^(bot|channels|http|dialogs|cards)\//.test(f) && f !== 'app.ts',
    );
    expect(offenders).toEqual([]);
  });

  it('restify is imported only in src/http (and the wiring)', () => {
    expect(importing(/^restify/).filter((f) => !f.startsWith('http/') && f !== 'app.ts')).toEqual([]);
  });

  it('process.env is read only in src/config.ts', () => {
    expect(all.filter((f) => /process\.env\b/.test(f.text) && f.rel !== 'config.ts').map((f) => f.rel)).toEqual([]);
  });

  it('production code never imports src/sandbox statically', () => {
    const offenders = all
      .filter((f) => !f.rel.startsWith('sandbox/'))
      .filter((f) => [...f.text.matchAll(/from\s+['"]([^'"]*sandbox\/[^'"]*)['"]/g)].length > 0)
      .map((f) => f.rel);
    expect(offenders).toEqual([]);
  });
});
