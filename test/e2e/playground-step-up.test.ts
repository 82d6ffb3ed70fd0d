// The step-up in the Agents Playground, as a person does it: ask, press "Verify it's you", sign in at the sandbox
// Entra ID in the window that opens, approve MFA, type the code shown there into the chat, see "Verified as …".
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useE2eSession } from '../helpers/e2e-session.js';
import { button, openPlayground, send, signInLink, verifyInPlayground } from '../helpers/playground.js';

const e2e = useE2eSession();
beforeAll(async () => {
  await openPlayground(e2e.page, e2e.sandbox.playgroundUrl);
});

describe('step-up in the Agents Playground', () => {
  it('Cancel, then the old "Sign in" button: the window says cancelled, no MFA prompt is reached', async () => {
    const page = e2e.page;
    await send(page, 'change my MFA phone');
    await button(page, "Verify it's you").click();
    const old = signInLink(page);
    await old.waitFor({ timeout: 20_000 });
    await send(page, 'cancel');
    await page.getByText('Cancelled. Nothing was changed.').last().waitFor({ timeout: 20_000 });
    const [popup] = await Promise.all([page.waitForEvent('popup'), old.click()]);
    await popup.getByText('Sign-in cancelled').waitFor({ timeout: 20_000 });
    await expect(popup.getByText(/You cancelled this sign-in in the chat/).isVisible()).resolves.toBe(true);
    expect(await popup.getByRole('button', { name: 'Approve the MFA request' }).count()).toBe(0);
    await popup.screenshot({ path: path.join(e2e.shots, 'step-up-cancelled-link.png') });
    await popup.close();
  });

  it('"change my MFA phone" -> sign in -> approve MFA -> type the code -> "Verified as Alex Wilber"', async () => {
    await verifyInPlayground(e2e.page, e2e.shots);
    await expect(e2e.page.getByText('Verified as Alex Wilber', { exact: true }).last().isVisible()).resolves.toBe(true);
    await e2e.page.screenshot({ path: path.join(e2e.shots, 'step-up-verified.png'), fullPage: true });
  });
});
