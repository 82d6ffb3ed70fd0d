// Proving a number by a call (ACS Call Automation through the real SDK, against the sandbox's simulated ACS): the
// call reads the code twice in the user's language, its events come back signed and are verified, and every ending
// (answered, no answer, busy, failed) is told on the code card. Forged events are refused with 401 and change nothing.
// Also the office phone policy (OFFICE_PHONE_POLICY).
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoSecurityInfo } from '../../src/sandbox/graph/demo-methods.js';
import {
  ADELE_V,
  ALEX_W,
  chatUser,
  type DemoUser,
  flowChat,
  MEGAN_B,
  PATTI_F,
  useFlowBot,
} from '../helpers/flow-chat.js';
import { cardText } from '../helpers/step-up-flow.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

const [ALEX, MEGAN, ADELE, PATTI] = [ALEX_W, MEGAN_B, ADELE_V, PATTI_F];
const flows = useFlowBot('call');
let bot: TestBot;
let chats: ReturnType<typeof flowChat>;
beforeEach(() => {
  ({ bot, chats } = flows);
});

const smsTo = (e164: string) => bot.outbox.items.filter((i) => i.kind === 'sms' && i.to === e164);
const callsTo = (e164: string) => [...bot.calls.calls.values()].filter((c) => c.to === e164);

/** Opens the number card for `phoneType` and submits `number` (by call unless `channel` says otherwise). */
async function callFor(
  user: DemoUser,
  phoneType: string,
  country: string,
  number: string,
  channel = 'voice',
  extension?: string,
) {
  const { chat, flowId } = await chats.verified(chatUser(user));
  const entry = await chats.submit(chat, { action: 'sec.editPhone', flowId, phoneType });
  const reply = await chats.submit(chat, {
    action: 'sec.submitNumber',
    flowId,
    country,
    number,
    channel,
    ...(extension ? { extension } : {}),
  });
  return { chat, flowId, entry, reply };
}

describe('verify by call', () => {
  it('an alternate LANDLINE is proven by a call that reads the code twice; the change is applied', async () => {
    const { chat, flowId, entry } = await callFor(MEGAN, 'alternateMobile', 'GB', '020 7946 0001');
    // The alternate phone is called, never texted: one button, "Call me with a code".
    expect(cardText(entry)).toContain('Call me with a code');
    expect(cardText(entry)).not.toContain('Text me a code');
    await chats.shownIn(chat, /We are calling \+44 ••• ••• 00 01/);
    const code = await chats.calledCode('+442079460001');
    expect(code).toMatch(/^\d{6}$/);
    const call = bot.outbox.lastCallTo('+442079460001') as { text: string; locale: string };
    expect(call.text.match(/\d(, \d){5}/g)).toHaveLength(2); // read twice
    expect(call.locale).toBe('en-US');
    await chats.shownIn(chat, /was answered and the code read out twice/);
    expect(smsTo('+442079460001')).toEqual([]);
    const confirm = await chats.submit(chat, { action: 'sec.submitCode', flowId, code });
    expect(cardText(confirm)).toContain('Confirm the change');
    await chats.submit(chat, { action: 'sec.confirm', flowId });
    await chats.shownIn(chat, /"Done"/);
    expect(bot.graph.users.get(MEGAN.oid)?.phones.alternateMobile).toBe('+44 2079460001');
    const metrics = await (await fetch(`${bot.url}/metrics`)).text();
    expect(metrics).toMatch(/proofup_messages_sent_total\{kind="call",outcome="ok"\} [1-9]/);
    // Every event the simulated ACS posted was accepted (signed, verified): connected, played, hung up.
    const events = () => bot.calls.posted.filter((p) => p.callId === callsTo('+442079460001')[0]?.id);
    await expect
      .poll(() => events().map((e) => [e.type, e.status]))
      .toEqual([
        ['CallConnected', 200],
        ['PlayCompleted', 200],
        ['CallDisconnected', 200],
      ]);
  });

  it('a mobile can be proven by a call on request ("Call me with a code"), not only by text', async () => {
    const { chat, flowId, entry } = await callFor(ALEX, 'mobile', 'US', '425 555 0177');
    expect(cardText(entry)).toContain('Text me a code');
    expect(cardText(entry)).toContain('Call me with a code');
    const code = await chats.calledCode('+14255550177');
    expect(smsTo('+14255550177')).toEqual([]);
    await chats.submit(chat, { action: 'sec.submitCode', flowId, code });
    await chats.submit(chat, { action: 'sec.confirm', flowId });
    await chats.shownIn(chat, /"Done"/);
    expect(bot.graph.users.get(ALEX.oid)?.phones.mobile).toBe('+1 4255550177');
  });

  // One user per row: a person may be sent 6 codes an hour, calls included.
  it.each([
    ['0404', ALEX, /Nobody answered the call to \+1 ••• ••• 04 04/],
    ['0486', ADELE, /The line \+1 ••• ••• 04 86 was busy/],
    ['0500', MEGAN, /The call to \+1 ••• ••• 05 00 failed before the code was read out/],
  ] as const)(
    'a number ending %s: the code card says what happened and "Call me again" places a new call',
    async (end, user, said) => {
      const { chat, flowId } = await callFor(user, 'alternateMobile', 'US', `425 555 ${end}`);
      const e164 = `+1425555${end}`;
      const told = await chats.shownIn(chat, said);
      expect(JSON.stringify(told.body)).toContain('Call me again');
      expect(callsTo(e164)).toHaveLength(1);
      await chats.submit(chat, { action: 'sec.resendCode', flowId });
      await expect.poll(() => callsTo(e164).length, { timeout: 3000 }).toBe(2);

      // The flow is still waiting for a code; nothing was changed.
      const before = demoSecurityInfo().get(user.oid)?.phones.alternateMobile;
      expect(bot.graph.users.get(user.oid)?.phones.alternateMobile).toBe(before);
    },
  );

  it('the call is in the language of the conversation: German text, German voice', async () => {
    const { chat, flowId } = await chats.verified(
      chatUser(MEGAN),
      { locale: 'de-DE' },
      /Ihre Sicherheitsinformationen für die Anmeldung/,
    );
    await chats.submit(chat, { action: 'sec.editPhone', flowId, phoneType: 'alternateMobile' });
    await chats.submit(chat, {
      action: 'sec.submitNumber',
      flowId,
      country: 'GB',
      number: '020 7946 0002',
      channel: 'voice',
    });
    await chats.shownIn(chat, /Wir rufen \+44 ••• ••• 00 02 an/);
    await chats.calledCode('+442079460002');
    const call = bot.outbox.lastCallTo('+442079460002') as { text: string; locale: string };
    expect(call.locale).toBe('de-DE');
    expect(call.text).toMatch(/^Hallo\. Hier ist Proofup\..*Ihr Code lautet: \d(, \d){5}\. Noch einmal/);
  });
});

describe('the call events webhook accepts only ACS-signed events', () => {
  /** A live call's real callback URL (with its sealed context), as ACS would post to it. */
  async function liveCall() {
    const { chat } = await callFor(PATTI, 'mobile', 'US', '425 555 0404');
    await chats.shownIn(chat, /Nobody answered/);
    const call = callsTo('+14255550404').pop();
    const url = new URL(call?.callbackUri ?? '');
    return { chat, path: `${bot.url}${url.pathname}${url.search}`, callId: call?.id ?? '' };
  }
  const event = (callId: string, type: string) => [
    {
      id: '1',
      source: `calling/callConnections/${callId}`,
      type: `Microsoft.Communication.${type}`,
      specversion: '1.0',
      time: new Date().toISOString(),
      data: { callConnectionId: callId, resultInformation: { code: 200, subCode: 0, message: 'ok' } },
    },
  ];
  const post = (url: string, body: unknown, authorization?: string) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(body),
    });

  it('no token, a token signed with another key, for another resource, or expired: 401, nothing changes', async () => {
    const { path, callId } = await liveCall();
    const before = bot.connector.calls.length;
    const other = await generateKeyPair('RS256');
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: (await exportJWK(other.publicKey)).kid ?? 'forged' })
      .setIssuer(bot.calls.issuer)
      .setAudience(bot.config.calls?.resourceId ?? '')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(other.privateKey);
    for (const authorization of [
      undefined,
      'Basic YWxpY2U6c2VjcmV0',
      `Bearer ${forged}`,
      `Bearer ${await bot.calls.token({ audience: 'ac5ac5ac-0000-4000-8000-0000000000ff' })}`,
      `Bearer ${await bot.calls.token({ expiresIn: '-10m' })}`,
    ]) {
      const res = await post(path, event(callId, 'PlayCompleted'), authorization);
      expect(res.status, String(authorization)).toBe(401);
    }
    await new Promise((r) => setTimeout(r, 300));
    // No card was updated to "answered" and no call was touched.
    const after = bot.connector.calls.slice(before).map((c) => JSON.stringify(c.body));
    expect(after.filter((b) => /was answered/.test(b))).toEqual([]);
    expect(bot.logs.some((l) => l.includes('PROOFUP_CALL_EVENT_REFUSED'))).toBe(true);
  });

  it("a genuine event of one call posted with ANOTHER call's sealed context is ignored: no code is read into it", async () => {
    // Call B (nobody answers): its context holds Patti's code. Call A: Megan's office phone, answered and finished.
    const b = await liveCall();
    const { reply } = await callFor(MEGAN, 'office', 'US', '206 555 0107');
    expect(await chats.calledCode('+12065550107'), cardText(reply)).toMatch(/^\d{6}$/);
    const a = callsTo('+12065550107').pop() as { id: string };
    const aContext = new URL(callsTo('+12065550107').pop()?.callbackUri ?? '').searchParams.get('c');
    const before = bot.outbox.items.length;
    const [connected] = event(a.id, 'CallConnected');
    const res = await post(
      b.path,
      [{ ...connected, data: { ...connected?.data, operationContext: 'proofup-call.x' } }],
      `Bearer ${await bot.calls.token()}`,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ handled: 0 });
    // Also without any operation context, and with A's own (A's context is not B's).
    const bare = await post(b.path, event(a.id, 'CallConnected'), `Bearer ${await bot.calls.token()}`);
    expect(await bare.json()).toEqual({ handled: 0 });
    expect(aContext).not.toBe(new URL(b.path).searchParams.get('c'));
    await new Promise((r) => setTimeout(r, 500));
    expect(bot.outbox.items.slice(before).filter((i) => i.kind === 'call')).toEqual([]);
    expect(bot.logs.some((l) => l.includes('PROOFUP_CALL_EVENT_MISMATCH'))).toBe(true);
  });

  it('a genuine token with a context that is not ours (or altered) is acknowledged and ignored', async () => {
    const { path, callId } = await liveCall();
    const altered = path.replace(/c=([A-Za-z0-9_-]{10})/, 'c=AAAAAAAAAA');
    const res = await post(altered, event(callId, 'PlayCompleted'), `Bearer ${await bot.calls.token()}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ handled: 0 });
  });
});

describe('OFFICE_PHONE_POLICY', () => {
  it('verify-by-call (default): an office number not in the directory is proven by a call, extension dialled', async () => {
    const { chat, flowId } = await callFor(PATTI, 'office', 'FR', '01 44 55 66 88', 'voice', '4821');
    const code = await chats.calledCode('+33144556688');
    // The call dials the extension once the switchboard answers, then reads the code.
    expect(bot.outbox.lastCallTo('+33144556688')?.to).toBe('+33144556688 ext. 4821');
    const confirm = await chats.submit(chat, { action: 'sec.submitCode', flowId, code });
    expect(cardText(confirm)).toContain('Confirm the change');
  });

  describe('directory and any', () => {
    let directory: TestBot;
    let any: TestBot;
    beforeAll(async () => {
      [directory, any] = await Promise.all([
        startTestBot({ profile: 'sandbox', env: { OFFICE_PHONE_POLICY: 'directory' } }),
        startTestBot({ profile: 'sandbox', env: { OFFICE_PHONE_POLICY: 'any' } }),
      ]);
    });
    afterAll(async () => {
      await Promise.all([directory?.close(), any?.close()]);
    });

    it('directory: only a business phone the directory lists; no call, no text', async () => {
      const c = flowChat(directory, 'dir');
      const { chat, flowId } = await c.verified();
      const entry = await c.submit(chat, { action: 'sec.editPhone', flowId, phoneType: 'office' });
      expect(cardText(entry)).toContain('must be a business phone your organisation lists');
      const refused = await c.submit(chat, {
        action: 'sec.submitNumber',
        flowId,
        country: 'US',
        number: '206 555 0100',
        extension: '12',
      });
      expect(cardText(refused)).toMatch(/business phone your organisation lists/);
      const ok = await c.submit(chat, {
        action: 'sec.submitNumber',
        flowId,
        country: 'US',
        number: '425 555 0199',
        extension: '12',
      });
      expect(cardText(ok)).toContain('Confirm the change');
      expect(directory.calls.calls.size).toBe(0);
    });

    it('any: any valid office number goes straight to the confirm card (the notice e-mail still goes out)', async () => {
      const c = flowChat(any, 'any');
      const { chat, flowId } = await c.verified();
      await c.submit(chat, { action: 'sec.editPhone', flowId, phoneType: 'office' });
      const ok = await c.submit(chat, { action: 'sec.submitNumber', flowId, country: 'US', number: '206 555 0100' });
      expect(cardText(ok)).toContain('Confirm the change');
      expect(any.calls.calls.size).toBe(0);
    });
  });
});
