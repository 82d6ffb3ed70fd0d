// The compiled production artifact (tsc output run by plain node, no tsx) starts, serves and stops cleanly.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';

const root = projectRoot();
const outDir = path.join(root, 'build', 'test-dist');

describe('production build', () => {
  it('compiles, starts under plain node without src/sandbox, answers /healthz, refuses anonymous activities, stops on SIGTERM', async () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: root });
    // The sandbox must never be loaded in production: ship the build without it, as an image would.
    rmSync(path.join(outDir, 'src', 'sandbox'), { recursive: true, force: true });
    const data = mkdtempSync(path.join(os.tmpdir(), 'proofup-prod-'));
    const child = spawn(process.execPath, ['--disable-warning=DEP0111', path.join(outDir, 'src', 'index.js')], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        PROOFUP_PROFILE: 'production',
        MicrosoftAppId: '5f2d0d4e-3c8b-4a8e-9c1d-2b7a6e0f1a01',
        MicrosoftAppPassword: 'not-used-offline',
        MicrosoftAppType: 'MultiTenant',
        ENTRA_TENANT_ID: '7a1b2c3d-0000-4000-8000-00000000c0de',
        PUBLIC_BASE_URL: 'https://proofup.offline.test',
        STEP_UP_AUTH_CONTEXT: 'c1',
        ACS_CONNECTION_STRING: 'endpoint=https://acs.offline.test/;accesskey=b2ZmbGluZQ==',
        SMS_FROM: '+18005550100',
        EMAIL_FROM: 'proofup@contoso.test',
        OFFICE_PHONE_POLICY: 'directory',
        PHONE_HASH_KEY: 'test-phone-hash-key-0123456789abcdef0123456789',
        HOST: '127.0.0.1',
        PORT: '0',
        SQLITE_PATH: path.join(data, 'state.db'),
        AUDIT_SQLITE_PATH: path.join(data, 'audit.db'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listen line:\n${output}`)), 20_000);
      const poll = setInterval(() => {
        const found = /listening on (http:\/\/127\.0\.0\.1:\d+)\/api\/messages/.exec(output)?.[1];
        if (found) {
          clearInterval(poll);
          clearTimeout(timer);
          resolve(found);
        }
      }, 50);
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(
      (
        await fetch(`${url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"type":"message"}',
        })
      ).status,
    ).toBe(401);
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(output).toContain('"msg":"stopped"');
    // It compiles the whole project first (tsc, ~10 s alone, twice that beside the other test files in CI).
  }, 90_000);
});
