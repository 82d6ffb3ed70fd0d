// The weaker attestation-only mode (HELPDESK_VERIFICATION=attestation) asked for from Slack: the pass would be shown to
// the agent, which Slack never does — so it is withdrawn (deleted at Microsoft, nobody saw it) and the agent is told.
import { describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/sandbox/entra/demo-directory.js';
import { buttonUrl, buttonValue, slackChat, textOf, useSlackSandbox } from '../helpers/slack-chat.js';
import { blockAction, dm, FORM, JSON_TYPE, postToSlackEndpoint, viewSubmission } from '../helpers/slack-requests.js';

const MEGAN = DEMO_USERS[1] as (typeof DEMO_USERS)[number];
const ctx = useSlackSandbox('slack-signing-secret-attest-0123456789', 'xoxb-sandbox-attest-0123', {
  HELPDESK_VERIFICATION: 'attestation',
});
const { shown, browserSignIn } = slackChat(
  () => ctx.slack,
  () => ctx.bot,
);
const send = (body: string, type = FORM) => postToSlackEndpoint(ctx.to, body, type);

describe('a pass asked for from Slack in the attestation-only mode', () => {
  it('is created, never shown in Slack, deleted at Microsoft, and the agent is told so', async () => {
    const { slack, bot } = ctx;
    await send(dm('UMEGAN', 'tap adelev@contoso.test'), JSON_TYPE);
    // Megan is not linked yet: the strong sign-in links her on the way.
    const link = buttonUrl(await shown('DMEGAN', /auth\/start/));
    expect((await browserSignIn(link, 'UMEGAN', MEGAN)).status).toBe(200);
    const attest = await shown('DMEGAN', /Temporary Access Pass for Adele Vance/);
    await send(blockAction('UMEGAN', 'DMEGAN', buttonValue(attest, /Issue the pass/), slack.trigger()));
    await expect.poll(() => slack.calls.filter((c) => c.method === 'views.open').length).toBe(1);
    const view = slack.calls.find((c) => c.method === 'views.open')?.args.view as {
      callback_id: string;
      private_metadata: string;
      blocks: { block_id?: string }[];
    };
    expect(view.blocks.some((b) => b.block_id === 'way')).toBe(false); // one mode: nothing to choose
    const values = { method: 'person', note: 'passport at the desk', confirm: 'yes' };
    await send(viewSubmission('UMEGAN', view.callback_id, view.private_metadata, values, ['method'], ['confirm']));
    await shown('DMEGAN', /could not be shown to you, so I deleted it/);
    const created = bot.graph.helpdesk.passes.filter((p) => p.oid === DEMO_USERS[2]?.oid);
    expect(created).toHaveLength(1);
    expect(created[0]?.deleted).toBe(true);
    expect(JSON.stringify(slack.calls.map((c) => textOf(c.args)))).not.toContain(created[0]?.pass as string);
  });
});
