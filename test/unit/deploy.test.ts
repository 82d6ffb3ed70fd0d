// Docker is not on every machine: the deployment files are checked by reading them. The two-instance behaviour
// itself (shared Blob storage, leases, exactly-once) is the fault suite's job.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { projectRoot } from '../../src/paths.js';

const root = projectRoot();
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const compose = parse(readFileSync(path.join(root, 'deploy', 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      image?: string;
      build?: string;
      environment?: Record<string, string>;
      depends_on?: string[];
      ports?: string[];
      volumes?: string[];
    }
  >;
};

describe('Dockerfile', () => {
  it('every base image is pinned to an exact version (or a digest)', () => {
    const bases = instructions.filter((l) => /^FROM /i.test(l)).map((l) => l.split(/\s+/)[1] ?? '');
    expect(bases.length).toBeGreaterThan(0);
    for (const image of bases) expect(image).toMatch(/@sha256:[0-9a-f]{64}$|:\d+\.\d+\.\d+(-[\w.-]+)?$/);
  });

  it('the final stage runs as a non-root user, in the production profile, from the compiled build', () => {
    const final = instructions.slice(instructions.map((l) => /^FROM /i.test(l)).lastIndexOf(true));
    const user = final.filter((l) => /^USER /i.test(l)).pop();
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER\s+(root|0)(:|$)/i);
    expect(final.join('\n')).toMatch(/PROOFUP_PROFILE=production/);
    expect(final.find((l) => /^CMD /i.test(l))).toMatch(/dist\/src\/index\.js/);
    expect(dockerfile).toMatch(/rm -rf dist\/src\/sandbox/); // the sandbox never ships
  });

  it('has a HEALTHCHECK on /readyz', () => {
    expect(instructions.find((l) => /^HEALTHCHECK /i.test(l))).toMatch(/\/readyz/);
  });
});

describe('deploy/compose.yaml', () => {
  const services = compose.services;
  const proofups = Object.entries(services).filter(([, s]) => s.build !== undefined);

  it('runs two Proofup instances on shared Blob storage (Azurite) behind a load balancer', () => {
    expect(proofups).toHaveLength(2);
    for (const [, s] of proofups) {
      expect(s.environment?.STORAGE).toBe('blob');
      expect(s.depends_on).toContain('azurite');
    }
    expect(services.azurite?.image).toMatch(/^mcr\.microsoft\.com\/azure-storage\/azurite:\d+\.\d+\.\d+$/);
    const lb = Object.values(services).find((s) => (s.depends_on ?? []).length === 2 && s.ports?.length);
    expect(lb?.depends_on?.sort()).toEqual(proofups.map(([name]) => name).sort());
    const nginx = readFileSync(path.join(root, 'deploy', 'nginx.conf'), 'utf8');
    for (const [name] of proofups) expect(nginx).toContain(`server ${name}:3978`);
  });

  it('holds no secret: every sensitive value is a variable reference taken from .env', () => {
    for (const [, s] of Object.entries(services)) {
      for (const [name, value] of Object.entries(s.environment ?? {})) {
        if (/PASSWORD|SECRET|KEY|TOKEN|CONNECTION_STRING/i.test(name))
          expect(value, name).toMatch(/^\$\{[A-Z_]+(:\?[^}]*)?\}$/);
      }
    }
    expect(readFileSync(path.join(root, 'deploy', 'compose.yaml'), 'utf8')).not.toMatch(
      /AccountKey=|accesskey=|Eby8vdM02xNOcqF/i,
    );
  });
});
