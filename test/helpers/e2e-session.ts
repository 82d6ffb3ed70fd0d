// One `npm start` sandbox and one Chromium page per e2e file, trusted to the sandbox certificate; torn down with a
// check that the sandbox shut down cleanly and printed no raw number or token.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { HttpsClient } from '../../src/identity/https-client.js';
import { projectRoot } from '../../src/paths.js';
import type { OutboxItem } from '../../src/sandbox/outbox/outbox.js';
import { launchBrowser, trustCertificateArg } from './browser.js';
import { leakingLines } from './leak-scan.js';
import { type SandboxProcess, startSandboxProcess } from './sandbox-process.js';

export interface E2eSession {
  sandbox: SandboxProcess;
  page: Page;
  /** The sandbox's certificate (for test requests to the simulated Graph). */
  cert: string;
  /** Where screenshots go. */
  shots: string;
  /** Everything the sandbox "sent" so far (SMS, e-mail, calls). */
  outbox(): Promise<OutboxItem[]>;
  /**
   * The code most recently texted to this number (E.164), waited for with a deadline: the code card can be on screen
   * a moment before the text is in the outbox.
   */
  codeTextedTo(e164: string): Promise<string>;
  /** The simulated Graph's users, their phones and default method. */
  graphUsers(): Promise<ReturnType<typeof JSON.parse>>;
  /** `npm run audit -- --since 1h --format jsonl` against this sandbox's audit, as an operator runs it. */
  auditExport(): string;
}

/** "… Your code is: 4, 8, 1, 5, 2, 3. …" (a call's words) → "481523". */
export const spokenCode = (text: string) => (/(\d(?:, \d){5})/.exec(text)?.[1] ?? '').replace(/, /g, '');

/** `env`: more settings for this file's sandbox (or a function that makes them, e.g. with free ports). */
export function useE2eSession(env: Record<string, string> | (() => Promise<Record<string, string>>) = {}): E2eSession {
  const session = {
    shots: path.join(projectRoot(), 'test-results', 'e2e'),
    outbox: async () => (await fetch(`${session.sandbox.outboxUrl}messages.json`)).json() as Promise<OutboxItem[]>,
    codeTextedTo: async (e164: string) => {
      let code = '';
      await expect
        .poll(
          async () => {
            const sms = (await session.outbox()).filter((m) => m.kind === 'sms' && m.to === e164).pop();
            code = /^(\d{6}) /.exec(sms?.text ?? '')?.[1] ?? '';
            return code;
          },
          { timeout: 10_000 },
        )
        .toMatch(/^\d{6}$/);
      return code;
    },
    auditExport: () =>
      execFileSync(
        process.execPath,
        ['--import', 'tsx', 'scripts/audit-export.ts', '--since', '1h', '--format', 'jsonl'],
        {
          cwd: projectRoot(),
          env: { PATH: process.env.PATH ?? '', AUDIT_SQLITE_PATH: session.sandbox.auditPath, PLAYGROUND: 'off' },
        },
      ).toString(),
    graphUsers: async () =>
      JSON.parse(
        (await new HttpsClient({ extraCaPem: session.cert }).request(`${session.sandbox.graphUrl}/_sandbox/users`))
          .body,
      ),
  } as E2eSession;
  let browser: BrowserContext | undefined;
  beforeAll(async () => {
    mkdirSync(session.shots, { recursive: true });
    session.sandbox = await startSandboxProcess(typeof env === 'function' ? await env() : env);
    session.cert = readFileSync(path.join(projectRoot(), 'data', 'sandbox-tls.cert.pem'), 'utf8');
    browser = await launchBrowser([trustCertificateArg(session.cert)]);
    session.page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    const output = (await session.sandbox?.stop()) ?? '';
    expect(output, 'npm start did not shut down cleanly').toMatch(/INFO: stopped/);
    expect(leakingLines(output.split('\n'))).toEqual([]);
  });
  return session;
}
