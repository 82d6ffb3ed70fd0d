import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useE2eSession } from '../helpers/e2e-session.js';
import { openPlayground, send } from '../helpers/playground.js';

const e2e = useE2eSession();

describe('sandbox in the Agents Playground', () => {
  it('npm start prints the Playground URL within 60 s', () => {
    expect(e2e.sandbox.playgroundUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(e2e.sandbox.startupMs).toBeLessThan(60_000);
  });

  it('"change my MFA phone" shows the intro card', async () => {
    const page = e2e.page;
    await openPlayground(page, e2e.sandbox.playgroundUrl);
    await send(page, 'change my MFA phone');
    await page.getByText('Change your sign-in security info', { exact: true }).last().waitFor({ timeout: 20_000 });
    await expect(page.getByRole('button', { name: "Verify it's you" }).last().isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(e2e.shots, 'intro-card.png'), fullPage: true });
  });

  it('the welcome card appears once even after a reload', async () => {
    const page = e2e.page;
    const welcomes = () => (e2e.sandbox.output().match(/welcome card sent/g) ?? []).length;
    // The first load welcomed Alex: once, on screen and in the bot's log.
    expect(welcomes()).toBe(1);
    const welcomeCard = page.getByText(/^Hi( [A-Z]\w*)?, I'm Proofup\.$/);
    await expect(welcomeCard.count()).resolves.toBe(1);
    await page.reload();
    await page.locator('div[contenteditable="true"]').first().waitFor({ timeout: 30_000 });
    // The reload makes the Playground send conversationUpdate again: the bot answers it without a second welcome.
    await page.waitForTimeout(3000);
    expect(welcomes()).toBe(1);
    await expect(welcomeCard.count()).resolves.toBeLessThanOrEqual(1);
  });
});
