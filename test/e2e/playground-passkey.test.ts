// The passkey move in the Agents Playground, as Alex would live it: "my text codes are going away" → sign-in → the
// device list → the steps → Microsoft's page (here the sandbox's My Sign-ins, in the browser) → "I've added it" →
// the confirmation, the e-mail in the outbox; axe-core on the new cards; then the same journey in German.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cardViolations } from '../helpers/axe.js';
import { useE2eSession } from '../helpers/e2e-session.js';
import { button, openPlayground, send, signInFromCard } from '../helpers/playground.js';

const e2e = useE2eSession();
let page: Page;

beforeAll(async () => {
  page = e2e.page;
  await openPlayground(page, e2e.sandbox.playgroundUrl);
});

const card = (text: string | RegExp) => page.getByText(text).last();

/** On the sandbox's My Sign-ins page (opened from the card's button), Alex adds a passkey made on `device`. */
async function addPasskeyOnMySignIns(openButton: string, device: string): Promise<void> {
  // Action.OpenUrl: the Playground shows it as a link (or a button) and opens it in a new window.
  const open = page
    .getByRole('link', { name: openButton })
    .or(page.getByRole('button', { name: openButton }))
    .last();
  const [mySignIns] = await Promise.all([page.waitForEvent('popup'), open.click({ timeout: 20_000 })]);
  await mySignIns.getByText('Security info — My Sign-ins (sandbox)').waitFor({ timeout: 20_000 });
  const row = mySignIns.getByRole('row', { name: /Alex Wilber/ });
  await row.getByLabel('Device').selectOption({ label: device });
  await row.getByRole('button', { name: 'Add a passkey for Alex Wilber' }).click();
  await mySignIns.getByRole('status').waitFor({ timeout: 20_000 });
  expect(await mySignIns.getByRole('status').textContent()).toContain(`Passkey “${device}” added.`);
  await mySignIns.screenshot({ path: path.join(e2e.shots, `passkey-mysignins-${device.split(' ')[0]}.png`) });
  await mySignIns.close();
}

describe('setting up a passkey in the Agents Playground', () => {
  it('"my text codes are going away" → steps → My Sign-ins → "I\'ve added it" → confirmed and e-mailed', async () => {
    await send(page, 'my text codes are going away');
    await card('You asked about passkeys and the end of text and call codes.').waitFor({ timeout: 20_000 });
    await button(page, "Verify it's you").click();
    await signInFromCard(page);
    await card('Where do you want your passkey?').waitFor({ timeout: 20_000 });
    await page.getByRole('radio', { name: 'iPhone or iPad' }).last().check();
    await button(page, 'Show me the steps').click();
    await card(/Confirm with Face ID or Touch ID/).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(e2e.shots, 'passkey-steps.png'), fullPage: true });
    await addPasskeyOnMySignIns('Open My Sign-ins', 'iPhone (iCloud Keychain)');
    await button(page, "I've added it").click();
    await card('✓ Your passkey is set up').waitFor({ timeout: 20_000 });
    await card(/I see your new passkey “iPhone \(iCloud Keychain\)”/).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(e2e.shots, 'passkey-confirmed.png'), fullPage: true });
    await expect
      .poll(async () => (await e2e.outbox()).filter((m) => m.kind === 'email' && /passkey/i.test(m.subject)).length)
      .toBe(1);
    expect(await cardViolations(page)).toEqual([]);
  });

  it('the same journey in German', async () => {
    await send(page, 'Meine SMS-Codes fallen weg, ich möchte einen Passkey einrichten');
    await card('Sie haben nach Passkeys und dem Ende der SMS- und Anruf-Codes gefragt.').waitFor({ timeout: 20_000 });
    await button(page, 'Bestätigen, dass Sie es sind').click();
    // Still verified in this chat (the sign-in of the first journey): straight to the devices.
    await card('Wo soll Ihr Passkey gespeichert werden?').waitFor({ timeout: 20_000 });
    await page.getByRole('radio', { name: 'Windows-PC' }).last().check();
    await button(page, 'Schritte anzeigen').click();
    await card(/Bestätigen Sie mit Windows Hello/).waitFor({ timeout: 20_000 });
    await addPasskeyOnMySignIns('„Meine Anmeldungen“ öffnen', 'Windows Hello');
    await button(page, 'Ich habe ihn hinzugefügt').click();
    await card('✓ Ihr Passkey ist eingerichtet').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(e2e.shots, 'passkey-confirmed-de.png'), fullPage: true });
    await expect
      .poll(async () => (await e2e.outbox()).filter((m) => m.kind === 'email' && /passkey/i.test(m.subject)).length)
      .toBe(2);
    expect(await cardViolations(page)).toEqual([]);
  });
});
