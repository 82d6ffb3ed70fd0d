// A whole mobile change through Slack against `npm start` (the sandbox with Slack on): signed Events API and
// interactivity requests as Slack sends them, the sandbox's Slack Web API simulator recording what the bot posts,
// and Debian's Chromium for the sign-in link — the sandbox's Sign in with Slack, then its Entra ID. Ends in the
// simulated Graph's state, the outbox and the audit export.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/sandbox/entra/demo-directory.js';
import { button, useSlackE2e } from '../helpers/slack-e2e.js';
import { dm, FORM, viewSubmission } from '../helpers/slack-requests.js';

const SECRET = 'e2e-slack-signing-secret-0123456789';
const ALEX = DEMO_USERS[0] as (typeof DEMO_USERS)[number];
const { e2e, calls, send, shown: shownIn, modal, press: pressAs } = useSlackE2e(SECRET);
/** The newest message the bot posted or updated in Alex's DM that matches. */
const shown = (pattern: RegExp) => shownIn('DALEX', pattern);
const press = (message: Record<string, unknown>, title: RegExp) => pressAs('UALEX', 'DALEX', message, title);

describe('a mobile change through Slack (npm start, signed requests, Chromium for the sign-in)', () => {
  it('DM → Sign in with Slack + Entra in the browser → number and code modals → confirm → Done', async () => {
    const res = await send(dm('UALEX', 'change my mobile number'));
    expect(res.status).toBe(200);
    const intro = await shown(/Verify it's you/);
    await press(intro, /Verify it's you/);
    const link = button(await shown(/auth\/start/), /Sign in/).url as string;

    // The browser: the sandbox's Sign in with Slack (who holds the browser), then its Entra ID (MFA).
    const page = e2e.page;
    await page.goto(link);
    await page.getByText('Sign in with Slack (sandbox)').waitFor({ timeout: 20_000 });
    await page.getByLabel(/Alex Wilber \(UALEX\)/).check();
    await page.getByRole('button', { name: 'Continue with Slack' }).click();
    await page.getByRole('button', { name: 'Approve the MFA request' }).click();
    // A new binding: the page names the Slack user and workspace that will act as Alex, and waits for his yes.
    await page.getByText('Link a Slack user to your account?').waitFor({ timeout: 20_000 });
    expect(await page.locator('#what').textContent()).toContain('Slack user @Alex Wilber (UALEX) in workspace');
    await page.getByRole('button', { name: 'Link this Slack user' }).click();
    await page.getByText("You're verified").waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(e2e.shots, 'slack-verified.png') });
    await shown(/Verified as Alex Wilber/);

    // "change my mobile number" was carried through the sign-in: the new-number step comes first.
    await press(await shown(/Enter the new number/), /Enter the new number/);
    const numberModal = await modal(1);
    const values = { country: 'US', number: '(425) 555-0199', channel: 'sms' };
    await send(
      viewSubmission('UALEX', numberModal.callback_id, numberModal.private_metadata, values, ['country', 'channel']),
      FORM,
    );
    const codeCard = await shown(/Enter the code/);
    const code = await e2e.codeTextedTo('+14255550199');
    await press(codeCard, /Enter the code/);
    const codeModal = await modal(2);
    await send(viewSubmission('UALEX', codeModal.callback_id, codeModal.private_metadata, { code }), FORM);
    await press(await shown(/Confirm the change/), /^Confirm$/);
    const done = await shown(/"Done"/);
    expect(JSON.stringify(done.blocks)).toContain('+1 ••• ••• 01 99');

    expect((await e2e.graphUsers())[ALEX.oid].phones.mobile).toBe('+1 4255550199');
    expect(
      (await e2e.outbox()).some((m) => m.kind === 'email' && m.to === ALEX.upn && /mobile phone changed/.test(m.text)),
    ).toBe(true);
    const audit = e2e.auditExport();
    expect(audit).toMatch(/"channel":"slack"/);
    expect(audit).toContain('"after":"+1 ••• ••• 01 99"');
    // Nothing went to Slack unmasked.
    expect(JSON.stringify(await calls())).not.toMatch(/4255550199|555-0199/);
  });
});
