// deploy/grafana-dashboard.json asks only for what Proofup exports: every series a query names is one of the metrics
// registry's, every label it selects or groups by is one of that metric's labels (or Prometheus's own `instance`/`job`).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/metrics/metrics.js';
import { projectRoot } from '../../../src/paths.js';

const dashboard = JSON.parse(readFileSync(path.join(projectRoot(), 'deploy', 'grafana-dashboard.json'), 'utf8')) as {
  panels: { title: string; targets: { expr: string }[] }[];
};
const exported = new Map(
  new Metrics().registry
    .getMetricsAsArray()
    .map((m) => [
      (m as unknown as { name: string }).name,
      new Set([...((m as unknown as { labelNames: string[] }).labelNames ?? []), 'instance', 'job']),
    ]),
);
const queries = dashboard.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, expr: t.expr })));

describe('the Grafana dashboard', () => {
  it('has queries', () => {
    expect(queries.length).toBeGreaterThanOrEqual(8);
  });

  it.each(queries)('$panel: names only series Proofup exports, with their labels', ({ expr }) => {
    const series = [...expr.matchAll(/\b(proofup_[a-z_]+)(\{[^}]*\})?/g)];
    expect(series.length).toBeGreaterThan(0);
    for (const [, name, selector] of series) {
      expect([...exported.keys()]).toContain(name);
      const labels = exported.get(name as string) as Set<string>;
      for (const [, label] of (selector ?? '').matchAll(/([a-z_]+)\s*[=!~]+/g)) expect([...labels]).toContain(label);
      for (const [, list] of expr.matchAll(/\bby \(([^)]*)\)/g))
        for (const label of (list as string).split(',').map((l) => l.trim())) expect([...labels]).toContain(label);
    }
  });
});
