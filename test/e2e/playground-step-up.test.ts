// The step-up in the Agents Playground, as a person does it: ask, press "Verify it's you", sign in at the sandbox
// Entra ID in the window that opens, approve MFA, type the code shown there into the chat, see "Verified as …".
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { launchBrowser, trustCertificateArg } from '../helpers/browser.js';
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

async function send(text: string): Promise<void> {
  await page.locator('div[contenteditable="true"]').first().click();
  await page.keyboard.type(text);
  await page.getByRole('button', { name: 'Send Message' }).click();
}

describe('step-up in the Agents Playground', () => {
  it('"change my MFA phone" -> sign in -> approve MFA -> type the code -> "Verified as Alex Wilber"', async () => {
    await page.goto(sandbox.playgroundUrl);
    await page.locator('div[contenteditable="true"]').first().waitFor({ timeout: 30_000 });
    await send('change my MFA phone');
    await page.getByRole('button', { name: "Verify it's you" }).last().click();

    const signIn = page
      .getByRole('link', { name: 'Sign in' })
      .or(page.getByRole('button', { name: 'Sign in' }))
      .last();
    await signIn.waitFor({ timeout: 20_000 });
    const [popup] = await Promise.all([page.waitForEvent('popup'), signIn.click()]);
    await popup.getByRole('button', { name: 'Approve the MFA request' }).waitFor({ timeout: 20_000 });
    await expect(popup.getByRole('radio', { name: /Alex Wilber/ }).isChecked()).resolves.toBe(true);
    await popup.screenshot({ path: path.join(shots, 'step-up-login.png') });
    await popup.getByRole('button', { name: 'Approve the MFA request' }).click();
    const code = (await popup.locator('#binding-code').textContent({ timeout: 20_000 }))?.trim() ?? '';
    expect(code).toMatch(/^\d{6}$/);
    await popup.screenshot({ path: path.join(shots, 'step-up-code.png') });
    await popup.close();

    await send(code);
    await page.getByText('Verified as Alex Wilber', { exact: true }).last().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(shots, 'step-up-verified.png'), fullPage: true });
  });
});
