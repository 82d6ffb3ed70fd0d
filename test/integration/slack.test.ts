// Slack over HTTP: really signed requests to POST /api/slack/events, verified by Bolt's own code on the bot's side;
// Slack's Web API played by the sandbox's simulator (every call recorded). Signature missing / wrong / stale → 401 and
// nothing processed; url_verification; a retried event acknowledged and not processed again; a DM answered in Block
// Kit; a mention moved to the DM; the ack before the work; and a whole mobile change through DMs, buttons and modals,
// ending in the Graph simulator's state, the outbox and the audit.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SecurityInfo } from '../../src/graph/auth-methods.js';
import { HttpsClient } from '../../src/identity/https-client.js';
import { DEMO_USERS } from '../../src/sandbox/entra/demo-directory.js';
import { demoSecurityInfo } from '../../src/sandbox/graph/demo-methods.js';
import type { SlackApiSimulator } from '../../src/sandbox/slack/slack-api-simulator.js';
import { sandboxSlack } from '../../src/sandbox/start-sandbox.js';
import { buttonUrl, buttonValue, slackChat, textOf, useSlackSandbox, valueOfAction } from '../helpers/slack-chat.js';
import {
  blockAction,
  dm,
  eventCallback,
  FORM,
  globalShortcut,
  homeAction,
  JSON_TYPE,
  postToSlackEndpoint,
  type SlackSender,
  viewSubmission,
} from '../helpers/slack-requests.js';
import { openStart, signInAtEntra } from '../helpers/step-up-flow.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';
import { TestBrowser } from '../helpers/test-browser.js';

const SECRET = 'slack-signing-secret-0123456789abcdef';
const TOKEN = 'xoxb-sandbox-0123456789';
const ALEX = DEMO_USERS[0] as (typeof DEMO_USERS)[number];
const ctx = useSlackSandbox(SECRET, TOKEN);
let bot: TestBot;
let slack: SlackApiSimulator;
let to: SlackSender;
beforeAll(() => {
  ({ bot, slack, to } = ctx);
});

const { nth, shown, slackLeg, browserSignIn, askToVerify } = slackChat(
  () => slack,
  () => bot,
  SECRET,
);

describe('Slack edge: signatures, acks, retries', () => {
  it('url_verification is answered with the challenge', async () => {
    const res = await postToSlackEndpoint(
      to,
      JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 'x' }),
      JSON_TYPE,
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ challenge: 'c-123' });
  });

  it('missing, wrong or stale (> 5 min) signature → 401 and nothing processed', async () => {
    const before = slack.calls.length;
    const body = dm('UALEX', 'change my MFA phone');
    expect((await postToSlackEndpoint(to, body, JSON_TYPE, { signature: '' })).status).toBe(401);
    expect((await postToSlackEndpoint(to, body, JSON_TYPE, { signature: `v0=${'0'.repeat(64)}` })).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await postToSlackEndpoint(to, body, JSON_TYPE, { timestamp: stale })).status).toBe(401);
    expect(
      (await postToSlackEndpoint({ ...to, secret: 'another-secret-0123456789abcdef' }, body, JSON_TYPE)).status,
    ).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.calls.slice(before)).toEqual([]);
  });

  it('a DM "change my MFA phone" gets Block Kit (section, actions, buttons) — no Adaptive Card, no image', async () => {
    const from = slack.calls.length;
    const res = await postToSlackEndpoint(to, dm('UALEX', 'change my MFA phone'), JSON_TYPE);
    expect(res.status).toBe(200);
    const posted = await nth('chat.postMessage', 1, from);
    expect(posted.channel).toBe('DALEX');
    const types = (posted.blocks as { type: string }[]).map((b) => b.type);
    expect(types).toEqual(expect.arrayContaining(['header', 'section', 'actions']));
    expect(textOf(posted)).toContain("Verify it's you");
    expect(JSON.stringify(posted)).not.toMatch(/AdaptiveCard|"type":"image"/);
  });

  it('a retry (X-Slack-Retry-Num) of an event already handled is acknowledged and not processed again', async () => {
    const body = eventCallback(
      { type: 'message', channel_type: 'im', channel: 'DALEX', user: 'UALEX', text: 'help', ts: '2.2' },
      'EvRETRY000001',
    );
    const from = slack.calls.length;
    expect((await postToSlackEndpoint(to, body, JSON_TYPE)).status).toBe(200);
    await nth('chat.postMessage', 1, from);
    expect((await postToSlackEndpoint(to, body, JSON_TYPE, { retryNum: 1 })).status).toBe(200);
    expect((await postToSlackEndpoint(to, body, JSON_TYPE, { retryNum: 2 })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 400));
    expect(slack.calls.slice(from).filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
    expect(bot.logs.some((l) => l.includes('Slack event delivered again'))).toBe(true);
  });

  it('a mention in a channel: an ephemeral note there, the conversation in the DM, nothing posted in the channel', async () => {
    const from = slack.calls.length;
    const body = eventCallback({
      type: 'app_mention',
      channel: 'C0GENERAL',
      user: 'UADELE',
      text: '<@U0PROOFUP> change my MFA phone',
      ts: '3.3',
    });
    expect((await postToSlackEndpoint(to, body, JSON_TYPE)).status).toBe(200);
    const note = await nth('chat.postEphemeral', 1, from);
    expect(note).toMatchObject({ channel: 'C0GENERAL', user: 'UADELE' });
    expect(String(note.text)).toMatch(/direct message/);
    const posted = await nth('chat.postMessage', 1, from);
    expect(posted.channel).toBe('DADELE');
    expect(slack.calls.slice(from).some((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0GENERAL')).toBe(
      false,
    );
  });

  it("an @mention in the bot's own DM (message.im and app_mention both delivered) is answered once", async () => {
    const from = slack.calls.length;
    const text = '<@U0PROOFUP> change my MFA phone';
    const ts = `${Date.now() / 1000}`;
    const asMessage = eventCallback({
      type: 'message',
      channel_type: 'im',
      channel: 'DISAIAH',
      user: 'UISAIAH',
      text,
      ts,
    });
    const asMention = eventCallback({
      type: 'app_mention',
      channel_type: 'im',
      channel: 'DISAIAH',
      user: 'UISAIAH',
      text,
      ts,
    });
    expect((await postToSlackEndpoint(to, asMessage, JSON_TYPE)).status).toBe(200);
    expect((await postToSlackEndpoint(to, asMention, JSON_TYPE)).status).toBe(200);
    const intro = await shown('DISAIAH', /Verify it's you/, from);
    expect(textOf(intro)).toContain('Change your sign-in security info');
    await new Promise((r) => setTimeout(r, 500));
    const posts = slack.calls.slice(from).filter((c) => c.method.startsWith('chat.post'));
    expect(posts.map((c) => c.args.channel)).toEqual(['DISAIAH']);
  });

  it('acknowledges before the work: a slow Slack API does not delay the ack', async () => {
    slack.latencyMs = 1500;
    try {
      const res = await postToSlackEndpoint(to, dm('UMEGAN', 'help'), JSON_TYPE);
      expect(res.status).toBe(200);
      expect(res.ms).toBeLessThan(1000);
    } finally {
      slack.latencyMs = 0;
    }
  });

  it('the /proofup slash command is acknowledged and answered in the DM', async () => {
    const from = slack.calls.length;
    const body = new URLSearchParams({
      command: '/proofup',
      text: 'change my MFA phone',
      team_id: 'T0SANDBOX',
      user_id: 'UMEGAN',
      channel_id: 'C0GENERAL',
      trigger_id: slack.trigger(),
      response_url: 'https://hooks.slack.test/commands/1',
    }).toString();
    const res = await postToSlackEndpoint(to, body, FORM);
    expect(res.status).toBe(200);
    const posted = await shown('DMEGAN', /Verify it's you/, from);
    expect(textOf(posted)).toContain('Change your sign-in security info');
  });

  it("the language they write in wins; the Slack locale (users.info) when the words don't say", async () => {
    (slack.users.get('UPATTI') as { locale: string }).locale = 'fr-FR';
    const from = slack.calls.length;
    await postToSlackEndpoint(to, dm('UPATTI', 'MFA'), JSON_TYPE);
    const posted = await shown('DPATTI', /intro|header/, from);
    expect(textOf(posted)).toContain('Modifier vos informations de sécurité');
    const next = slack.calls.length;
    await postToSlackEndpoint(to, dm('UPATTI', 'Ich möchte mein MFA-Telefon ändern'), JSON_TYPE);
    expect(textOf(await shown('DPATTI', /header/, next))).toContain('Sicherheitsinformationen');
    const english = slack.calls.length;
    await postToSlackEndpoint(to, dm('UPATTI', 'change my MFA phone'), JSON_TYPE);
    expect(textOf(await shown('DPATTI', /header/, english))).toContain('Change your sign-in security info');
  });
});

describe('Slack: a whole mobile change through DMs, buttons and modals', () => {
  it('verify → security info → number modal (errors in the ack) → code modal → confirm → Done, updated in place', async () => {
    const from = slack.calls.length;
    const link = await askToVerify('UALEX', 'DALEX', from);
    const page = await browserSignIn(link, 'UALEX');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Go back to Slack');
    await shown('DALEX', /Verified as Alex Wilber/, from);
    // The Slack user is now bound to Alex's Entra account (never from an e-mail address).
    const bindingKey = 'slackbind/T0SANDBOX:UALEX';
    expect((await bot.app.storage.read([bindingKey]))[bindingKey]).toMatchObject({ oid: ALEX.oid });

    const entry = await shown('DALEX', /Enter the new number/, from);
    const value = buttonValue(entry, /Enter the new number/);
    const flowId = JSON.parse(value).flowId as string;
    await postToSlackEndpoint(to, blockAction('UALEX', 'DALEX', value, slack.trigger()), FORM);
    const opened = await nth('views.open', 1, from);
    const view = opened.view as {
      callback_id: string;
      private_metadata: string;
      blocks: { type: string; element?: { type: string } }[];
    };
    expect(view.blocks.find((b) => (b as { block_id?: string }).block_id === 'number')?.element?.type).toBe(
      'plain_text_input',
    );

    const bad = await postToSlackEndpoint(
      to,
      viewSubmission('UALEX', view.callback_id, view.private_metadata, { country: 'US', number: '911' }, ['country']),
      FORM,
    );
    expect(JSON.parse(bad.text)).toMatchObject({ response_action: 'errors', errors: { number: expect.any(String) } });
    const good = await postToSlackEndpoint(
      to,
      viewSubmission(
        'UALEX',
        view.callback_id,
        view.private_metadata,
        { country: 'US', number: '(425) 555-0178', channel: 'sms' },
        ['country', 'channel'],
      ),
      FORM,
    );
    expect(good.status).toBe(200);
    expect(good.text).toBe('');

    const codeCard = await shown('DALEX', /Enter the code/, from);
    const sms = bot.outbox.lastSmsTo('+14255550178') as { text: string };
    const code = /^(\d{6}) /.exec(sms.text)?.[1] as string;
    await postToSlackEndpoint(
      to,
      blockAction('UALEX', 'DALEX', buttonValue(codeCard, /Enter the code/), slack.trigger()),
      FORM,
    );
    const codeView = (await nth('views.open', 2, from)).view as { callback_id: string; private_metadata: string };
    const wrongShape = await postToSlackEndpoint(
      to,
      viewSubmission('UALEX', codeView.callback_id, codeView.private_metadata, { code: '12ab' }),
      FORM,
    );
    expect(JSON.parse(wrongShape.text)).toMatchObject({ response_action: 'errors' });
    await postToSlackEndpoint(
      to,
      viewSubmission('UALEX', codeView.callback_id, codeView.private_metadata, { code }),
      FORM,
    );

    const confirm = await shown('DALEX', /Confirm the change/, from);
    await postToSlackEndpoint(
      to,
      blockAction('UALEX', 'DALEX', buttonValue(confirm, /^Confirm$/), slack.trigger()),
      FORM,
    );
    const done = await shown('DALEX', /Done/, from);
    expect(textOf(done)).toContain('+1 ••• ••• 01 78');
    expect(slack.calls.slice(from).some((c) => c.method === 'chat.update' && /Done/.test(textOf(c.args)))).toBe(true);

    expect(bot.graph.users.get(ALEX.oid)?.phones.mobile).toBe('+1 4255550178');
    expect(bot.outbox.items.some((m) => m.kind === 'email' && m.to === ALEX.upn)).toBe(true);
    const audit = (await bot.app.audit.since(new Date(Date.now() - 120_000))).find((r) => r.flowId === flowId);
    expect(audit).toMatchObject({ actorOid: ALEX.oid, channel: 'slack', result: 'done', after: '+1 ••• ••• 01 78' });
    // No number or code ever went to Slack unmasked.
    expect(JSON.stringify(slack.calls.slice(from).map((c) => c.args))).not.toMatch(/4255550178|555-0178/);
  });
});

describe('Slack: the security info with every option Teams has', () => {
  it('Remove per phone — a refused one offers the way out — then Remove the office phone, confirmed and done', async () => {
    const MEGAN = DEMO_USERS[1] as (typeof DEMO_USERS)[number];
    const from = slack.calls.length;
    await postToSlackEndpoint(to, dm('UMEGAN', 'change my MFA phone'), JSON_TYPE);
    const intro = await shown('DMEGAN', /"action_id":"stepUp\.start:/, from);
    await postToSlackEndpoint(
      to,
      blockAction('UMEGAN', 'DMEGAN', valueOfAction(intro, 'stepUp.start'), slack.trigger()),
      FORM,
    );
    const link = buttonUrl(await shown('DMEGAN', /auth\/start/, from));
    expect((await browserSignIn(link, 'UMEGAN', MEGAN)).status).toBe(200);
    const info = await shown('DMEGAN', /Remove the office phone/, from);
    expect(textOf(info)).toContain('Remove the alternate phone');
    expect(textOf(info)).toContain('mysignins.microsoft.com');
    const press = (message: Record<string, unknown>, title: RegExp) =>
      postToSlackEndpoint(to, blockAction('UMEGAN', 'DMEGAN', buttonValue(message, title), slack.trigger()), FORM);

    // The mobile is kept while the alternate exists: refused, with the way out on the same message.
    await press(info, /Remove the mobile phone/);
    const refused = await shown('DMEGAN', /Remove your alternate phone first/, from);
    expect(buttonValue(refused, /Replace the mobile number instead/)).toContain('"offer":"mobile"');

    await press(refused, /Remove the office phone/);
    const confirm = await shown('DMEGAN', /Confirm the change/, from);
    await press(confirm, /^Confirm$/);
    await shown('DMEGAN', /office phone/i, from);
    await expect.poll(() => bot.graph.users.get(MEGAN.oid)?.phones.office).toBeUndefined();
    expect(bot.graph.users.get(MEGAN.oid)?.phones.mobile).toBe('+44 7400123456');
    // Leave Megan as the later tests expect her: unlinked, her three phones back.
    await postToSlackEndpoint(to, dm('UMEGAN', 'unlink'), JSON_TYPE);
    await shown('DMEGAN', /unlinked|no longer linked/i, from);
    bot.graph.users.set(MEGAN.oid, demoSecurityInfo().get(MEGAN.oid) as SecurityInfo);
  });
});

describe('Slack: the Home tab and the global shortcut', () => {
  it('the Home tab says what Proofup does, whether you are linked and the days left; its buttons continue in the DM', async () => {
    const from = slack.calls.length;
    const opened = (user: string) =>
      postToSlackEndpoint(
        to,
        eventCallback({ type: 'app_home_opened', user, channel: `D${user.slice(1)}`, tab: 'home' }),
        JSON_TYPE,
      );
    await opened('UISAIAH'); // never signed in from Slack
    await expect.poll(() => slack.calls.slice(from).filter((c) => c.method === 'views.publish').length).toBe(1);
    const fresh = slack.calls.slice(from).find((c) => c.method === 'views.publish')?.args as Record<string, unknown>;
    expect(fresh.user_id).toBe('UISAIAH');
    const homeText = JSON.stringify(fresh.view);
    expect(homeText).toContain('Not linked yet');
    expect(homeText).toMatch(/February 1, 2027 \(\d+ days left\)/);
    // Megan links her Slack user (her own sign-in from her DM): the tab then says since when.
    const MEGAN = DEMO_USERS[1] as (typeof DEMO_USERS)[number];
    const link = await askToVerify('UMEGAN', 'DMEGAN', from);
    expect((await browserSignIn(link, 'UMEGAN', MEGAN)).status).toBe(200);
    await shown('DMEGAN', /Verified as Megan Bowen/, from);
    await opened('UMEGAN');
    await expect.poll(() => slack.calls.slice(from).filter((c) => c.method === 'views.publish').length).toBe(2);
    const meganHome = slack.calls.slice(from).filter((c) => c.method === 'views.publish')[1]?.args.view;
    expect(JSON.stringify(meganHome)).toContain('Linked to your work account since');
    // "Set up a passkey" on the tab (no channel in the press): it continues in her DM, her sign-in still holding.
    const passkey = buttonValue(meganHome as Record<string, unknown>, /Set up a passkey/);
    const pressedAt = slack.calls.length;
    await postToSlackEndpoint(to, homeAction('UMEGAN', passkey, slack.trigger()), FORM);
    await shown('DMEGAN', /still verified/i, pressedAt);
    await shown('DMEGAN', /passkey/i, pressedAt);
    // Leave Megan as the later tests expect her: nothing going on, unlinked.
    await postToSlackEndpoint(to, dm('UMEGAN', 'cancel'), JSON_TYPE);
    await postToSlackEndpoint(to, dm('UMEGAN', 'unlink'), JSON_TYPE);
    await shown('DMEGAN', /unlinked|no longer linked/i, pressedAt);
  });

  it('the shortcut "Change my sign-in methods" posts the intro in the DM, in the user\'s language', async () => {
    const from = slack.calls.length;
    await postToSlackEndpoint(to, globalShortcut('UALEX', 'proofup.change', slack.trigger()), FORM);
    const intro = await shown('DALEX', /"action_id":"stepUp\.start:/, from);
    expect(textOf(intro)).toContain("Verify it's you");
    expect(slack.calls.slice(from).some((c) => c.method === 'chat.postMessage' && c.args.channel !== 'DALEX')).toBe(
      false,
    );
  });
});

describe('Slack: a modal whose trigger is spent', () => {
  it('an expired trigger_id (past Slack\'s 3 seconds) is told to the user ("press again"); a fresh one opens the modal', async () => {
    const from = slack.calls.length;
    await postToSlackEndpoint(to, dm('UALEX', 'change my mobile number'), JSON_TYPE);
    const intro = await shown('DALEX', /"action_id":"stepUp\.start:/, from);
    await postToSlackEndpoint(
      to,
      blockAction('UALEX', 'DALEX', valueOfAction(intro, 'stepUp.start'), slack.trigger()),
      FORM,
    );
    // Alex's sign-in from the change above is still live: the new-number step comes at once.
    const entry = await shown('DALEX', /Enter the new number/, from);
    const value = buttonValue(entry, /Enter the new number/);
    await postToSlackEndpoint(to, blockAction('UALEX', 'DALEX', value, slack.trigger(-1)), FORM);
    await shown('DALEX', /That took too long on Slack's side/, from);
    expect(bot.logs.some((l) => l.includes('PROOFUP_SLACK_TRIGGER_SPENT'))).toBe(true);
    await postToSlackEndpoint(to, blockAction('UALEX', 'DALEX', value, slack.trigger()), FORM);
    // Two views.open calls: the expired one (refused by Slack) and the one that opened the modal; one "too long".
    await expect.poll(() => slack.calls.slice(from).filter((c) => c.method === 'views.open').length).toBe(2);
    await new Promise((r) => setTimeout(r, 300));
    const tooLong = slack.calls.slice(from).filter((c) => /That took too long/.test(textOf(c.args)));
    expect(tooLong).toHaveLength(1);
  });
});

describe('Slack: binding a Slack user to Entra in one browser', () => {
  it('a link opened by another Slack user fails at Sign in with Slack: nothing is linked, the DM is told', async () => {
    const from = slack.calls.length;
    const link = await askToVerify('UMEGAN', 'DMEGAN', from);
    // A code typed into the DM is not how a Slack sign-in ends, and says so.
    await postToSlackEndpoint(to, dm('UMEGAN', '123456'), JSON_TYPE);
    await shown('DMEGAN', /In Slack there is no code to type/, from);
    const page = await browserSignIn(link, 'UADELE');
    expect(page.status).toBe(403);
    expect(page.text).toContain('belongs to another Slack user');
    await shown('DMEGAN', /belongs to another Slack user/, from);
    const key = 'slackbind/T0SANDBOX:UMEGAN';
    expect((await bot.app.storage.read([key]))[key]).toBeUndefined();
    // The link is spent.
    const again = await openStart(bot, link);
    expect(again.status).toBe(409);
  });

  it('a Slack user bound to one Entra account cannot verify as another', async () => {
    const isaiah = DEMO_USERS[3] as (typeof DEMO_USERS)[number];
    // His Slack profile's e-mail is not his UPN: a cross-check only, logged, the binding still rests on the sign-ins.
    (slack.users.get('UISAIAH') as { email: string }).email = 'isaiah.private@example.com';
    const first = slack.calls.length;
    const firstPage = await browserSignIn(await askToVerify('UISAIAH', 'DISAIAH', first), 'UISAIAH', isaiah);
    expect(firstPage.status).toBe(200);
    await shown('DISAIAH', /Verified as Isaiah Langer/, first);
    expect(bot.logs.some((l) => l.includes('PROOFUP_SLACK_EMAIL_MISMATCH'))).toBe(true);
    expect(bot.logs.filter((l) => l.includes('isaiah.private@example.com'))).toEqual([]);
    // Ten minutes later the verification has run out (its grant is gone); the binding stays.
    for (const key of await bot.app.storage.keys('stepup/grant/')) await bot.app.storage.delete([key]);
    const from = slack.calls.length;
    // Bound to Isaiah's Entra account; now the same browser signs in to Entra as Megan.
    const page = await browserSignIn(await askToVerify('UISAIAH', 'DISAIAH', from), 'UISAIAH', DEMO_USERS[1]);
    expect(page.status).toBe(403);
    await shown('DISAIAH', /different account than the one you are chatting with/, from);
    const key = 'slackbind/T0SANDBOX:UISAIAH';
    expect((await bot.app.storage.read([key]))[key]).toMatchObject({ oid: isaiah.oid });
  });
});

describe('Slack edge: requests that must not do anything', () => {
  it('a signed body Bolt cannot read (null, an event_callback without event, block_actions without actions, payload=%7B) → 4xx, and the process keeps serving', async () => {
    const from = slack.calls.length;
    const bodies: [string, string][] = [
      ['null', JSON_TYPE],
      ['[]', JSON_TYPE],
      ['"text"', JSON_TYPE],
      [JSON.stringify({ type: 'event_callback' }), JSON_TYPE],
      [JSON.stringify({ type: 'event_callback', event: null }), JSON_TYPE],
      [new URLSearchParams({ payload: JSON.stringify({ type: 'block_actions' }) }).toString(), FORM],
      [new URLSearchParams({ payload: 'null' }).toString(), FORM],
      ['payload=%7B', FORM],
      [
        new URLSearchParams({ payload: JSON.stringify({ type: 'view_submission', user: { id: 'UALEX' } }) }).toString(),
        FORM,
      ],
    ];
    for (const [body, type] of bodies) {
      const res = await postToSlackEndpoint(to, body, type);
      expect(res.status, body).toBe(400);
    }
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    // And still answers Slack.
    await postToSlackEndpoint(to, dm('UALEX', 'help'), JSON_TYPE);
    await nth('chat.postMessage', 1, from);
    expect(bot.logs.filter((l) => l.includes('PROOFUP_SLACK_BAD_REQUEST')).length).toBeGreaterThanOrEqual(
      bodies.length,
    );
  });

  it('a signed button press replayed (same trigger_id) is not processed again; a request dated > 1 minute ahead → 401', async () => {
    const from = slack.calls.length;
    await postToSlackEndpoint(to, dm('UALEX', 'change my MFA phone'), JSON_TYPE);
    const intro = await shown('DALEX', /Verify it's you/, from);
    const press = blockAction('UALEX', 'DALEX', buttonValue(intro, /Verify it's you/), slack.trigger());
    expect((await postToSlackEndpoint(to, press, FORM)).status).toBe(200);
    await shown('DALEX', /auth\/start/, from);
    expect((await postToSlackEndpoint(to, press, FORM)).status).toBe(200);
    const ahead = Math.floor(Date.now() / 1000) + 120;
    const fresh = blockAction('UALEX', 'DALEX', buttonValue(intro, /Verify it's you/), slack.trigger());
    expect((await postToSlackEndpoint(to, fresh, FORM, { timestamp: ahead })).status).toBe(401);
    await expect.poll(() => bot.logs.some((l) => l.includes('PROOFUP_SLACK_REPLAY'))).toBe(true);
    const links = slack.calls
      .slice(from)
      .filter((c) => c.method === 'chat.postMessage' && /auth\/start/.test(textOf(c.args)));
    expect(links).toHaveLength(1);
  });

  it("each button reaches its own listener: an action_id naming one action with another's value does nothing but say it ended", async () => {
    const from = slack.calls.length;
    await postToSlackEndpoint(to, dm('UALEX', 'change my MFA phone'), JSON_TYPE);
    const intro = await shown('DALEX', /Verify it's you/, from);
    const start = buttonValue(intro, /Verify it's you/);
    // The "Cancel" listener's id, carrying "Verify it's you"'s value: neither a sign-in nor a cancel.
    const forged = blockAction('UALEX', 'DALEX', start, slack.trigger(), 'flow.cancel:x');
    expect((await postToSlackEndpoint(to, forged, FORM)).status).toBe(200);
    await shown('DALEX', /That button belongs to something that has ended|has ended/, from);
    // An id no listener knows (no data of ours): acknowledged, nothing said.
    const odd = blockAction('UALEX', 'DALEX', 'not json', slack.trigger(), 'country');
    expect((await postToSlackEndpoint(to, odd, FORM)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    const said = slack.calls
      .slice(from)
      .filter((c) => c.method === 'chat.postMessage')
      .map((c) => textOf(c.args));
    expect(said.filter((t) => /auth\/start/.test(t))).toHaveLength(0);
    expect(said.filter((t) => /cancelled|Cancelled/.test(t))).toHaveLength(0);
    expect(said).toHaveLength(2); // the intro, then "that has ended"
    expect(bot.logs.some((l) => l.includes('PROOFUP_BAD_SUBMIT') && l.includes('flow.cancel'))).toBe(true);
  });

  it('"hi" is greeted with what Proofup does, "thanks" answered in a line — as in Teams', async () => {
    const from = slack.calls.length;
    await postToSlackEndpoint(to, dm('UALEX', 'hi'), JSON_TYPE);
    await shown('DALEX', /Here is what I can do/, from);
    const next = slack.calls.length;
    await postToSlackEndpoint(to, dm('UALEX', 'thanks'), JSON_TYPE);
    const thanks = await nth('chat.postMessage', 1, next);
    expect(textOf(thanks)).not.toMatch(/didn't understand|not sure what you mean/i);
    expect((thanks.blocks as unknown[]).length).toBe(1);
  });

  it("a modal submitted by another Slack user carrying someone's modal context moves nothing and texts nobody", async () => {
    const patti = DEMO_USERS[4] as (typeof DEMO_USERS)[number];
    const from = slack.calls.length;
    const page = await browserSignIn(await askToVerify('UPATTI', 'DPATTI', from), 'UPATTI', patti);
    expect(page.status).toBe(200);
    const numberStep = await shown('DPATTI', /slack\.numberModal/, from);
    const flowId = JSON.parse(buttonValue(numberStep, /./)).flowId as string;
    const metadata = JSON.stringify({ flowId, team: 'T0SANDBOX', user: 'UPATTI', channel: 'DPATTI', lang: 'en' });
    const values = { country: 'US', number: '(425) 555-0166', channel: 'sms' };
    const sms = () => bot.outbox.items.filter((m) => m.kind === 'sms' && m.to === '+14255550166').length;
    const foreign = viewSubmission('UMEGAN', 'proofup.number', metadata, values, ['country', 'channel']);
    expect((await postToSlackEndpoint(to, foreign, FORM)).status).toBe(200);
    expect(bot.logs.some((l) => l.includes('modal of another Slack user'))).toBe(true);
    expect(sms()).toBe(0);
    // The same context from its own user is accepted: the context was valid, only the submitter was wrong.
    const own = viewSubmission('UPATTI', 'proofup.number', metadata, values, ['country', 'channel']);
    expect((await postToSlackEndpoint(to, own, FORM)).status).toBe(200);
    await expect.poll(() => sms()).toBe(1);
  });
});

describe('Slack binding: one browser, the account holder confirms, announced, one Slack user per account', () => {
  const MEGAN = DEMO_USERS[1] as (typeof DEMO_USERS)[number];
  const ADELE = DEMO_USERS[2] as (typeof DEMO_USERS)[number];
  const keyOf = (k: string) => bot.app.storage.read([k]).then((r) => r[k]);

  it('phishing: the attacker forwards the Entra URL from HIS Slack leg; the victim signs in in HER browser → refused, nothing bound, Graph unchanged', async () => {
    const graphBefore = JSON.stringify(bot.graph.users.get(MEGAN.oid));
    const outboxBefore = bot.outbox.items.length;
    const from = slack.calls.length;
    // The attacker (Slack user UISAIAH) opens his own link and completes Sign in with Slack as himself...
    const attacker = new TestBrowser(bot);
    const slackBack = await slackLeg(attacker, await askToVerify('UISAIAH', 'DISAIAH', from), 'UISAIAH');
    expect(slackBack.status).toBe(302);
    const entraUrl = slackBack.headers.get('location') as string;
    // ...and sends the Entra authorize URL to the victim, who signs in with her MFA in HER browser.
    const victim = new TestBrowser(bot);
    const entraBack = await signInAtEntra(bot, entraUrl, MEGAN);
    const page = await victim.get(entraBack);
    const html = await page.text();
    expect(page.status).toBe(403);
    // She is told whose link it was and what to do; there is no confirm button to press.
    expect(html).toContain('This sign-in link was made for Slack user');
    expect(html).toContain('UISAIAH');
    expect(html).not.toContain('name="decision"');
    // The attacker's DM learns nothing useful, and no grant exists for his chat.
    await shown('DISAIAH', /The sign-in was not completed/, from);
    expect(
      slack.calls.slice(from).some((c) => c.args.channel === 'DISAIAH' && /Verified as|Megan/.test(textOf(c.args))),
    ).toBe(false);
    // (The attacker's own earlier binding to his own account is untouched; Megan's account is bound to nobody.)
    expect(await keyOf('slackbind/T0SANDBOX:UISAIAH')).not.toMatchObject({ oid: MEGAN.oid });
    expect((await bot.app.storage.keys('slackowner/')).filter((k) => k.endsWith(MEGAN.oid))).toEqual([]);
    const attackerChat = createHash('sha256').update('slack\nT0SANDBOX:UISAIAH\nDISAIAH').digest('base64url');
    expect(await keyOf(`stepup/grant/${attackerChat}`)).toBeUndefined();
    // The attacker's browser (with the cookie) cannot finish it either: the attempt is spent.
    const replay = await attacker.get(entraBack);
    expect(replay.status).toBe(409);
    expect(JSON.stringify(bot.graph.users.get(MEGAN.oid))).toBe(graphBefore);
    expect(bot.outbox.items.length).toBe(outboxBefore);
  });

  it("the Slack leg's redirect opened without the cookie (another browser) is refused before Slack's code is used", async () => {
    const from = slack.calls.length;
    const link = await askToVerify('UISAIAH', 'DISAIAH', from);
    const attacker = new TestBrowser(bot);
    const start = await attacker.get(link);
    expect(start.status).toBe(302);
    // The cookie that ties the steps together: HttpOnly, Secure, SameSite=Lax, scoped to /auth, 10 minutes.
    expect(attacker.setCookies.at(-1)).toMatch(
      /^proofup_signin=[\w-]{43}; Max-Age=600; Path=\/auth; HttpOnly; Secure; SameSite=Lax$/,
    );
    const http = new HttpsClient({ extraCaPem: bot.caPem });
    const slackAuthorize = start.headers.get('location') as string;
    const loginPage = await http.request(slackAuthorize);
    const interaction = /name="interaction" value="([^"]+)"/.exec(loginPage.body)?.[1] as string;
    const decided = await http.request(new URL('/openid/connect/authorize', slackAuthorize).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ interaction, user: 'UISAIAH' }).toString(),
    });
    const elsewhere = await new TestBrowser(bot).get(decided.headers.location as string);
    expect(elsewhere.status).toBe(403);
    await shown('DISAIAH', /The sign-in was not completed/, from);
  });

  it('a new binding needs the account holder\'s confirm: the page names the Slack user and workspace; "This wasn\'t me" binds nothing and is audited', async () => {
    const from = slack.calls.length;
    const page = await browserSignIn(await askToVerify('UADELE', 'DADELE', from), 'UADELE', ADELE, 'refuse');
    expect(page.confirmPage).toContain('Link a Slack user to your account?');
    expect(page.confirmPage).toMatch(
      /Slack user @Adele Vance \(UADELE\) in workspace Proofup Sandbox \(T0SANDBOX\) will act as you/,
    );
    expect(page.status).toBe(403);
    expect(page.text).toContain('Nothing was linked');
    await shown('DADELE', /The sign-in was not completed/, from);
    expect(await keyOf('slackbind/T0SANDBOX:UADELE')).toBeUndefined();
    const audit = await bot.app.audit.since(new Date(Date.now() - 60_000));
    expect(audit.find((r) => r.action === 'slackBindRefused' && r.slackUser === 'T0SANDBOX:UADELE')).toMatchObject({
      actorOid: ADELE.oid,
      result: 'refused',
    });
  });

  it('a confirmed binding is announced by e-mail to the Entra account and audited with both identities; the Slack user token is revoked', async () => {
    const oidc = bot.slackOidc as NonNullable<TestBot['slackOidc']>;
    const revokedBefore = oidc.revokedUserTokens.length;
    const mails = bot.outbox.items.length;
    const from = slack.calls.length;
    const page = await browserSignIn(await askToVerify('UADELE', 'DADELE', from), 'UADELE', ADELE);
    expect(page.status).toBe(200);
    await shown('DADELE', /Verified as Adele Vance/, from);
    const mail = bot.outbox.items.slice(mails).find((m) => m.kind === 'email' && m.to === ADELE.upn);
    expect(mail?.text).toContain(
      'Slack user @Adele Vance (UADELE) in workspace Proofup Sandbox (T0SANDBOX) was linked',
    );
    const audit = await bot.app.audit.since(new Date(Date.now() - 60_000));
    expect(audit.find((r) => r.action === 'slackBound' && r.slackUser === 'T0SANDBOX:UADELE')).toMatchObject({
      actorOid: ADELE.oid,
      result: 'done',
      notified: { email: true },
    });
    // The Slack user token from Sign in with Slack was given back (auth.revoke), none left live.
    expect(oidc.revokedUserTokens.length).toBe(revokedBefore + 1);
    expect(oidc.liveUserTokens.size).toBe(0);
  });

  it('an Entra account bound to one Slack user is not bound to a second; "unlink" by its owner frees it (audited)', async () => {
    // Adele's account is bound to UADELE (previous test). Slack user UMEGAN now tries to link Adele's account.
    const from = slack.calls.length;
    const page = await browserSignIn(await askToVerify('UMEGAN', 'DMEGAN', from), 'UMEGAN', ADELE);
    expect(page.status).toBe(403);
    expect(page.text).toContain('already linked to another Slack user');
    expect(page.confirmPage).toBeUndefined();
    expect(await keyOf('slackbind/T0SANDBOX:UMEGAN')).toBeUndefined();
    // The owner unlinks in their DM; then the account can be linked to the other Slack user (after confirming).
    await postToSlackEndpoint(to, dm('UADELE', 'unlink'), JSON_TYPE);
    await shown('DADELE', /no longer linked/, from);
    expect(await keyOf('slackbind/T0SANDBOX:UADELE')).toBeUndefined();
    const audit = await bot.app.audit.since(new Date(Date.now() - 60_000));
    expect(audit.some((r) => r.action === 'slackUnbound' && r.slackUser === 'T0SANDBOX:UADELE')).toBe(true);
    const again = await browserSignIn(await askToVerify('UMEGAN', 'DMEGAN', from), 'UMEGAN', ADELE);
    expect(again.status).toBe(200);
    expect(await keyOf('slackbind/T0SANDBOX:UMEGAN')).toMatchObject({ oid: ADELE.oid });
  });
});

describe('Slack: the passkey set-up as Block Kit', () => {
  it('"my text codes are going away" → sign-in → device buttons → steps with My Sign-ins → I\'ve added it → confirmed', async () => {
    for (const key of await bot.app.storage.keys('stepup/grant/')) await bot.app.storage.delete([key]);
    const from = slack.calls.length;
    await postToSlackEndpoint(to, dm('UALEX', 'my text codes are going away'), JSON_TYPE);
    const intro = await shown('DALEX', /You asked about passkeys/, from);
    await postToSlackEndpoint(
      to,
      blockAction('UALEX', 'DALEX', valueOfAction(intro, 'stepUp.start'), slack.trigger()),
      FORM,
    );
    const link = buttonUrl(await shown('DALEX', /auth\/start/, from));
    const page = await browserSignIn(link, 'UALEX');
    expect(page.status).toBe(200);
    // The passkey set-up comes first after the sign-in: the devices as buttons.
    const devices = await shown('DALEX', /Where do you want your passkey/, from);
    const iphone = buttonValue(devices, /^iPhone or iPad$/);
    await postToSlackEndpoint(to, blockAction('UALEX', 'DALEX', iphone, slack.trigger()), FORM);
    const steps = await shown('DALEX', /Confirm with Face ID or Touch ID/, from);
    expect(JSON.stringify(steps.blocks)).toContain('/_sandbox/mysignins');
    // Alex adds a passkey on the (sandbox) My Sign-ins page, then says so.
    const http = new HttpsClient({ extraCaPem: bot.caPem });
    await http.request(`${bot.config.graph.baseUrl}/_sandbox/mysignins`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ oid: ALEX.oid, device: 'iphone' }).toString(),
    });
    await postToSlackEndpoint(
      to,
      blockAction('UALEX', 'DALEX', buttonValue(steps, /^I've added it$/), slack.trigger()),
      FORM,
    );
    await shown('DALEX', /Your passkey is set up/, from);
    await expect
      .poll(
        () =>
          bot.outbox.items.filter((m) => m.kind === 'email' && m.to === ALEX.upn && /passkey/.test(m.subject)).length,
      )
      .toBe(1);
    const audit = await bot.app.audit.since(new Date(Date.now() - 60_000));
    expect(audit.filter((r) => r.action === 'passkeyAdded' && r.channel === 'slack')).toHaveLength(1);
  });
});

describe('Slack in the production profile', () => {
  it('without Sign in with Slack (SLACK_CLIENT_ID/SECRET) "Verify it\'s you" says so: no sign-in link, nothing changes', async () => {
    const prodSlack = sandboxSlack(TOKEN);
    await prodSlack.start();
    const prod = await startTestBot({
      env: { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN, SLACK_API_URL: prodSlack.url },
    });
    try {
      const sender = { url: prod.url, secret: SECRET };
      await postToSlackEndpoint(sender, dm('UALEX', 'change my MFA phone'), JSON_TYPE);
      await expect.poll(() => prodSlack.of('chat.postMessage').length).toBe(1);
      const intro = prodSlack.of('chat.postMessage')[0]?.args as Record<string, unknown>;
      await postToSlackEndpoint(
        sender,
        blockAction('UALEX', 'DALEX', buttonValue(intro, /Verify it's you/), prodSlack.trigger()),
        FORM,
      );
      await expect.poll(() => prodSlack.of('chat.postMessage').length).toBe(2);
      const told = prodSlack.of('chat.postMessage')[1]?.args as Record<string, unknown>;
      expect(textOf(told)).toContain("Verifying who you are isn't supported in this chat app yet");
      expect(JSON.stringify(told)).not.toContain('auth/start');
    } finally {
      await prod.close();
      await prodSlack.stop();
    }
  });
});
