// The step-up in the Agents Playground, as a person does it: ask, press "Verify it's you", sign in at the sandbox
// Entra ID in the window that opens, approve MFA, type the code shown there into the chat, see "Verified as …".
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { launchBrowser, trustCertificateArg } from '../helpers/browser.js';
import { openPlayground, verifyInPlayground } from '../helpers/playground.js';
import { type SandboxProcess, startSandboxProcess } from '../helpers/sandbox-process.js';

const shots = path.join(projectRoot(), 'test-results', 'e2e');
let sandbox: SandboxProcess;
let browser: BrowserContext;
let page: Page;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  sandbox = await startSandboxProcess();
  const cert = readFileSync(path.join(projectRoot(), 'data', 'sandbox-tls.cert.pem'), 'utf8');
  browser = await launchBrowser([trustCertificateArg(cert)]);
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  const output = (await sandbox?.stop()) ?? '';
  expect(output, 'npm start did not shut down cleanly').toMatch(/INFO: stopped/);
});

describe('step-up in the Agents Playground', () => {
  it('"change my MFA phone" -> sign in -> approve MFA -> type the code -> "Verified as Alex Wilber"', async () => {
    await openPlayground(page, sandbox.playgroundUrl);
    await verifyInPlayground(page, shots);
    await expect(page.getByText('Verified as Alex Wilber', { exact: true }).last().isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(shots, 'step-up-verified.png'), fullPage: true });
  });
});
