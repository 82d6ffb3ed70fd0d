// The security-info dialog over HTTP (sandbox profile: typed binding code), against the Graph simulator and the
// outbox: change a number with proof of possession, default method, refusals, failures and stale cards.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/sandbox/entra/demo-directory.js';
import { demoSecurityInfo } from '../../src/sandbox/graph/demo-methods.js';
import { flowChat } from '../helpers/flow-chat.js';
import { ALEX, cardText, exchange, personal } from '../helpers/step-up-flow.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

let bot: TestBot;
beforeAll(async () => {
  // A multinational: codes may go to these countries (the default, "tenant", is tested in number-policy.test.ts).
  bot = await startTestBot({ profile: 'sandbox', env: { SMS_ALLOWED_COUNTRIES: 'US,DE,GB' } });
  chats = flowChat(bot, 'sec');
});
afterAll(async () => {
  await bot?.close();
});
beforeEach(() => {
  bot.graph.clearFaults();
  for (const [oid, info] of demoSecurityInfo()) bot.graph.users.set(oid, info);
});

let chats: ReturnType<typeof flowChat>;
const verified = (...args: Parameters<ReturnType<typeof flowChat>['verified']>) => chats.verified(...args);
const shownIn = (...args: Parameters<ReturnType<typeof flowChat>['shownIn']>) => chats.shownIn(...args);
const submit = (...args: Parameters<ReturnType<typeof flowChat>['submit']>) => chats.submit(...args);
const codeFor = (e164: string) => chats.codeFor(e164);
const flowKeyOf = (...args: Parameters<ReturnType<typeof flowChat>['flowKeyOf']>) => chats.flowKeyOf(...args);

describe('change the mobile phone', () => {
  it('number → code to the NEW number → confirm → done; Graph, outbox, audit and the replaced card agree', async () => {
    const { chat, flowId } = await verified();
    const entry = await submit(chat, { action: 'sec.editPhone', flowId, phoneType: 'mobile' });
    expect(cardText(entry)).toContain('New mobile phone');

    const invalid = await submit(chat, { action: 'sec.submitNumber', flowId, country: 'DE', number: '030 1234567' });
    expect(cardText(invalid)).toContain('must be a mobile number');
    expect(cardText(invalid)).toContain('030 1234567'); // what was typed is kept on the card

    const codeCard = await submit(chat, { action: 'sec.submitNumber', flowId, country: 'DE', number: '0176 55501234' });
    expect(cardText(codeCard)).toContain('+49 ••• ••• 12 34');
    const code = await codeFor('+4917655501234');
    expect(code).toMatch(/^\d{6}$/);

    const wrong = await exchange(bot, { ...chat, text: String((Number(code) + 1) % 1e6).padStart(6, '0') });
    expect(cardText(wrong)).toMatch(/doesn't match\. 4 tries left/);

    const confirm = await submit(chat, { action: 'sec.submitCode', flowId, code });
    expect(cardText(confirm)).toContain('Confirm the change');
    expect(cardText(confirm)).toContain('+1 ••• ••• 01 00');
    expect(cardText(confirm)).not.toContain('4255550100');

    await submit(chat, { action: 'sec.confirm', flowId });
    const replaced = await shownIn(chat, /Your mobile phone changed from/);
    expect(replaced.method).toBe('PUT'); // the confirm card itself became the result: no live button left
    expect(JSON.stringify(replaced.body)).toContain(
      'Your mobile phone changed from +1 ••• ••• 01 00 to +49 ••• ••• 12 34.',
    );
    expect(JSON.stringify(replaced.body)).toContain('We e-mailed you a notice and texted the old number.');

    expect(bot.graph.users.get(ALEX.oid)?.phones.mobile).toBe('+49 17655501234');
    const email = bot.outbox.items.find((i) => i.kind === 'email' && i.to === ALEX.upn);
    expect(email?.text).toMatch(/If this wasn't you/);
    expect(bot.outbox.lastSmsTo('+14255550100')?.text).toMatch(/no longer gets sign-in codes/);
    const audit = await bot.app.audit.since(new Date(Date.now() - 60_000));
    expect(audit.find((r) => r.flowId === flowId && r.result === 'done')).toMatchObject({
      actorOid: ALEX.oid,
      action: 'setPhone',
      before: '+1 ••• ••• 01 00',
      after: '+49 ••• ••• 12 34',
      steps: [{ op: 'updatePhone', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) }],
      notified: { email: true, sms: true },
    });
  });

  it('5 wrong codes end the flow and nothing changes', async () => {
    const { chat, flowId } = await verified();
    await submit(chat, { action: 'sec.editPhone', flowId, phoneType: 'mobile' });
    await submit(chat, { action: 'sec.submitNumber', flowId, country: 'US', number: '425 555 0177' });
    const code = await codeFor('+14255550177');
    const bad = String((Number(code) + 1) % 1e6).padStart(6, '0');
    for (let i = 0; i < 4; i++)
      expect(cardText(await submit(chat, { action: 'sec.submitCode', flowId, code: bad }))).toMatch(/doesn't match/);
    expect(cardText(await submit(chat, { action: 'sec.submitCode', flowId, code: bad }))).toMatch(
      /Too many wrong codes/,
    );
    expect(cardText(await submit(chat, { action: 'sec.submitCode', flowId, code }))).toMatch(/already finished/);
    expect(bot.graph.users.get(ALEX.oid)?.phones.mobile).toBe('+1 4255550100');
  });

  it('an expired code is refused', async () => {
    const { chat, flowId } = await verified();
    await submit(chat, { action: 'sec.editPhone', flowId, phoneType: 'mobile' });
    await submit(chat, { action: 'sec.submitNumber', flowId, country: 'US', number: '425 555 0166' });
    const key = flowKeyOf(chat);
    const stored = (await bot.app.storage.read([key]))[key] as { code: { expiresAt: number } };
    await bot.app.storage.write({ [key]: { ...stored, code: { ...stored.code, expiresAt: Date.now() - 1 } } });
    expect(
      cardText(await submit(chat, { action: 'sec.submitCode', flowId, code: await codeFor('+14255550166') })),
    ).toMatch(/code expired/);
  });

  it('a persistent 503 while applying rolls back and says so clearly', async () => {
    const { chat, flowId } = await verified();
    await submit(chat, { action: 'sec.editPhone', flowId, phoneType: 'mobile' });
    await submit(chat, { action: 'sec.submitNumber', flowId, country: 'US', number: '425 555 0155' });
    await submit(chat, { action: 'sec.submitCode', flowId, code: await codeFor('+14255550155') });
    bot.graph.inject({ status: 503, retryAfterSeconds: 0, times: Number.POSITIVE_INFINITY, method: 'PATCH' });
    await submit(chat, { action: 'sec.confirm', flowId });
    const replaced = await shownIn(chat, /Not changed/, 15_000);
    expect(JSON.stringify(replaced.body)).toMatch(/didn't answer. Nothing was changed/);
    expect(bot.graph.users.get(ALEX.oid)?.phones.mobile).toBe('+1 4255550100');
  });
});

describe('another change within the same sign-in', () => {
  it('"Make another change" on the result reuses the grant of THIS chat: no second sign-in', async () => {
    const { chat, flowId } = await verified();
    const confirm = await submit(chat, { action: 'sec.setDefault', flowId, defaultMethod: 'push' });
    expect(cardText(confirm)).toContain('Confirm the change');
    await submit(chat, { action: 'sec.confirm', flowId });
    const result = await shownIn(chat, /"Done"/);
    expect(JSON.stringify(result.body)).toContain('"action":"stepUp.start"'); // the "Make another change" button
    const before = bot.connector.calls.length;
    const again = await submit(chat, { action: 'stepUp.start' });
    expect(again.text).toMatch(/still verified in this chat/);
    const menu = await bot.connector.waitFor(
      (c) =>
        bot.connector.calls.indexOf(c) >= before &&
        c.conversationId === chat.conversation.id &&
        JSON.stringify(c.body).includes('Your sign-in security info'),
    );
    const newFlowId = /"flowId":"([0-9a-f-]{36})"/.exec(JSON.stringify(menu.body))?.[1];
    expect(newFlowId).toBeDefined();
    expect(newFlowId).not.toBe(flowId);
    const calls = bot.connector.calls.filter((c) => c.conversationId === chat.conversation.id);
    expect(calls.filter((c) => /auth\/start/.test(JSON.stringify(c.body)))).toHaveLength(1); // only the first sign-in
  });

  it('the same person in ANOTHER chat must sign in again (a grant is bound to its chat)', async () => {
    await verified();
    const other = personal(`a:sec-other-${Date.now()}`);
    const reply = await submit(other, { action: 'stepUp.start' });
    expect(cardText(reply)).toMatch(/auth\/start/);
  });
});

describe('every method in view', () => {
  it('the card lists every registered method read-only, one name each, with the way to My Sign-ins', async () => {
    const patti = DEMO_USERS[4] as (typeof DEMO_USERS)[number];
    const { chat } = await verified({ id: '29:user-patti', name: patti.name, aadObjectId: patti.oid });
    const menu = JSON.stringify((await shownIn(chat, /Your sign-in security info/)).body);
    expect(menu).toContain('"title":"Passkey (FIDO2)","value":"YubiKey 5C NFC"');
    expect(menu).toMatch(/"title":"Temporary Access Pass","value":"usable until \d+ \w+ \d{4}, \d\d:\d\d UTC"/);
    expect(menu).toContain('https://mysignins.microsoft.com/security-info');
    const alex = JSON.stringify((await shownIn((await verified()).chat, /Your sign-in security info/)).body);
    expect(alex).toContain('"title":"Microsoft Authenticator","value":"Pixel 8"');
    expect(alex).toContain('"title":"E-mail","value":"a•••@fabrikam.example"');
    expect(alex).not.toContain('alex.wilber@');
  });
});

describe('other changes and refusals', () => {
  it('changes the default method, honest about system-preferred MFA', async () => {
    const { chat, flowId } = await verified();
    const confirm = await submit(chat, { action: 'sec.setDefault', flowId, defaultMethod: 'push' });
    expect(cardText(confirm)).toContain('Microsoft Authenticator notification');
    await submit(chat, { action: 'sec.confirm', flowId });
    const result = await shownIn(chat, /"Done"/);
    expect(JSON.stringify(result.body)).toContain('Microsoft Authenticator notification');
    expect(bot.graph.users.get(ALEX.oid)?.defaultMethod).toBe('push');
  });

  it('removes the default phone: the default moves first, the old number is told', async () => {
    const { chat, flowId } = await verified();
    const toOld = () =>
      bot.outbox.items.filter((i) => i.kind === 'sms' && i.to === '+14255550100' && /no longer gets/.test(i.text))
        .length;
    const before = toOld();
    const confirm = await submit(chat, { action: 'sec.removePhone', flowId, phoneType: 'mobile' });
    expect(cardText(confirm)).toContain('your default becomes: Microsoft Authenticator notification');
    await submit(chat, { action: 'sec.confirm', flowId });
    const result = await shownIn(chat, /"Done"/);
    expect(JSON.stringify(result.body)).toContain('was removed from your sign-in methods');
    expect(bot.graph.users.get(ALEX.oid)).toMatchObject({ phones: {}, defaultMethod: 'push' });
    expect(toOld()).toBe(before + 1);
  });

  it('removing the only method is refused with a reason', async () => {
    const adele = DEMO_USERS[2] as (typeof DEMO_USERS)[number];
    const { chat, flowId } = await verified({ id: '29:user-adele', name: adele.name, aadObjectId: adele.oid });
    const reply = await submit(chat, { action: 'sec.removePhone', flowId, phoneType: 'mobile' });
    expect(cardText(reply)).toMatch(/last sign-in method/);
    expect(bot.graph.users.get(adele.oid)?.phones.mobile).toBeDefined();
  });

  it('a submit from an old card (another flow id) is refused and changes nothing', async () => {
    const { chat } = await verified();
    const reply = await submit(chat, {
      action: 'sec.removePhone',
      flowId: '00000000-0000-4000-8000-000000000000',
      phoneType: 'mobile',
    });
    expect(reply.text).toMatch(/earlier or finished request/);
  });

  it('a flow idle for 15 minutes is ended by the sweep, with a message in its chat; its cards no longer work', async () => {
    const { chat, flowId } = await verified();
    await submit(chat, { action: 'sec.editPhone', flowId, phoneType: 'mobile' });
    expect((await bot.app.sweep()).expired).toBe(0);
    const key = flowKeyOf(chat);
    const stored = (await bot.app.storage.read([key]))[key] as { updatedAt: number };
    await bot.app.storage.write({ [key]: { ...stored, updatedAt: stored.updatedAt - 16 * 60_000 } });
    expect((await bot.app.sweep()).expired).toBe(1);
    await bot.connector.waitFor(
      (c) => c.conversationId === chat.conversation.id && /expired after 15 minutes/.test(JSON.stringify(c.body)),
    );
    const late = await submit(chat, { action: 'sec.submitNumber', flowId, country: 'US', number: '425 555 0144' });
    expect(late.text).toMatch(/already finished/);
    expect(
      (await bot.app.audit.since(new Date(Date.now() - 60_000))).some(
        (r) => r.flowId === flowId && r.result === 'expired',
      ),
    ).toBe(true);
  });

  it("another user's submit of my flow id is refused", async () => {
    const { chat, flowId } = await verified();
    const intruder = personal(chat.conversation.id, {
      id: '29:user-megan',
      name: 'Megan Bowen',
      aadObjectId: (DEMO_USERS[1] as { oid: string }).oid,
    });
    // A forged press (no owner tag) finds no flow of the intruder's own: "earlier or finished", nothing changes.
    const reply = await submit(intruder, { action: 'sec.setDefault', flowId, defaultMethod: 'push' });
    expect(reply.text).toMatch(/earlier or finished request/);
    expect(bot.graph.users.get(ALEX.oid)?.defaultMethod).toBe('sms');
  });
});
