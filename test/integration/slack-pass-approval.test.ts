// A second agent's approval in Slack (TAP_REQUIRES_SECOND_AGENT=true): Megan asks for a pass for Adele from her Slack
// DM, Adele verifies herself in hers, and the approval is asked in SLACK_HELPDESK_CHANNEL — not in a Teams channel
// nobody in Slack reads. Megan (the asker) and Adele (the person) are refused there, ephemerally; Alex approves after
// his own strong sign-in in his DM; the channel's message then says who approved, with no button, and the pass goes
// to Adele's DM alone.
import { describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/sandbox/entra/demo-directory.js';
import { buttonUrl, buttonValue, slackChat, textOf, useSlackSandbox } from '../helpers/slack-chat.js';
import { blockAction, dm, FORM, JSON_TYPE, postToSlackEndpoint, viewSubmission } from '../helpers/slack-requests.js';

const HELPDESK = 'C0HELPDESK';
const person = (first: string) => DEMO_USERS.find((u) => u.name.startsWith(first)) as (typeof DEMO_USERS)[number];
const [ALEX, MEGAN, ADELE] = [person('Alex'), person('Megan'), person('Adele')];
const ctx = useSlackSandbox('slack-signing-secret-approve-0123456789', 'xoxb-sandbox-approve-0123', {
  TAP_REQUIRES_SECOND_AGENT: 'true',
});
const {
  shown,
  ephemeral: told,
  browserSignIn,
} = slackChat(
  () => ctx.slack,
  () => ctx.bot,
);
const send = (body: string, type = FORM) => postToSlackEndpoint(ctx.to, body, type);
const press = (user: string, channel: string, value: string) =>
  send(blockAction(user, channel, value, ctx.slack.trigger()));
const ephemeral = (user: string, pattern: RegExp, from: number) => told(HELPDESK, user, pattern, from);

async function signInAs(user: string, channel: string, who: (typeof DEMO_USERS)[number], from: number) {
  const link = buttonUrl(await shown(channel, /auth\/start/, from));
  expect((await browserSignIn(link, user, who)).status).toBe(200);
}

/** A Slack user's first sign-in from their DM links them to `who` (as an agent or a person in Slack would be). */
async function link(user: string, who: (typeof DEMO_USERS)[number]) {
  const channel = `D${user.slice(1)}`;
  await send(dm(user, 'change my MFA phone'), JSON_TYPE);
  const intro = await shown(channel, /Verify it's you/);
  const from = ctx.slack.calls.length;
  await press(user, channel, buttonValue(intro, /Verify it's you/));
  await signInAs(user, channel, who, from);
  await shown(channel, new RegExp(`Verified as ${who.name}`));
}

describe('a pass asked for from Slack with a second agent', () => {
  it("is approved in the Slack helpdesk channel by another agent only; the pass goes to the person's DM alone", async () => {
    const { slack, bot } = ctx;
    // Alex (an agent) and Adele link their Slack users first: the verification goes to the DM bound to Adele.
    await link('UALEX', ALEX);
    await link('UADELE', ADELE);

    const from = slack.calls.length;
    await send(dm('UMEGAN', 'tap adelev@contoso.test'), JSON_TYPE);
    await signInAs('UMEGAN', 'DMEGAN', MEGAN, from);
    const attest = await shown('DMEGAN', /Temporary Access Pass for Adele Vance/, from);
    const triggerAt = slack.calls.length;
    await press('UMEGAN', 'DMEGAN', buttonValue(attest, /Issue the pass/));
    await expect.poll(() => slack.calls.slice(triggerAt).filter((c) => c.method === 'views.open').length).toBe(1);
    const view = slack.calls.slice(triggerAt).find((c) => c.method === 'views.open')?.args.view as {
      callback_id: string;
      private_metadata: string;
    };
    const values = { method: 'video', note: 'badge on camera', way: 'step-up', confirm: 'yes' };
    await send(
      viewSubmission('UMEGAN', view.callback_id, view.private_metadata, values, ['method', 'way'], ['confirm']),
    );
    const ask = await shown('DADELE', /The helpdesk is issuing you a Temporary Access Pass/, from);
    const verifyAt = slack.calls.length;
    await press('UADELE', 'DADELE', buttonValue(ask, /Verify it's me/));
    await signInAs('UADELE', 'DADELE', ADELE, verifyAt);
    await shown('DADELE', /second agent must approve|approve/i, verifyAt);

    // The approval, in the Slack helpdesk channel: what was checked and how Adele verified, never a pass.
    const approval = await shown(HELPDESK, /Approve a Temporary Access Pass/, from);
    expect(textOf(approval)).toContain('Adele Vance verified themselves with a fresh sign-in');
    expect(textOf(approval)).toContain('the pass goes to Adele Vance (adelev@contoso.test) alone');
    const approve = buttonValue(approval, /^Approve$/);
    const passesBefore = bot.graph.helpdesk.passes.length;

    const refusals = slack.calls.length;
    await press('UMEGAN', HELPDESK, approve); // the asker
    await ephemeral('UMEGAN', /another agent|not your own|You asked for this pass/i, refusals);
    await press('UADELE', HELPDESK, approve); // the person it is for
    await ephemeral('UADELE', /.+/, refusals);
    expect(bot.graph.helpdesk.passes.length).toBe(passesBefore);

    // Alex: his strong sign-in (HELPDESK_AUTH_CONTEXT) in his DM, then approved.
    const alexAt = slack.calls.length;
    await press('UALEX', HELPDESK, approve);
    await ephemeral('UALEX', /sign-in|DM/i, alexAt);
    await signInAs('UALEX', 'DALEX', ALEX, alexAt);
    await shown('DALEX', /Approved\. The pass for Adele Vance is being issued/, alexAt);
    await shown('DADELE', /Your Temporary Access Pass/, alexAt);
    expect(bot.graph.helpdesk.passes.length).toBe(passesBefore + 1);
    const pass = bot.graph.helpdesk.passes.at(-1)?.pass as string;

    // The channel's message, updated for everyone: who approved, no button left.
    await expect
      .poll(() =>
        slack.calls.some(
          (c) =>
            c.method === 'chat.update' && c.args.channel === HELPDESK && /Approved by Alex Wilber/.test(textOf(c.args)),
        ),
      )
      .toBe(true);
    const updated = slack.calls.filter((c) => c.method === 'chat.update' && c.args.channel === HELPDESK).at(-1);
    expect(JSON.stringify(updated?.args.blocks)).not.toContain('helpdesk.tapApprove');
    // The pass: in Adele's DM only — never in the channel or an agent's DM.
    const elsewhere = slack.calls.filter((c) => c.args.channel !== 'DADELE');
    expect(JSON.stringify(elsewhere.map((c) => c.args))).not.toContain(pass);
    // A second press on the old button (a stale client) does nothing more.
    await press('UALEX', HELPDESK, approve);
    await new Promise((r) => setTimeout(r, 300));
    expect(bot.graph.helpdesk.passes.length).toBe(passesBefore + 1);
  });
});
