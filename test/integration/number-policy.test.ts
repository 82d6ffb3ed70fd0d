// Numbers the bot must not accept, over HTTP in the sandbox: a colleague's number (SHARED_NUMBER_POLICY, learned from
// every read, confirmed against Graph, never saying whose), and countries codes must not be texted to
// (SMS_ALLOWED_COUNTRIES, default "tenant").
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/sandbox/entra/demo-directory.js';
import { demoSecurityInfo } from '../../src/sandbox/graph/demo-methods.js';
import { chatUser, flowChat } from '../helpers/flow-chat.js';
import { cardText } from '../helpers/step-up-flow.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

type DemoUser = (typeof DEMO_USERS)[number];
const [ALEX, MEGAN, ISAIAH] = [0, 1, 3].map((i) => DEMO_USERS[i] as DemoUser) as [DemoUser, DemoUser, DemoUser];
const ALEX_MOBILE = '+14255550100';

let bot: TestBot;
let chats: ReturnType<typeof flowChat>;
beforeAll(async () => {
  bot = await startTestBot({ profile: 'sandbox' }); // defaults: SHARED_NUMBER_POLICY=refuse, SMS_ALLOWED_COUNTRIES=tenant
  chats = flowChat(bot, 'num');
});
afterAll(async () => {
  await bot?.close();
});
beforeEach(() => {
  for (const [oid, info] of demoSecurityInfo()) bot.graph.users.set(oid, info);
});

const smsTo = (b: TestBot, e164: string) => b.outbox.items.filter((i) => i.kind === 'sms' && i.to === e164).length;
const recentAudit = async (b: TestBot) => b.app.audit.since(new Date(Date.now() - 60_000));

/** Isaiah (no phone yet) asks for `number` as his mobile; returns the card the bot answers with. */
async function isaiahTries(c: ReturnType<typeof flowChat>, number: string, country = 'US') {
  const { chat, flowId } = await c.verified(chatUser(ISAIAH));
  await c.submit(chat, { action: 'sec.editPhone', flowId, phoneType: 'mobile' });
  const reply = await c.submit(chat, { action: 'sec.submitNumber', flowId, country, number });
  return { chat, flowId, reply };
}

describe('shared numbers (SHARED_NUMBER_POLICY=refuse, the default)', () => {
  it("a colleague's mobile is refused without saying whose, audited, and no code is sent to it", async () => {
    await chats.verified(chatUser(ALEX)); // reading Alex's security info teaches the index his number
    const before = smsTo(bot, ALEX_MOBILE);
    const { flowId, reply } = await isaiahTries(chats, '425 555 0100');
    expect(cardText(reply)).toMatch(/registered to another person's account, so it can't be used for yours/);
    expect(cardText(reply)).not.toMatch(/Alex|Wilber|alexw/);
    expect(smsTo(bot, ALEX_MOBILE)).toBe(before);
    expect((await recentAudit(bot)).find((r) => r.flowId === flowId && r.reason === 'shared-number')).toMatchObject({
      actorOid: ISAIAH.oid,
      result: 'refused',
      after: '+1 ••• ••• 01 00',
    });
  });

  it('a number the colleague has since dropped outside the bot is forgotten, not refused (Graph is asked)', async () => {
    await chats.verified(chatUser(ALEX));
    const alex = demoSecurityInfo().get(ALEX.oid);
    bot.graph.users.set(ALEX.oid, { ...(alex as NonNullable<typeof alex>), phones: { mobile: '+1 4255550111' } });
    const { reply } = await isaiahTries(chats, '425 555 0100');
    expect(cardText(reply)).toContain('We texted a 6-digit code');
    expect(smsTo(bot, ALEX_MOBILE)).toBeGreaterThan(0);
  });

  it("a colleague's number costs the same Graph requests as an unused one; a refused-anyway number asks Graph nothing", async () => {
    await chats.verified(chatUser(ALEX)); // the index knows Alex's mobile
    // Isaiah at the number step, then the same submission repeated: only what each submission costs is counted.
    const { chat, flowId } = await chats.verified(chatUser(ISAIAH));
    await chats.submit(chat, { action: 'sec.editPhone', flowId, phoneType: 'mobile' });
    const cost = async (country: string, number: string) => {
      const before = bot.graph.requests.length;
      const reply = await chats.submit(chat, { action: 'sec.submitNumber', flowId, country, number });
      // (The organisation's country is read once an hour for every user alike: not part of the comparison.)
      const made = bot.graph.requests.slice(before).filter((r) => !r.path.endsWith('/organization'));
      return { graph: made.length, text: cardText(reply) };
    };
    const colleague = await cost('US', '425 555 0100');
    expect(colleague.text).toMatch(/registered to another person's account/);
    // Refused by rules that need no Graph (a premium-rate number, a landline as a mobile, a country codes may not go
    // to): no Graph request at all, whoever holds the number.
    for (const [country, number, why] of [
      ['US', '+1 900 555 0100', /premium-rate or shared-cost number/],
      ['GB', '020 7946 0001', /can't receive text messages|mobile/i],
      ['KP', '+850 2 381 2222', /doesn't allow sign-in codes to be sent to numbers in that country/],
    ] as const) {
      const refused = await cost(country, number);
      expect(refused.text, `${country} ${number}`).toMatch(why);
      expect(refused.graph, `${country} ${number}`).toBe(0);
    }
    // A number nobody holds: exactly the colleague's cost (then the code goes out).
    const unused = await cost('US', '425 555 0188');
    expect(unused.text).toContain('We texted a 6-digit code');
    expect(unused.graph).toBe(colleague.graph);
    expect(colleague.graph).toBeGreaterThan(0); // one security-info read (methods, preferences, user, batch)
  });

  it('the index holds keyed hashes only: no number in any key or record', async () => {
    await chats.verified(chatUser(ALEX));
    const keys = await bot.app.storage.keys('phoneidx/');
    expect(keys.length).toBeGreaterThan(0);
    const records = JSON.stringify(await bot.app.storage.read(keys));
    expect(`${keys.join(' ')} ${records}`).not.toMatch(/4255550100|\+1 425|7400123456/);
  });
});

describe('SHARED_NUMBER_POLICY=warn', () => {
  it('lets the number through with a note on the confirm card, and the audit says so', async () => {
    const warnBot = await startTestBot({ profile: 'sandbox', env: { SHARED_NUMBER_POLICY: 'warn' } });
    try {
      const c = flowChat(warnBot, 'warn');
      await c.verified(chatUser(ALEX));
      const { chat, flowId } = await isaiahTries(c, '425 555 0100');
      const confirm = await c.submit(chat, { action: 'sec.submitCode', flowId, code: await c.codeFor(ALEX_MOBILE) });
      expect(cardText(confirm)).toContain("also registered to another person's account");
      await c.submit(chat, { action: 'sec.confirm', flowId });
      await c.shownIn(chat, /"Done"/);
      await expect
        .poll(async () => (await recentAudit(warnBot)).find((r) => r.flowId === flowId && r.result === 'done')?.reason)
        .toBe('shared-number-allowed');
    } finally {
      await warnBot.close();
    }
  });
});

describe('SMS_ALLOWED_COUNTRIES=tenant (the default)', () => {
  it.each([
    ['+53 5 1234567', 'Cuba'],
    ['+252 61 1234567', 'Somalia'],
    ['+675 7012 3456', 'Papua New Guinea'],
    ['+44 7400 999888', 'the United Kingdom (not the tenant, not one of his numbers)'],
  ])('%s (%s) is refused for a US user in a US tenant, before any SMS', async (number) => {
    const e164 = `+${number.replace(/\D/g, '')}`;
    const { reply } = await isaiahTries(chats, number);
    expect(cardText(reply)).toMatch(/doesn't allow sign-in codes to be sent to numbers in that country/);
    expect(smsTo(bot, e164)).toBe(0);
  });

  it("the countries of the user's own numbers are allowed (Megan, UK numbers, in a US tenant)", async () => {
    const { chat, flowId } = await chats.verified(chatUser(MEGAN));
    await chats.submit(chat, { action: 'sec.editPhone', flowId, phoneType: 'mobile' });
    const reply = await chats.submit(chat, {
      action: 'sec.submitNumber',
      flowId,
      country: 'GB',
      number: '07400 999777',
    });
    expect(cardText(reply)).toContain('We texted a 6-digit code');
  });
});
