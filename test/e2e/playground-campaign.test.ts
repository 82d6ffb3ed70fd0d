// A reminder campaign in two Agents Playgrounds: Alex (helpdesk agent) reads "readiness", then "remind phone-only
// users" and starts it; Adele (she signs in only by phone) gets the reminder in her own Playground first (the list is
// sorted by name), presses "Set up a passkey now", signs in herself, adds a passkey on the sandbox's My Sign-ins page
// and confirms it; Alex's campaign card, updated in place, counts her. Screenshots of both.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardViolations } from '../helpers/axe.js';
import { useE2eSession } from '../helpers/e2e-session.js';
import { button, openPlayground, secondPlayground, send, signInFromCard } from '../helpers/playground.js';

const e2e = useE2eSession();
let agent: Page;
let adele: Page;
let adelesPlayground: { stop(): Promise<void> };

beforeAll(async () => {
  agent = e2e.page;
  await openPlayground(agent, e2e.sandbox.playgroundUrl);
  const second = await secondPlayground(agent, e2e.sandbox.botUrl, 'adele');
  adele = second.page;
  adelesPlayground = second;
});
afterAll(async () => {
  await adelesPlayground?.stop();
});

describe('a reminder campaign', () => {
  it('Alex prepares and starts it; Adele gets one reminder in her own chat', async () => {
    await send(agent, 'remind phone-only users');
    await agent
      .getByText('The readiness report needs your own helpdesk sign-in first.')
      .last()
      .waitFor({ timeout: 20_000 });
    await signInFromCard(agent);
    await agent
      .getByText(/^Ready: \d+ people will each get one reminder in their own chat\./)
      .last()
      .waitFor({ timeout: 30_000 });
    await button(agent, 'Start reminders').click();
    await adele.getByText('Your sign-in needs a passkey before February').last().waitFor({ timeout: 30_000 });
    await adele.screenshot({ path: path.join(e2e.shots, 'campaign-reminder.png'), fullPage: true });
    expect(await cardViolations(adele)).toEqual([]);
    expect(await adele.getByText('Your sign-in needs a passkey before February').count()).toBe(1);
  });

  it("Adele sets up a passkey from the reminder; Alex's card counts it", async () => {
    await button(adele, 'Set up a passkey now').click();
    await button(adele, "Verify it's you").click();
    await signInFromCard(adele);
    await adele.getByText('Where do you want your passkey?').last().waitFor({ timeout: 20_000 });
    await adele.getByRole('radio', { name: 'iPhone or iPad' }).last().check();
    await button(adele, 'Show me the steps').click();
    const open = adele
      .getByRole('link', { name: 'Open My Sign-ins' })
      .or(adele.getByRole('button', { name: 'Open My Sign-ins' }))
      .last();
    const [mySignIns] = await Promise.all([adele.waitForEvent('popup'), open.click({ timeout: 20_000 })]);
    const row = mySignIns.getByRole('row', { name: /Adele Vance/ });
    await row.getByLabel('Device').selectOption({ label: 'iPhone (iCloud Keychain)' });
    await row.getByRole('button', { name: 'Add a passkey for Adele Vance' }).click();
    await mySignIns.getByRole('status').waitFor({ timeout: 20_000 });
    await mySignIns.close();
    await button(adele, "I've added it").click();
    await adele.getByText('✓ Your passkey is set up').last().waitFor({ timeout: 20_000 });
    await adele.screenshot({ path: path.join(e2e.shots, 'campaign-passkey-added.png'), fullPage: true });

    const card = agent.locator('.ac-adaptiveCard').filter({ hasText: 'Reminders to people who sign in only by phone' });
    await expect
      .poll(async () => (await card.last().textContent()) ?? '', { timeout: 30_000 })
      .toMatch(/Started a passkey\s*1/);
    await button(agent, 'Stop').click();
    await expect
      .poll(async () => (await card.last().textContent()) ?? '', { timeout: 20_000 })
      .toMatch(/Stopped after \d+ of \d+/);
    await agent.screenshot({ path: path.join(e2e.shots, 'campaign-card.png'), fullPage: true });
  });
});
