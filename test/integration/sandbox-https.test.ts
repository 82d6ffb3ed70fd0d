import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureSandboxCertificate } from '../../src/sandbox/entra/tls.js';
import { listenHttps } from '../../src/sandbox/https-server.js';

describe('the simulators’ HTTPS listener', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'proofup-https-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rejects a port that is taken instead of crashing the process, and the port can be tried again', async () => {
    const tls = await ensureSandboxCertificate(dir);
    const first = await listenHttps(tls, 0, (_req, res) => res.end('first'));
    const port = Number(new URL(first.url).port);
    await expect(listenHttps(tls, port, (_req, res) => res.end('second'))).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
    await first.stop();
    const again = await listenHttps(tls, port, (_req, res) => res.end('again'));
    expect(again.url).toBe(first.url);
    await again.stop();
  });
});
