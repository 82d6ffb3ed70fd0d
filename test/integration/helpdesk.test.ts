// Escalation to people, over HTTP in the sandbox: a lost phone, "talk to a human" and passwords get real answers;
// "Ask the helpdesk" opens a signed webhook ticket and a ServiceNow incident (each checked by its stand-in) and posts
// a card to the helpdesk channel; "Take it" is for members of the helpdesk group only, first one wins, the card says
// so for everyone; five wrong codes offer the helpdesk with the facts of that change (masked). All audited.
import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/sandbox/entra/demo-directory.js';
import { chatUser, flowChat, HELPDESK_CHANNEL, inChannel } from '../helpers/flow-chat.js';
import { leakingLines } from '../helpers/leak-scan.js';
import {
  callback,
  cardText,
  exchange,
  openStart,
  personal,
  requestSignIn,
  signInAtEntra,
  signInFromLastCard,
} from '../helpers/step-up-flow.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';
import { type StandIn, startServiceNowStandIn, startWebhookStandIn } from '../helpers/ticket-standins.js';

type DemoUser = (typeof DEMO_USERS)[number];
const [ALEX, MEGAN, ISAIAH] = [0, 1, 3].map((i) => DEMO_USERS[i] as DemoUser) as [DemoUser, DemoUser, DemoUser];
const SECRET = 'itsm-webhook-secret-0123456789abcdef0123456789';

let bot: TestBot;
let webhook: StandIn;
let serviceNow: StandIn;
beforeAll(async () => {
  webhook = await startWebhookStandIn(SECRET);
  serviceNow = await startServiceNowStandIn('proofup.integration', 'sn-password');
  bot = await startTestBot({
    profile: 'sandbox', // the sandbox directory's helpdesk group: Alex and Megan
    env: {
      ITSM_WEBHOOK_URL: `${webhook.url}/tickets`,
      ITSM_WEBHOOK_SECRET: SECRET,
      SERVICENOW_INSTANCE_URL: serviceNow.url,
      SERVICENOW_USER: 'proofup.integration',
      SERVICENOW_PASSWORD: 'sn-password',
      // Alex asks the helpdesk many times in this file (person-limits.test.ts tests the limit itself).
      ESCALATIONS_PER_HOUR: '50',
    },
  });
});
afterAll(async () => {
  await bot?.close();
  await Promise.all([webhook?.close(), serviceNow?.close()]);
});

const CHANNEL = HELPDESK_CHANNEL;
const channelCalls = () => bot.connector.calls.filter((c) => c.conversationId === CHANNEL);
const press = (chat: Partial<Activity>, value: Record<string, unknown>) =>
  exchange(bot, { ...chat, text: undefined, value });

describe('escalation to people', () => {
  it('"I lost my phone", "talk to a human", "reset my password" get their own answers, each with "Ask the helpdesk"', async () => {
    const chat = personal('a:hd-offers');
    const lost = await exchange(bot, { ...chat, text: 'I lost my phone' });
    expect(cardText(lost)).toContain('Lost or stolen phone');
    expect(cardText(lost)).toContain('Replace the lost number');
    expect(cardText(lost)).toContain('Ask the helpdesk');
    expect(cardText(await exchange(bot, { ...chat, text: 'talk to a human' }))).toContain('Talk to the helpdesk');
    const password = await exchange(bot, { ...chat, text: 'reset my password' });
    expect(cardText(password)).toContain('https://passwordreset.microsoftonline.com');
    const german = await exchange(bot, { ...chat, text: 'ich habe mein Handy verloren' });
    expect(cardText(german)).toContain('Telefon verloren oder gestohlen');
  });

  it('"Ask the helpdesk": a signed webhook ticket, a ServiceNow incident and a card in the helpdesk channel', async () => {
    // The bot learns its helpdesk channel from the channel's own traffic (here: it is mentioned there).
    await bot.send(bot.activity({ ...inChannel(MEGAN), text: '<at>Proofup</at> hello' }));
    const chat = personal('a:hd-escalate');
    const told = await press(chat, { action: 'helpdesk.escalate', reason: 'lost-phone', lang: 'en' });
    expect(told.text).toMatch(/^I've asked the helpdesk to help you \(ticket WH-\d+\)\./);

    const ticket = webhook.received.at(-1);
    expect(ticket?.authentic).toBe(true);
    expect(ticket?.body).toMatchObject({
      type: 'proofup.escalation',
      reason: 'lost-phone',
      requester: { oid: ALEX.oid, name: 'Alex Wilber' },
      details: { Identity: 'as Teams names the sender (no step-up in this chat)' },
    });
    expect(ticket?.headers['idempotency-key']).toBe((ticket?.body as { id?: string } | undefined)?.id);
    const incident = serviceNow.received.at(-1);
    expect(incident?.authentic).toBe(true);
    expect(incident?.body).toMatchObject({ contact_type: 'chat', urgency: '2', correlation_display: 'Proofup' });
    expect(String(incident?.body.short_description)).toContain('Alex Wilber needs help with their MFA sign-in');

    const card = channelCalls().find(
      (c) => c.method === 'POST' && /Help requested: Alex Wilber/.test(JSON.stringify(c.body)),
    );
    expect(card, 'the escalation card in the helpdesk channel').toBeDefined();
    const text = JSON.stringify(card?.body);
    expect(text).toContain('Lost or stolen phone');
    expect(text).toMatch(/WH-\d+ \(webhook\)/);
    expect(text).toMatch(/INC00\d+ \(servicenow\)/);
    expect(text).toContain('Take it');
    // Read as people read it: labels and values, not field names and codes (the ticket keeps the plain values).
    expect(text).toContain('"title":"Chat","value":"Microsoft Teams"');
    expect(text).toContain('"title":"Language","value":"English"');
    expect(text).toMatch(/"title":"Asked at","value":"[^"]*\d\d:\d\d[^"]*UTC"/);
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });

  it('the same "Ask the helpdesk" press delivered again (its turn lost in a crash): one ticket key, one card', async () => {
    const chat = personal('a:hd-redelivered');
    const value = { action: 'helpdesk.escalate', reason: 'human', lang: 'en' };
    const from = webhook.received.length;
    const cards = () =>
      channelCalls().filter((c) => c.method === 'POST' && /Asked for a person/.test(JSON.stringify(c.body))).length;
    const cardsBefore = cards();
    const activity = bot.activity({ ...chat, id: 'escalate-press-1', text: undefined, value });
    expect((await bot.send(activity)).status).toBe(200);
    await expect.poll(() => webhook.received.length).toBe(from + 1);
    // The turn's end was never recorded (a crash): Teams delivers the very same activity again.
    for (const key of await bot.app.storage.keys('seen/')) await bot.app.storage.delete([key]);
    expect((await bot.send(activity)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    const keys = new Set(webhook.received.slice(from).map((r) => r.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect(cards()).toBe(cardsBefore + 1);
  });

  it('"Take it": refused for a non-member, taken by a member (the card says so for everyone), then "already taken"', async () => {
    const chat = personal('a:hd-take');
    await press(chat, { action: 'helpdesk.escalate', reason: 'human', lang: 'en' });
    const escalationId = /"escalationId":"([0-9a-f-]{36})"/.exec(JSON.stringify(channelCalls().at(-1)?.body))?.[1];
    expect(escalationId).toBeDefined();

    const refused = await press(inChannel(ISAIAH), { action: 'helpdesk.take', escalationId });
    expect(refused.text).toBe('Only members of the helpdesk group can take requests.');
    // Taking is a helpdesk action: Megan's own sign-in first, in her personal chat (never in the channel).
    const noChat = await press(inChannel(MEGAN), { action: 'helpdesk.take', escalationId });
    expect(noChat.text).toBe(
      'Taking a request needs your own sign-in: open a personal chat with me first, then press Take it again.',
    );
    const megansChat = personal('a:hd-take-megan', chatUser(MEGAN));
    await exchange(bot, { ...megansChat, text: 'hello' });
    const asked = await press(inChannel(MEGAN), { action: 'helpdesk.take', escalationId });
    expect(asked.text).toBe('Taking a request needs your own sign-in: I sent you one in our personal chat.');
    const before = channelCalls().length;
    await signInFromLastCard(bot, megansChat, MEGAN);
    await expect
      .poll(() =>
        bot.connector
          .activities(megansChat.conversation.id)
          .some((a) => /You took Alex Wilber's request/.test(a.text ?? '')),
      )
      .toBe(true);
    await expect
      .poll(() =>
        channelCalls()
          .slice(before)
          .find((c) => c.method === 'PUT'),
      )
      .toBeDefined();
    const updated = JSON.stringify(
      channelCalls()
        .slice(before)
        .find((c) => c.method === 'PUT')?.body,
    );
    expect(updated).toMatch(/Taken by Megan Bowen at \d\d:\d\d/);
    expect(updated).not.toContain('Take it');
    const metrics = await (await fetch(`${bot.url}/metrics`)).text();
    expect(metrics).toMatch(/proofup_escalations_total\{reason="human",outcome="taken"\} 1/);
    const again = await press(inChannel(ALEX), { action: 'helpdesk.take', escalationId });
    expect(again.text).toBe('Megan Bowen has already taken this request.');
    // Megan presses again (as after a crash between taking and telling): the card is redone, the audit stays one.
    const puts = () => channelCalls().filter((c) => c.method === 'PUT').length;
    const putsBefore = puts();
    await bot.send(
      bot.activity({ ...inChannel(MEGAN), text: undefined, value: { action: 'helpdesk.take', escalationId } }),
    );
    await expect.poll(puts).toBe(putsBefore + 1);

    const audit = (await bot.app.audit.since(new Date(Date.now() - 60_000))).filter((r) => r.flowId === escalationId);
    expect(audit.map((r) => [r.action, r.actorOid, r.subjectOid ?? '', r.result])).toEqual([
      ['escalated', ALEX.oid, ALEX.oid, 'done'],
      ['escalationTaken', ISAIAH.oid, '', 'refused'],
      ['escalationTaken', MEGAN.oid, ALEX.oid, 'done'],
    ]);
  });

  it('five wrong codes end the change with "Ask the helpdesk"; the ticket carries that change, masked, and the step-up', async () => {
    const chats = flowChat(bot, 'hd-codes');
    const { chat, flowId } = await chats.verified(chatUser(ALEX));
    await chats.submit(chat, { action: 'sec.editPhone', flowId, phoneType: 'mobile' });
    await chats.submit(chat, { action: 'sec.submitNumber', flowId, country: 'US', number: '425 555 0166' });
    let last: Partial<Activity> = {};
    for (let i = 0; i < 5; i++) last = await chats.submit(chat, { action: 'sec.submitCode', flowId, code: '000000' });
    const result = await chats.shownIn(chat, /Too many wrong codes/);
    expect(JSON.stringify(result.body)).toContain('"reason":"wrong-codes"');
    expect(cardText(last).length).toBeGreaterThan(0);

    const told = await chats.submit(chat, { action: 'helpdesk.escalate', reason: 'wrong-codes', flowId, lang: 'en' });
    expect(told.text).toMatch(/ticket WH-\d+/);
    const ticket = webhook.received.at(-1)?.body as { details: Record<string, string> };
    expect(ticket.details).toMatchObject({
      Outcome: 'failed: code-exhausted',
      After: '+1 ••• ••• 01 66',
      Flow: flowId,
      Identity: 'verified by step-up sign-in',
      'Auth context': 'c1',
    });
    // Nothing a ticket system receives holds a raw number.
    expect(leakingLines([...webhook.received, ...serviceNow.received].map((r) => r.raw))).toEqual([]);
  });

  it('a lost phone with another factor left: "Replace the lost number" → new number → "sign me out everywhere" preselected → signed out', async () => {
    const chats = flowChat(bot, 'hd-lost');
    const chat = personal('a:hd-lost');
    // The offer's button carries the wish (mobile, change, lost).
    const link = await requestSignIn(bot, chat, {
      action: 'stepUp.start',
      phone: 'mobile',
      want: 'change',
      lost: '1',
      lang: 'en',
    });
    const start = await openStart(bot, link);
    const page = await callback(bot, await signInAtEntra(bot, start.headers.get('location') ?? '', ALEX));
    await exchange(bot, { ...chat, text: page.code });
    const entry = await chats.shownIn(chat, /New mobile phone/);
    const flowId = /"flowId":"([0-9a-f-]{36})"/.exec(JSON.stringify(entry.body))?.[1] ?? '';
    await chats.submit(chat, { action: 'sec.submitNumber', flowId, country: 'US', number: '425 555 0133' });
    const confirm = await chats.submit(chat, {
      action: 'sec.submitCode',
      flowId,
      code: await chats.codeFor('+14255550133'),
    });
    expect(cardText(confirm)).toMatch(/"id":"revokeSessions".*"value":"true"/);
    expect(cardText(confirm)).toContain('Also sign me out everywhere');
    await chats.submit(chat, { action: 'sec.confirm', flowId, revokeSessions: 'true' });
    const done = await chats.shownIn(chat, /You were signed out everywhere/);
    expect(JSON.stringify(done.body)).toContain('Your mobile phone changed');
    expect(bot.graph.directory.revokedAt.has(ALEX.oid)).toBe(true);
    const audit = (await bot.app.audit.since(new Date(Date.now() - 60_000))).filter((r) => r.flowId === flowId);
    expect(audit.at(-1)?.notified).toMatchObject({ email: true, signedOut: true });
  });

  it('a ticket system that refuses still leaves the user told and the channel card posted', async () => {
    const down = await startTestBot({
      profile: 'sandbox',
      env: {
        ITSM_WEBHOOK_URL: `${webhook.url}/tickets`,
        ITSM_WEBHOOK_SECRET: 'a-different-secret-0123456789abcdef0123',
      },
    });
    try {
      const told = await exchange(down, {
        ...personal('a:hd-down'),
        text: undefined,
        value: { action: 'helpdesk.escalate', reason: 'human', lang: 'de' },
      });
      // No channel known and the only ticket system refused the signature: the user is sent to people directly.
      expect(told.text).toBe(
        'Ich konnte den Helpdesk gerade nicht erreichen. Bitte wenden Sie sich direkt an your IT helpdesk.',
      );
      expect(webhook.received.at(-1)?.authentic).toBe(false);
    } finally {
      await down.close();
    }
  });
});
