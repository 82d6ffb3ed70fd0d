import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { launchBrowser } from '../helpers/browser.js';
import { type SandboxProcess, startSandboxProcess } from '../helpers/sandbox-process.js';

const shots = path.join(projectRoot(), 'test-results', 'e2e');
let sandbox: SandboxProcess;
let browser: BrowserContext;
let page: Page;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  sandbox = await startSandboxProcess();
  browser = await launchBrowser();
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  const output = (await sandbox?.stop()) ?? '';
  expect(output, 'npm start did not shut down cleanly').toMatch(/INFO: stopped/);
});

async function send(text: string): Promise<void> {
  const compose = page.locator('div[contenteditable="true"]').first();
  await compose.click();
  await page.keyboard.type(text);
  await page.getByRole('button', { name: 'Send Message' }).click();
}

describe('sandbox in the Agents Playground', () => {
  it('npm start prints the Playground URL within 60 s', () => {
    expect(sandbox.playgroundUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(sandbox.startupMs).toBeLessThan(60_000);
  });

  it('"change my MFA phone" shows the intro card', async () => {
    await page.goto(sandbox.playgroundUrl);
    await page.locator('div[contenteditable="true"]').first().waitFor({ timeout: 30_000 });
    await send('change my MFA phone');
    const title = page.getByText('Change your sign-in security info', { exact: true }).last();
    await title.waitFor({ timeout: 20_000 });
    await expect(page.getByRole('button', { name: "Verify it's you" }).last().isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(shots, 'intro-card.png'), fullPage: true });
  });

  it('the welcome card appears once even after a reload', async () => {
    await page.reload();
    await page.locator('div[contenteditable="true"]').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(2000);
    await expect(page.getByText("Hi Alex, I'm Proofup.", { exact: true }).count()).resolves.toBeLessThanOrEqual(1);
  });
});
