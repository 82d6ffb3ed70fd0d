// Changing security info in the Agents Playground end to end: verify, change the mobile number with the code read
// from the sandbox outbox, confirm; then change the default method. Checks the Graph simulator, the outbox and the
// audit export afterwards.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/sandbox/entra/demo-directory.js';
import type { OutboxItem } from '../../src/sandbox/outbox/outbox.js';
import { cardViolations } from '../helpers/axe.js';
import { spokenCode, useE2eSession } from '../helpers/e2e-session.js';
import { button, openPlayground, send, verifyInPlayground } from '../helpers/playground.js';

const ALEX = DEMO_USERS[0] as (typeof DEMO_USERS)[number];
const e2e = useE2eSession();
let page: Page;

beforeAll(async () => {
  page = e2e.page;
  await openPlayground(page, e2e.sandbox.playgroundUrl);
});

const outbox = () => e2e.outbox();
const graphUsers = () => e2e.graphUsers();
/** The newest call to this number in the outbox, once the code was read (the simulated callee answers). */
async function lastCall(e164: string): Promise<OutboxItem> {
  let found: OutboxItem | undefined;
  await expect
    .poll(async () => {
      found = (await outbox()).filter((m) => m.kind === 'call' && m.to.startsWith(e164) && /\d, \d/.test(m.text)).pop();
      return Boolean(found);
    })
    .toBe(true);
  return found as OutboxItem;
}

describe('changing security info in the Agents Playground', () => {
  it('changes the mobile phone: number -> code from the outbox -> confirm -> done', async () => {
    await verifyInPlayground(page);
    await page.getByText('Your sign-in security info').last().waitFor({ timeout: 20_000 });
    await page.getByRole('radio', { name: 'Mobile phone (texts and calls)' }).last().check();
    await button(page, 'Enter a new number').click();
    await page.getByLabel('Phone number').last().waitFor({ timeout: 20_000 });
    await page.getByLabel('Phone number').last().fill('(425) 555-0177');
    await button(page, 'Text me a code').click();
    await page.getByText('Prove the new number is yours').last().waitFor({ timeout: 20_000 });

    const code = await e2e.codeTextedTo('+14255550177');
    await send(page, code);
    await page.getByText('Confirm the change').last().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(e2e.shots, 'change-confirm.png'), fullPage: true });
    await button(page, 'Confirm').click();
    await page
      .getByText('Your mobile phone changed from +1 ••• ••• 01 00 to +1 ••• ••• 01 77.')
      .last()
      .waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(e2e.shots, 'change-done.png'), fullPage: true });
    // "Done" is the chat's last card, and no earlier card of the flow has a live button left.
    await expect.poll(() => lastCardText(page)).toMatch(/Done.*Your mobile phone changed/s);
    expect(await lastCardText(page)).not.toMatch(/Applying your change/);
    for (const name of [
      'Enter a new number',
      'Remove this phone',
      'Text me a code',
      'Check code',
      'Send a new code',
      'Confirm',
    ])
      expect(await page.getByRole('button', { name, exact: true }).count(), name).toBe(0);

    expect((await graphUsers())[ALEX.oid].phones.mobile).toBe('+1 4255550177');
    const messages = await outbox();
    expect(
      messages.some((m) => m.kind === 'sms' && m.to === '+14255550100' && /no longer gets sign-in codes/.test(m.text)),
    ).toBe(true);
    expect(messages.some((m) => m.kind === 'email' && m.to === ALEX.upn && /mobile phone changed/.test(m.text))).toBe(
      true,
    );
    const audit = e2e.auditExport();
    expect(audit).toMatch(/"result":"done"/);
    expect(audit).toContain('"after":"+1 ••• ••• 01 77"');
  });

  it('a second change within the same sign-in needs no new sign-in: changes the default sign-in method', async () => {
    await send(page, 'change my MFA phone');
    await expect.poll(() => page.getByText('Change your sign-in security info').count()).toBeGreaterThan(1);
    await button(page, "Verify it's you").click();
    await page
      .getByText(/still verified in this chat/)
      .last()
      .waitFor({ timeout: 20_000 });
    await page.getByText('Your sign-in security info').last().waitFor({ timeout: 20_000 });
    // The Playground renders a compact choice set as a Fluent UI combobox, not a <select>.
    await page
      .getByRole('combobox', { name: /Method you are asked for first/ })
      .last()
      .click();
    await page.getByRole('option', { name: 'Microsoft Authenticator notification' }).click();
    await button(page, 'Make default').click();
    await page.getByText('Confirm the change').last().waitFor({ timeout: 20_000 });
    await button(page, 'Confirm').click();
    await page
      .getByText(/Your default sign-in method changed/)
      .last()
      .waitFor({ timeout: 20_000 });
    expect((await graphUsers())[ALEX.oid].defaultMethod).toBe('push');
  });

  it('an office phone with an extension: the confirm card and the result show the extension', async () => {
    await send(page, 'add my office phone');
    // Wait for THIS request's intro card: an older intro's button would start without the carried request.
    await page.getByText('You asked to add an office phone.').last().waitFor({ timeout: 20_000 });
    await button(page, "Verify it's you").click();
    await page.getByText('New office phone').last().waitFor({ timeout: 20_000 }); // the request was carried
    await page.getByLabel('Phone number').last().fill('425 555 0199');
    await page.getByLabel('Extension (optional)').last().fill('42');
    // OFFICE_PHONE_POLICY=verify-by-call (the default): the office phone is called, its extension dialled.
    await button(page, 'Call me with a code').click();
    await page
      .getByText(/We are calling \+1 ••• ••• 01 99/)
      .last()
      .waitFor({ timeout: 20_000 });
    const call = await lastCall('+14255550199');
    expect(call.to).toBe('+14255550199 ext. 42');
    await page
      .getByText(/was answered and the code read out twice/)
      .last()
      .waitFor({ timeout: 20_000 });
    await send(page, spokenCode(call.text));
    await page.getByText('Confirm the change').last().waitFor({ timeout: 20_000 });
    await expect(page.getByText('+1 ••• ••• 01 99 ext. 42').last().isVisible()).resolves.toBe(true);
    await button(page, 'Confirm').click();
    await page
      .getByText(/An office phone \+1 ••• ••• 01 99 ext\. 42 was added/)
      .last()
      .waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(e2e.shots, 'change-office-extension.png'), fullPage: true });
    expect((await graphUsers())[ALEX.oid].phones.office).toBe('+1 4255550199x42');
  });

  it('every card in this chat, as the Playground renders it, has no serious or critical axe-core violation', async () => {
    // The chat now holds the intro, sign-in, verified, security-info, number, code, confirm, result and closed cards.
    expect(await page.locator('.ac-adaptiveCard').count()).toBeGreaterThan(8);
    expect(await cardViolations(page)).toEqual([]);
  });
});

/** The text of the newest Adaptive Card in the chat (the Playground renders cards with the adaptivecards SDK). */
async function lastCardText(page: Page): Promise<string> {
  return ((await page.locator('.ac-adaptiveCard').last().textContent()) ?? '').trim();
}
