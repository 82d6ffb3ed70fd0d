// Escalation in the Agents Playground: the Playground's Teams channel ("General") is the helpdesk channel (recorded
// when the Playground installs the bot in its team). "I lost my phone" → "Ask the helpdesk" in the personal chat →
// the card appears in the channel → "Take it" by Alex himself (he is in the sandbox helpdesk group, but the request is
// his own): refused, no sign-in asked, the card stays open for another agent.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cardViolations } from '../helpers/axe.js';
import { useE2eSession } from '../helpers/e2e-session.js';
import { button, openPlayground, send } from '../helpers/playground.js';

const e2e = useE2eSession();
let page: Page;

beforeAll(async () => {
  page = e2e.page;
  await openPlayground(page, e2e.sandbox.playgroundUrl);
});

describe('escalation to the helpdesk in the Agents Playground', () => {
  it("opening the Playground's team channel installs the bot there: it becomes the helpdesk channel", async () => {
    await page.getByText('General').first().click();
    await expect.poll(() => /helpdesk channel recorded/.test(e2e.sandbox.output()), { timeout: 20_000 }).toBe(true);
    await page.getByText('Personal Chat').first().click();
    await page.locator('div[contenteditable="true"]').first().waitFor({ timeout: 20_000 });
  });

  it('"I lost my phone" → "Ask the helpdesk" → a card in the helpdesk channel → "Take it" by the asker → refused', async () => {
    await send(page, 'I lost my phone');
    await page.getByText('Lost or stolen phone').last().waitFor({ timeout: 20_000 });
    expect(await button(page, 'Replace the lost number').isVisible()).toBe(true);
    await button(page, 'Ask the helpdesk').click();
    await page
      .getByText(/^I've asked the helpdesk to help you\./)
      .last()
      .waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(e2e.shots, 'helpdesk-user.png'), fullPage: true });
    expect(await cardViolations(page)).toEqual([]); // the offer card, as rendered

    await page.getByText('General').first().click();
    await page.getByText('Help requested: Alex Wilber').last().waitFor({ timeout: 20_000 });
    await expect(page.getByText('Lost or stolen phone').last().isVisible()).resolves.toBe(true);
    expect(await cardViolations(page)).toEqual([]);
    await button(page, 'Take it').click();
    // Alex asked for this help himself: another agent must take it. No sign-in is asked of him for it.
    await page
      .getByText('This request is about you: another helpdesk agent has to take it.')
      .last()
      .waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(e2e.shots, 'helpdesk-channel.png'), fullPage: true });
    expect(await page.getByRole('button', { name: 'Take it', exact: true }).count()).toBeGreaterThan(0);
    expect(await page.getByText(/Taking a request needs your own sign-in/).count()).toBe(0);
  });
});
