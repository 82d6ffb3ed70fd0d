// A German-speaking user in the Agents Playground: the request in German gets the whole change in German (cards, the
// sign-in code page, the SMS with the code, the notice e-mail and the SMS to the old number), then an alternate
// LANDLINE is proven by a call whose words appear in the outbox. Every card is checked with axe-core.
// (The Playground 0.2.28 always sends the locale en-US; the bot answers in the language the user writes.)
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/sandbox/entra/demo-directory.js';
import type { OutboxItem } from '../../src/sandbox/outbox/outbox.js';
import { cardViolations } from '../helpers/axe.js';
import { spokenCode, useE2eSession } from '../helpers/e2e-session.js';
import { button, openPlayground, send, signInLink } from '../helpers/playground.js';

const ALEX = DEMO_USERS[0] as (typeof DEMO_USERS)[number];
// Codes may also go to British numbers in this sandbox (the default allows only the tenant's and the user's countries).
const e2e = useE2eSession({ SMS_ALLOWED_COUNTRIES: 'US,GB' });
let page: Page;

beforeAll(async () => {
  page = e2e.page;
  await openPlayground(page, e2e.sandbox.playgroundUrl);
});

const outbox = () => e2e.outbox();
const graphUsers = () => e2e.graphUsers();
const card = (text: string | RegExp) => page.getByText(text).last();

describe('in German, in the Agents Playground', () => {
  it('"Hilfe" gets the help card in German; a denied MFA request is refused in German (chat and sign-in window)', async () => {
    await send(page, 'Hilfe');
    await card('Das kann ich für Sie tun').waitFor({ timeout: 20_000 });
    await send(page, 'MFA-Telefon ändern');
    await card('Sicherheitsinformationen für die Anmeldung ändern').waitFor({ timeout: 20_000 });
    await button(page, 'Bestätigen, dass Sie es sind').click();
    const signIn = page.getByRole('link', { name: 'Anmelden' }).or(page.getByRole('button', { name: 'Anmelden' }));
    const [popup] = await Promise.all([page.waitForEvent('popup'), signIn.last().click({ timeout: 20_000 })]);
    await popup.getByRole('button', { name: 'MFA-Anfrage ablehnen' }).click({ timeout: 20_000 });
    await popup.getByText('Anmeldung nicht akzeptiert').waitFor({ timeout: 20_000 });
    await popup.close();
    await card('Anmeldung nicht akzeptiert').waitFor({ timeout: 20_000 });
    await card('Die MFA-Anfrage wurde abgelehnt, daher sind Sie nicht angemeldet.').waitFor({ timeout: 20_000 });
    expect(await button(page, 'Erneut versuchen').isVisible()).toBe(true);
  });

  it('"Ich möchte meine MFA-Telefonnummer ändern" → the whole mobile change in German, SMS and e-mail in German', async () => {
    await send(page, 'Ich möchte meine MFA-Telefonnummer ändern');
    await card('Sicherheitsinformationen für die Anmeldung ändern').waitFor({ timeout: 20_000 });
    await button(page, 'Bestätigen, dass Sie es sind').click();
    const signIn = page.getByRole('link', { name: 'Anmelden' }).or(page.getByRole('button', { name: 'Anmelden' }));
    await signIn.last().waitFor({ timeout: 20_000 });
    expect(await signInLink(page).count()).toBe(0); // no English "Sign in" anywhere
    const [popup] = await Promise.all([page.waitForEvent('popup'), signIn.last().click()]);
    await popup.getByRole('button', { name: 'MFA-Anfrage genehmigen' }).click({ timeout: 20_000 });
    await popup.getByText(`Angemeldet als ${ALEX.name}`).waitFor({ timeout: 20_000 });
    expect(await popup.locator('html').getAttribute('lang')).toBe('de');
    const code = (await popup.locator('#binding-code').textContent())?.trim() ?? '';
    await popup.screenshot({ path: path.join(e2e.shots, 'de-code-page.png') });
    await popup.close();
    await send(page, code);
    await card(/^Bestätigt als /).waitFor({ timeout: 20_000 });
    await card('Ihre Sicherheitsinformationen für die Anmeldung').waitFor({ timeout: 20_000 });
    await page.getByRole('radio', { name: 'Mobiltelefon (SMS und Anrufe)' }).last().check();
    await button(page, 'Neue Nummer eingeben').click();
    await page.getByLabel('Telefonnummer').last().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(e2e.shots, 'de-number.png'), fullPage: true });
    await page.getByLabel('Telefonnummer').last().fill('(425) 555-0177');
    await button(page, 'Code per SMS senden').click();
    await card('Nachweisen, dass die neue Nummer Ihnen gehört').waitFor({ timeout: 20_000 });

    // The code card can be on screen a moment before the outbox page lists the text: wait for it, with a deadline.
    const smsTo = async () => (await outbox()).filter((m) => m.kind === 'sms' && m.to === '+14255550177').pop();
    await expect.poll(async () => (await smsTo())?.text, { timeout: 10_000 }).toMatch(/^\d{6} ist Ihr Proofup-Code/);
    const sms = await smsTo();
    expect(sms?.text).toMatch(/^\d{6} ist Ihr Proofup-Code, um diese Nummer für die Anmeldung zu bestätigen\./);
    await send(page, /^(\d{6}) /.exec(sms?.text ?? '')?.[1] ?? '');
    await card('Änderung bestätigen').waitFor({ timeout: 20_000 });
    await button(page, 'Bestätigen').click();
    await card('Ihr Mobiltelefon wurde von +1 ••• ••• 01 00 auf +1 ••• ••• 01 77 geändert.').waitFor({
      timeout: 20_000,
    });
    await card('Erledigt').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(e2e.shots, 'de-done.png'), fullPage: true });
    expect((await graphUsers())[ALEX.oid].phones.mobile).toBe('+1 4255550177');

    const messages = await outbox();
    const email = messages.filter((m) => m.kind === 'email' && m.to === ALEX.upn).pop() as
      | { subject: string; text: string }
      | undefined;
    expect(email?.subject).toBe('Ihre Sicherheitsinformationen für die Anmeldung wurden geändert');
    expect(email?.text).toMatch(/^Hallo Alex Wilber,\n\nIhr Mobiltelefon wurde von .* geändert\.\nGeändert am /);
    const oldNumber = messages.filter((m) => m.kind === 'sms' && m.to === '+14255550100').pop();
    expect(oldNumber?.text).toMatch(
      /^Proofup: Die Sicherheitsinformationen Ihres Arbeitskontos wurden am .* geändert\./,
    );
  });

  it('an alternate LANDLINE is proven by a call: the words read aloud are in the outbox, in German', async () => {
    await button(page, 'Weitere Änderung vornehmen').click();
    await card(/Sie sind in diesem Chat noch bestätigt/).waitFor({ timeout: 20_000 });
    await page.getByRole('radio', { name: 'Alternatives Telefon (Anrufe)' }).last().check();
    await button(page, 'Neue Nummer eingeben').click();
    await page.getByLabel('Telefonnummer').last().waitFor({ timeout: 20_000 });
    await page.getByLabel('Telefonnummer').last().fill('+44 20 7946 0001'); // a London landline; + wins
    await button(page, 'Code per Anruf').click();
    await card(/Wir rufen \+44 ••• ••• 00 01 an/).waitFor({ timeout: 20_000 });
    let call: OutboxItem | undefined;
    await expect
      .poll(async () => {
        call = (await outbox()).filter((m) => m.kind === 'call' && m.to === '+442079460001').pop();
        return call?.text ?? '';
      })
      .toMatch(/Ihr Code lautet: \d(, \d){5}\. Noch einmal, Ihr Code lautet: \d(, \d){5}\./);
    expect((call as { locale: string }).locale).toBe('de-DE');
    await card(/wurde angenommen und der Code zweimal vorgelesen/).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(e2e.shots, 'de-call.png'), fullPage: true });
    const code = spokenCode(call?.text ?? '');
    await send(page, code);
    await card('Änderung bestätigen').waitFor({ timeout: 20_000 });
    await button(page, 'Bestätigen').click();
    await card(/Das alternative Telefon \+44 ••• ••• 00 01 wurde zu Ihren Anmeldemethoden hinzugefügt\./).waitFor({
      timeout: 20_000,
    });
    expect((await graphUsers())[ALEX.oid].phones.alternateMobile).toBe('+44 2079460001');
  });

  it('every German card, as the Playground renders it, has no serious or critical axe-core violation', async () => {
    expect(await page.locator('.ac-adaptiveCard').count()).toBeGreaterThanOrEqual(8);
    expect(await cardViolations(page)).toEqual([]);
  });
});
