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

// The graph of run-time imports (static value imports; `import type` loads nothing), relative ones resolved to files.
const byRel = new Map(all.map((f) => [f.rel, f]));
const staticValueImports = (f: (typeof all)[number]) =>
  [...f.text.matchAll(/^\s*(import|export)(?!\s+type\b)[^;'"`]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[2] as string);
function resolve(fromRel: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return path.posix.normalize(path.posix.join(path.posix.dirname(fromRel), spec)).replace(/\.js$/, '.ts');
}
/** Every file and every package reachable at run time from `roots` (static imports only). */
function reachable(roots: string[]): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>(); // package → the file that imports it
  const queue = [...roots];
  while (queue.length) {
    const rel = queue.pop() as string;
    if (files.has(rel)) continue;
    files.add(rel);
    const file = byRel.get(rel);
    if (!file) continue;
    for (const spec of staticValueImports(file)) {
      const target = resolve(rel, spec);
      if (target) queue.push(target);
      else if (!packages.has(spec)) packages.set(spec, rel);
    }
  }
  return { files, packages };
}

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
      /^(\.\/|\.\.\/(graph\/(auth-methods|planner|plan-progress|graph-error)|phone\/[\w-]+|readiness\/[\w-]+|possession\/code-check|mask|time|audit\/audit-log|i18n\/i18n)\.js$|libphonenumber-js)/;
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

  it('nothing reachable at run time from src/flow does I/O or reads the clock, the environment or randomness', () => {
    const { files, packages } = reachable(all.filter((f) => f.rel.startsWith('flow/')).map((f) => f.rel));
    const io =
      /^(botbuilder|botframework-|restify|adaptivecards|@slack\/|@azure\/|better-sqlite3|pino|prom-client|node:(http|https|net|fs|fs\/promises|child_process|dns|tls|dgram))/;
    // The one exception: the message catalogue is read from locales/ once, when i18n.ts is loaded (data shipped with
    // the code; no call into the flow ever touches a file).
    const loadsCatalogue = (pkg: string, by: string) => by === 'i18n/i18n.ts' && pkg === 'node:fs';
    expect(
      [...packages]
        .filter(([pkg, by]) => io.test(pkg) && !loadsCatalogue(pkg, by))
        .map(([pkg, by]) => `${by} → ${pkg}`),
    ).toEqual([]);
    const impure = [...files].filter((rel) =>
      /Date\.now\(\)|new Date\(\)|process\.env|Math\.random|randomInt\(/.test(byRel.get(rel)?.text ?? ''),
    );
    expect(impure).toEqual([]);
    expect(files.size).toBeGreaterThan(10);
  });

  it('the folders of src/ (each root module counted as its own) form no cycle — type imports included', () => {
    // A folder is a layer: if A imports B (even a type), B never imports A, directly or through others. Reported as
    // the strongly connected groups of folders, each with the imports that close it.
    const unit = (rel: string) => (rel.includes('/') ? (rel.split('/')[0] as string) : rel.replace(/\.ts$/, ''));
    const edges = new Map<string, Map<string, string>>();
    for (const f of all)
      for (const spec of f.imports) {
        const target = resolve(f.rel, spec);
        if (!target || unit(target) === unit(f.rel)) continue;
        const from = edges.get(unit(f.rel)) ?? new Map<string, string>();
        if (!from.has(unit(target))) from.set(unit(target), `${f.rel} → ${target}`);
        edges.set(unit(f.rel), from);
      }
    const order = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const groups: string[][] = [];
    const visit = (v: string) => {
      order.set(v, order.size);
      low.set(v, order.get(v) as number);
      stack.push(v);
      for (const w of edges.get(v)?.keys() ?? []) {
        if (!order.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
        } else if (stack.includes(w)) low.set(v, Math.min(low.get(v) as number, order.get(w) as number));
      }
      if (low.get(v) !== order.get(v)) return;
      const group: string[] = [];
      for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) group.push(w);
      if (group.length > 1) groups.push(group);
    };
    for (const v of edges.keys()) if (!order.has(v)) visit(v);
    const closing = groups.map((g) =>
      g.flatMap((a) => g.filter((b) => edges.get(a)?.has(b)).map((b) => edges.get(a)?.get(b) as string)),
    );
    expect(closing).toEqual([]);
    expect(edges.size).toBeGreaterThan(20);
  });

  it('the channels never reach each other (shared parts live in src/channels/*.ts)', () => {
    const reach = (dir: string) => reachable(all.filter((f) => f.rel.startsWith(dir)).map((f) => f.rel)).files;
    expect([...reach('channels/slack/')].filter((rel) => rel.startsWith('channels/teams/'))).toEqual([]);
    expect([...reach('channels/teams/')].filter((rel) => rel.startsWith('channels/slack/'))).toEqual([]);
  });

  it("Slack never reaches Teams' conversation modules (dialogs/ take a Bot Framework turn); both use helpdesk/, flow/", () => {
    const { files } = reachable(all.filter((f) => f.rel.startsWith('channels/slack/')).map((f) => f.rel));
    expect([...files].filter((rel) => rel.startsWith('dialogs/') || rel.startsWith('bot/'))).toEqual([]);
  });

  it('the production build never reaches src/sandbox (index.ts loads it dynamically, in the sandbox profile only)', () => {
    const { files } = reachable(['index.ts', 'app.ts']);
    expect(files.has('app.ts')).toBe(true);
    expect([...files].filter((rel) => rel.startsWith('sandbox/'))).toEqual([]);
  });

  it('production code never imports src/sandbox statically', () => {
    const offenders = all
      .filter((f) => !f.rel.startsWith('sandbox/'))
      .filter((f) => [...f.text.matchAll(/from\s+['"]([^'"]*sandbox\/[^'"]*)['"]/g)].length > 0)
      .map((f) => f.rel);
    expect(offenders).toEqual([]);
  });
});
