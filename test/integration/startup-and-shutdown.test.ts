import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { startTestBot } from '../helpers/test-bot.js';

function runIndex(env: Record<string, string>): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'index.ts')], {
    cwd: projectRoot(),
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr, ms: Date.now() - started })));
}

describe('startup', () => {
  it('production with no variables exits non-zero within 2 s and names every required variable', async () => {
    const { code, stderr, ms } = await runIndex({ PROOFUP_PROFILE: 'production' });
    expect(code).toBe(78);
    expect(ms).toBeLessThan(2000);
    for (const name of [
      'MicrosoftAppId',
      'MicrosoftAppPassword',
      'MicrosoftAppType',
      'ENTRA_TENANT_ID',
      'PUBLIC_BASE_URL',
      'STEP_UP_AUTH_CONTEXT',
    ]) {
      expect(stderr).toContain(`${name} is required`);
    }
  });

  it('a second process on the same SQLite file exits 73 with a clear message, before binding any port', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const os = await import('node:os');
    const { SqliteStorage } = await import('../../src/storage/sqlite-storage.js');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'proofup-lock-'));
    const held = new SqliteStorage(path.join(dir, 'proofup.db')); // "the first instance"
    const { code, stderr } = await runIndex({
      PROOFUP_PROFILE: 'sandbox',
      PLAYGROUND: 'off',
      SQLITE_PATH: path.join(dir, 'proofup.db'),
      AUDIT_SQLITE_PATH: path.join(dir, 'audit.db'),
    });
    await held.close();
    rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(73);
    expect(stderr).toMatch(/PROOFUP_STORAGE_LOCKED: another process is using .*proofup\.db/);
    expect(stderr).toContain('STORAGE=blob');
  });

  it('NODE_ENV=production never falls back to the anonymous sandbox', async () => {
    const { code, stderr } = await runIndex({ NODE_ENV: 'production' });
    expect(code).toBe(78);
    expect(stderr).toContain('MicrosoftAppId is required');
  });

  it('invalid values are named with what is wrong, secrets are not echoed', async () => {
    const { code, stderr } = await runIndex({
      PROOFUP_PROFILE: 'production',
      MicrosoftAppId: 'not-a-guid',
      MicrosoftAppType: 'MultiTenant',
      MicrosoftAppPassword: 'hunter2-secret',
      ENTRA_TENANT_ID: '7a1b2c3d-0000-4000-8000-00000000c0de',
      PUBLIC_BASE_URL: 'http://insecure.example',
      STEP_UP_AUTH_CONTEXT: 'c1',
      ToBotFromChannelTokenIssuer: 'https://issuer.example',
    });
    expect(code).toBe(78);
    expect(stderr).toContain('MicrosoftAppId must be a GUID');
    expect(stderr).toContain('PUBLIC_BASE_URL must be an https:// URL');
    expect(stderr).toContain('ToBotFromChannelOpenIdMetadataUrl is required when any channel-endpoint override is set');
    expect(stderr).not.toContain('hunter2-secret');
  });
});

describe('graceful shutdown', () => {
  it('stops accepting, lets the turn in flight finish, then closes storage', async () => {
    const bot = await startTestBot();
    bot.connector.delayMs = 600;
    const conversation = { id: 'a:shutdown', conversationType: 'personal', isGroup: false, name: '' };
    const inFlight = bot.send(bot.activity({ text: 'change my MFA phone', conversation }));
    await new Promise((r) => setTimeout(r, 200));
    const closing = bot.app.close();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(bot.connector.activities('a:shutdown')).toHaveLength(1);
    await closing;
    await expect(fetch(`${bot.url}/healthz`)).rejects.toThrow();
    await expect(bot.app.storage.ping()).rejects.toThrow();
    await bot.close();
  });

  it('while draining: /readyz is 503 first and new requests get 503 with Retry-After (never a reset)', async () => {
    const bot = await startTestBot({ env: { SHUTDOWN_READY_DELAY_MS: '800' } });
    bot.connector.delayMs = 600;
    const conversation = { id: 'a:draining', conversationType: 'personal', isGroup: false, name: '' };
    const inFlight = bot.send(bot.activity({ text: 'change my MFA phone', conversation }));
    await new Promise((r) => setTimeout(r, 200));
    const closing = bot.app.close();
    const ready = await fetch(`${bot.url}/readyz`);
    expect(ready.status).toBe(503);
    const late = await bot.send(bot.activity({ text: 'help', conversation: { ...conversation, id: 'a:late' } }));
    expect(late.status).toBe(503);
    expect(late.headers.get('retry-after')).toBe('5');
    expect(bot.connector.activities('a:late')).toHaveLength(0); // not processed: another instance will take it
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200); // still alive while draining
    expect((await inFlight).status).toBe(200); // the turn already running finished
    await closing;
    await expect(fetch(`${bot.url}/readyz`)).rejects.toThrow();
    await bot.close();
  });
});
