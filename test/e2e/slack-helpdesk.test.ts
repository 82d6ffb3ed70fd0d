// The helpdesk in Slack against `npm start`, with Debian's Chromium for every sign-in: Patti links her Slack user and
// asks the helpdesk → the card in the sandbox's helpdesk channel (C0HELPDESK) → Megan presses Take it and signs in in
// her own browser → Hand to the bot → New phone number → Patti's invitation → Start → her change by modals → Megan's
// status message says Changed. Screenshots of both browsers' last pages go to test-results/e2e.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/sandbox/entra/demo-directory.js';
import { button, useSlackE2e } from '../helpers/slack-e2e.js';
import { dm, FORM, viewSubmission } from '../helpers/slack-requests.js';

const SECRET = 'e2e-slack-helpdesk-secret-0123456789';
const HELPDESK = 'C0HELPDESK';
const person = (first: string) => DEMO_USERS.find((u) => u.name.startsWith(first)) as (typeof DEMO_USERS)[number];
const [MEGAN, PATTI] = [person('Megan'), person('Patti')];
const { e2e, calls, mark, send, shown, modal, press } = useSlackE2e(SECRET);

/** A sign-in link opened in `page`: Sign in with Slack as `slackName`, MFA at the sandbox's Entra as `entraName`. */
async function signIn(page: Page, link: string, slackName: string, entraName: string, shot: string) {
  await page.goto(link);
  await page.getByText('Sign in with Slack (sandbox)').waitFor({ timeout: 20_000 });
  await page.getByLabel(new RegExp(slackName)).check();
  await page.getByRole('button', { name: 'Continue with Slack' }).click();
  await page.getByLabel(new RegExp(entraName)).check();
  await page.getByRole('button', { name: 'Approve the MFA request' }).click();
  await page.getByText('Link a Slack user to your account?').waitFor({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Link this Slack user' }).click();
  await page.getByText("You're verified").waitFor({ timeout: 20_000 });
  await page.screenshot({ path: path.join(e2e.shots, shot) });
}

describe('the helpdesk in Slack (npm start, signed requests, Chromium for the sign-ins)', () => {
  it('escalation → Take it → Hand to the bot → the person’s own change; the agent sees progress only', async () => {
    // Patti, in Slack: her first sign-in links her Slack user to her Entra account.
    await send(dm('UPATTI', 'change my mobile number'));
    await press('UPATTI', 'DPATTI', await shown('DPATTI', /Verify it's you/), /Verify it's you/);
    const pattiLink = button(await shown('DPATTI', /auth\/start/), /Sign in/).url as string;
    await signIn(e2e.page, pattiLink, 'Patti Fernandez \\(UPATTI\\)', 'Patti Fernandez', 'slack-helpdesk-patti.png');
    await shown('DPATTI', /Verified as Patti Fernandez/);

    // She cannot finish alone: she asks for a person.
    await send(dm('UPATTI', 'I want to talk to a human'));
    await press('UPATTI', 'DPATTI', await shown('DPATTI', /Ask the helpdesk/), /Ask the helpdesk/);
    await shown('DPATTI', /I've asked the helpdesk/);
    const card = await shown(HELPDESK, /Help requested: Patti Fernandez/);
    expect(JSON.stringify(card.blocks)).toContain('Signed in with MFA at');

    // Megan takes it from the channel; her sign-in goes to her DM, in her own browser.
    await press('UMEGAN', HELPDESK, card, /Take it/);
    const meganLink = button(await shown('DMEGAN', /auth\/start/), /Sign in/).url as string;
    const megansBrowser = await e2e.page.context().browser()?.newContext({ ignoreHTTPSErrors: false });
    const meganPage = await (megansBrowser ?? e2e.page.context()).newPage();
    await signIn(meganPage, meganLink, 'Megan Bowen \\(UMEGAN\\)', 'Megan Bowen', 'slack-helpdesk-megan.png');
    await shown('DMEGAN', /You took Patti Fernandez's request/);
    const taken = await shown(HELPDESK, /Taken by Megan Bowen/, /^chat\.update$/);

    // Hand to the bot → why → the invitation in Patti's DM.
    await press('UMEGAN', HELPDESK, taken, /Hand to the bot/);
    await press('UMEGAN', 'DMEGAN', await shown('DMEGAN', /Hand Patti Fernandez to me/), /New phone number/);
    await shown('DMEGAN', /Invitation sent/);
    const invitation = await shown('DPATTI', /The helpdesk asked me to help you/);
    const started = await mark();
    await press('UPATTI', 'DPATTI', invitation, /^Start$/);

    // Patti's own change (her sign-in is still live): number modal, the texted code, Confirm.
    const entry = await shown('DPATTI', /Enter the new number/, undefined, started);
    await press('UPATTI', 'DPATTI', entry, /Enter the new number/);
    const numberModal = await modal(1);
    const values = { country: 'US', number: '(425) 555-0144', channel: 'sms' };
    await send(
      viewSubmission('UPATTI', numberModal.callback_id, numberModal.private_metadata, values, ['country', 'channel']),
      FORM,
    );
    const codeCard = await shown('DPATTI', /Enter the code/);
    const code = await e2e.codeTextedTo('+14255550144');
    await press('UPATTI', 'DPATTI', codeCard, /Enter the code/);
    const codeModal = await modal(2);
    await send(viewSubmission('UPATTI', codeModal.callback_id, codeModal.private_metadata, { code }), FORM);
    await press('UPATTI', 'DPATTI', await shown('DPATTI', /Confirm the change/), /^Confirm$/);
    await shown('DPATTI', /"Done"/);
    await shown('DMEGAN', /Handoff to Patti Fernandez.*Changed/);

    expect((await e2e.graphUsers())[PATTI.oid].phones.mobile).toBe('+1 4255550144');
    const audit = e2e.auditExport();
    expect(audit).toMatch(
      new RegExp(
        `"action":"escalationTaken".*"actorOid":"${MEGAN.oid}"|"actorOid":"${MEGAN.oid}".*"action":"escalationTaken"`,
      ),
    );
    // Megan saw progress, never the number or the code; nothing went to Slack unmasked.
    const toMegan = JSON.stringify((await calls()).filter((c) => c.args.channel === 'DMEGAN').map((c) => c.args));
    expect(toMegan).not.toContain(code);
    expect(JSON.stringify(await calls())).not.toMatch(/4255550144|555-0144/);
    await megansBrowser?.close();
  });
});
