// Driving the Agents Playground like a person: type into the compose box, press card buttons, sign in.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { Page } from 'playwright-core';
import { projectRoot } from '../../src/paths.js';
import { startPlayground } from '../../src/sandbox/playground.js';
import { playgroundConfigFor } from '../../src/sandbox/playground-user.js';
import { freePort } from './ports.js';

export async function send(page: Page, text: string): Promise<void> {
  await page.locator('div[contenteditable="true"]').first().click();
  await page.keyboard.type(text);
  await page.getByRole('button', { name: 'Send Message' }).click();
}

export async function openPlayground(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('div[contenteditable="true"]').first().waitFor({ timeout: 30_000 });
}

/** The newest card button with this title. */
export function button(page: Page, name: string) {
  return page.getByRole('button', { name, exact: true }).last();
}

/** Every "Sign in" link or button (sign-in cards), oldest first. */
const signInLinks = (page: Page) =>
  page.getByRole('link', { name: 'Sign in' }).or(page.getByRole('button', { name: 'Sign in' }));

/** The newest "Sign in" link or button (the sign-in card). */
export function signInLink(page: Page) {
  return signInLinks(page).last();
}

/**
 * "change my MFA phone" → Verify it's you → Sign in (new window) → approve MFA at the sandbox Entra ID → type the
 * code from that window into the chat → "Verified as …". Screenshots go to `shots` when given.
 */
export async function verifyInPlayground(page: Page, shots?: string): Promise<void> {
  // The NEW intro card and the NEW sign-in card: an earlier one (a cancelled sign-in) is also "the last" until the
  // new one is on screen.
  const verifyButtons = page.getByRole('button', { name: "Verify it's you", exact: true });
  const introsBefore = await verifyButtons.count();
  const linksBefore = await signInLinks(page).count();
  await send(page, 'change my MFA phone');
  await waitForMore(() => verifyButtons.count(), introsBefore);
  await button(page, "Verify it's you").click();
  await waitForMore(() => signInLinks(page).count(), linksBefore);
  await signInFromCard(page, shots);
}

/** Polls `count` until it exceeds `before` (20 s). */
async function waitForMore(count: () => Promise<number>, before: number): Promise<void> {
  for (const deadline = Date.now() + 20_000; (await count()) <= before; ) {
    if (Date.now() > deadline) throw new Error(`still ${before} after 20 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The newest sign-in card: open it, approve MFA at the sandbox Entra ID, type the code back; "Verified as …". */
export async function signInFromCard(page: Page, shots?: string): Promise<void> {
  const signIn = signInLink(page);
  await signIn.waitFor({ timeout: 20_000 });
  const [popup] = await Promise.all([page.waitForEvent('popup'), signIn.click()]);
  try {
    await popup.getByRole('button', { name: 'Approve the MFA request' }).waitFor({ timeout: 20_000 });
  } catch (err) {
    // Say what the window showed instead (a cancelled or spent sign-in, an error page, nothing yet).
    const shown = await popup
      .locator('body')
      .textContent({ timeout: 2000 })
      .catch(() => '(no page)');
    throw new Error(`no MFA prompt at ${popup.url()}: ${(shown ?? '').trim().slice(0, 300)}`, { cause: err });
  }
  if (shots) await popup.screenshot({ path: path.join(shots, 'step-up-login.png') });
  await popup.getByRole('button', { name: 'Approve the MFA request' }).click();
  const code = (await popup.locator('#binding-code').textContent({ timeout: 20_000 }))?.trim() ?? '';
  if (shots) await popup.screenshot({ path: path.join(shots, 'step-up-code.png') });
  await popup.close();
  await send(page, code);
  await page
    .getByText(/^Verified as /)
    .last()
    .waitFor({ timeout: 20_000 });
}

/**
 * A second Agents Playground chatting as another sandbox person (what `npm run playground -- <person>` does), on a
 * free port, opened in a new page of the same browser. The Playground has no user menu: one per person.
 */
export async function secondPlayground(
  first: Page,
  botUrl: string,
  person: string,
): Promise<{ page: Page; stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'proofup-pg-'));
  const running = await startPlayground({
    botEndpoint: `${botUrl}/api/messages`,
    port: await freePort(),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.tmpdir(),
      TEAMSAPPTESTER_BROWSER: 'none',
      M365_AGENTS_PLAYGROUND_LOGFILE: path.join(dir, `playground-${person}.log`),
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: playgroundConfigFor(
        person,
        path.join(projectRoot(), '.m365agentsplayground.yml'),
        dir,
      ),
    },
    logger: pino({ level: 'silent' }),
  });
  const page = await first.context().newPage();
  await openPlayground(page, running.url);
  return {
    page,
    stop: async () => {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
