// What a new user tripped over in the Agents Playground, one row per fix, each driven over HTTP the way the chat
// client and the browser drive the bot (sandbox profile: simulated Entra, Graph and SMS). A row fails if the old
// behaviour comes back.
import type { Activity } from 'botbuilder';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ADELE_V,
  type Chat,
  chatUser,
  type flowChat,
  ISAIAH_L,
  MEGAN_B,
  PATTI_F,
  useFlowBot,
} from '../helpers/flow-chat.js';
import {
  ALEX,
  callback,
  cardText,
  exchange,
  openStart,
  personal,
  requestSignIn,
  signInAtEntra,
} from '../helpers/step-up-flow.js';
import type { TestBot } from '../helpers/test-bot.js';

const [MEGAN, ADELE, ISAIAH, PATTI] = [MEGAN_B, ADELE_V, ISAIAH_L, PATTI_F];
const flows = useFlowBot('fix');
let bot: TestBot;
let chats: ReturnType<typeof flowChat>;
beforeEach(() => {
  ({ bot, chats } = flows);
});

const callsIn = (chat: Chat) => bot.connector.calls.filter((c) => c.conversationId === chat.conversation.id);
const bodyOf = (call: { body: unknown }) => JSON.stringify(call.body);
/** The data of the button titled `title` anywhere in a card activity (with the owner tag our cards carry). */
function button(activity: unknown, title: string): Record<string, unknown> {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as { title?: unknown; data?: unknown };
      if (n.title === title && n.data && typeof n.data === 'object') found.push(n.data as Record<string, unknown>);
      Object.values(node).forEach(walk);
    }
  };
  walk(activity);
  if (!found[0]) throw new Error(`no "${title}" button in ${JSON.stringify(activity).slice(0, 300)}`);
  return found[0];
}
const settle = () => new Promise((r) => setTimeout(r, 300));

/** The body of the newest "Done" card in this chat ('' before there is one). */
const lastDone = (chat: Parameters<typeof callsIn>[0]) =>
  bodyOf(
    callsIn(chat)
      .filter((c) => /"Done"/.test(bodyOf(c)))
      .pop() ?? { body: '' },
  );

/** Mobile change to the end: returns the chat. */
async function changeMobile(user = chatUser(ALEX), to = '425 555 0181') {
  const { chat, flowId } = await chats.verified(user);
  await chats.changePhone(chat, flowId, 'mobile', to);
  await settle();
  return { chat, flowId };
}

describe('fixes seen when tried', () => {
  it('"Applying your change…" never comes after "Done": the result is the chat\'s last message', async () => {
    const { chat } = await changeMobile();
    const calls = callsIn(chat);
    const last = calls[calls.length - 1];
    expect(bodyOf(last ?? { body: '' })).toMatch(/"Done"/);
    const done = calls.findIndex((c) => /"Done"/.test(bodyOf(c)));
    expect(calls.slice(done).some((c) => /Applying your change/.test(bodyOf(c)))).toBe(false);
  });

  it('office extension: the call dials "ext. 66"; the confirm card, result and e-mail show it (not the same number twice)', async () => {
    const { chat, flowId } = await chats.verified(chatUser(PATTI));
    await chats.submit(chat, { action: 'sec.editPhone', flowId, phoneType: 'office' });
    await chats.submit(chat, {
      action: 'sec.submitNumber',
      flowId,
      country: 'FR',
      number: '01 44 55 66 77',
      extension: '66',
    });
    const code = await chats.calledCode('+33144556677');
    expect(bot.outbox.lastCallTo('+33144556677')?.to).toBe('+33144556677 ext. 66');
    const confirm = await chats.submit(chat, { action: 'sec.submitCode', flowId, code });
    expect(cardText(confirm)).toContain('+33 ••• ••• 66 77 ext. 12');
    expect(cardText(confirm)).toContain('+33 ••• ••• 66 77 ext. 66');
    await chats.submit(chat, { action: 'sec.confirm', flowId });
    const done = await chats.shownIn(chat, /"Done"/);
    expect(bodyOf(done)).toContain('changed from +33 ••• ••• 66 77 ext. 12 to +33 ••• ••• 66 77 ext. 66');
    const email = bot.outbox.items.filter((i) => i.kind === 'email' && i.to === PATTI.upn).pop();
    expect(email?.text).toContain('ext. 66');
    expect(bot.graph.users.get(PATTI.oid)?.phones.office).toBe('+33 144556677x66');
  });

  it('Cancel leaves no working sign-in link: /auth/start answers "cancelled" without any MFA prompt', async () => {
    const chat = personal('a:fix-cancel-link');
    const link = await requestSignIn(bot, chat);
    await exchange(bot, { ...chat, text: 'cancel' });
    const page = await openStart(bot, link);
    expect(page.status).toBe(410);
    expect(await page.text()).toMatch(/cancelled/);
  });

  it('still verified: "Make another change" on the result reuses the sign-in (no second MFA)', async () => {
    const { chat } = await changeMobile(chatUser(ALEX), '425 555 0182');
    const result = callsIn(chat)
      .filter((c) => /"Done"/.test(bodyOf(c)))
      .pop();
    const again = await chats.submit(chat, button(result?.body, 'Make another change'));
    expect(again.text).toMatch(/still verified in this chat \(until \d\d:\d\d UTC\)/);
    await expect.poll(() => callsIn(chat).filter((c) => /Your sign-in security info/.test(bodyOf(c))).length).toBe(2);
    expect(callsIn(chat).filter((c) => /auth\/start/.test(bodyOf(c)))).toHaveLength(1);
  });

  it('the recognised request is carried: "remove my alternate phone" opens on removing the ALTERNATE', async () => {
    const chat = personal('a:fix-carry', chatUser(MEGAN));
    const intro = await exchange(bot, { ...chat, text: 'remove my alternate phone' });
    expect(cardText(intro)).toContain('You asked to remove your alternate phone.');
    const start = button(intro, "Verify it's you");
    expect(start).toMatchObject({ phone: 'alternateMobile', want: 'remove' });
    const signIn = await chats.submit(chat, start);
    const opened = await openStart(bot, JSON.stringify(signIn).match(/https?:[^"]*auth\/start[^"]*/)?.[0] ?? '');
    const page = await callback(bot, await signInAtEntra(bot, opened.headers.get('location') as string, MEGAN));
    await exchange(bot, { ...chat, text: page.code });
    const confirm = await chats.shownIn(chat, /Confirm the change/);
    expect(bodyOf(confirm)).toContain('Alternate phone');
    expect(bodyOf(confirm)).toContain('removed');
  });

  it('dead end (Adele, only a mobile): "last method" comes with the way out, replacing the number', async () => {
    const { chat, flowId } = await chats.verified(chatUser(ADELE));
    const refused = await chats.submit(chat, { action: 'sec.removePhone', flowId, phoneType: 'mobile' });
    expect(cardText(refused)).toMatch(/your last sign-in method/);
    const wayOut = button(refused, 'Replace the mobile number instead');
    const entry = await chats.submit(chat, wayOut);
    expect(cardText(entry)).toContain('New mobile phone');
  });

  it('dead end (Isaiah, no mobile): an alternate is refused BEFORE typing, with "Add a mobile phone"', async () => {
    const { chat, flowId } = await chats.verified(chatUser(ISAIAH));
    const refused = await chats.submit(chat, { action: 'sec.editPhone', flowId, phoneType: 'alternateMobile' });
    expect(cardText(refused)).toMatch(/Add a mobile phone first/);
    expect(cardText(refused)).not.toContain('New alternate phone');
    const entry = await chats.submit(chat, button(refused, 'Add a mobile phone'));
    expect(cardText(entry)).toContain('New mobile phone');
  });

  it('wording: "An alternate phone … was added" (not "A alternate")', async () => {
    const { chat, flowId } = await chats.verified(chatUser(ALEX));
    const done = await chats.changePhone(chat, flowId, 'alternateMobile', '425 555 0183');
    expect(bodyOf(done)).toContain('An alternate phone +1 ••• ••• 01 83 was added');
  });

  it('wording: 911, 112 and <script> are "not a usable number", not "too short"', async () => {
    const { chat, flowId } = await chats.verified(chatUser(MEGAN));
    await chats.submit(chat, { action: 'sec.editPhone', flowId, phoneType: 'alternateMobile' });
    for (const [country, number, answer] of [
      ['US', '911', /short or emergency number/],
      ['GB', '112', /short or emergency number/],
      ['US', '<script>alert(1)</script>', /isn't a phone number/],
    ] as const) {
      const reply = await chats.submit(chat, { action: 'sec.submitNumber', flowId, country, number });
      expect(cardText(reply)).toMatch(answer);
      expect(cardText(reply)).not.toMatch(/too short/);
    }
  });

  it('a 5-digit code is refused without costing one of the five tries', async () => {
    const { chat, flowId } = await chats.verified(chatUser(ALEX));
    await chats.submit(chat, { action: 'sec.editPhone', flowId, phoneType: 'mobile' });
    await chats.submit(chat, { action: 'sec.submitNumber', flowId, country: 'US', number: '425 555 0184' });
    const code = await chats.codeFor('+14255550184');
    expect(cardText(await chats.submit(chat, { action: 'sec.submitCode', flowId, code: '12345' }))).toMatch(
      /did not count as a try/,
    );
    const wrong = String((Number(code) + 1) % 1e6).padStart(6, '0');
    expect(cardText(await chats.submit(chat, { action: 'sec.submitCode', flowId, code: wrong }))).toMatch(
      /4 tries left/,
    );
  });

  it("another user's press of MY card: told it belongs to someone else, nothing changes, audited", async () => {
    const { chat, flowId } = await chats.verified(chatUser(ALEX));
    const menu = callsIn(chat).find((c) => /Your sign-in security info/.test(bodyOf(c)));
    const data = button(menu?.body, 'Make default');
    expect(data.owner).toMatch(/^[\w-]{16}$/);
    const intruder = personal(chat.conversation.id, chatUser(MEGAN));
    const reply = await chats.submit(intruder, { ...data, defaultMethod: 'push' });
    expect(reply.text).toMatch(/belongs to someone else's request/);
    expect(bot.graph.users.get(ALEX.oid)?.defaultMethod).toBe('sms');
    const audit = await bot.app.audit.since(new Date(Date.now() - 60_000));
    expect(audit.find((r) => r.flowId === flowId && r.reason === 'foreign-submit')).toMatchObject({
      actorOid: MEGAN.oid,
      result: 'refused',
      action: 'cardSubmit',
    });
    // The owner's own press still works.
    expect(cardText(await chats.submit(chat, { ...data, defaultMethod: 'push' }))).toContain('Confirm the change');
  });

  it('"start over", "hi" and "thanks" get sensible answers', async () => {
    const chat = personal('a:fix-smalltalk');
    expect(cardText(await exchange(bot, { ...chat, text: 'start over' }))).toContain('Verify it');
    expect(cardText(await exchange(bot, { ...chat, text: 'hi' }))).toContain('Hi! Here is what I can do');
    expect((await exchange(bot, { ...chat, text: 'thanks!' })).text).toMatch(/You're welcome/);
    expect((await exchange(bot, { ...chat, text: 'order a new phone' })).text).toMatch(/can't order/);
  });

  it('a stale Cancel (an older card) does not end the CURRENT flow', async () => {
    const { chat, flowId } = await chats.verified(chatUser(ALEX));
    const stale = await chats.submit(chat, { action: 'flow.cancel', flowId: '00000000-0000-4000-8000-000000000000' });
    expect(stale.text).toMatch(/earlier or finished request/);
    expect(cardText(await chats.submit(chat, { action: 'sec.editPhone', flowId, phoneType: 'mobile' }))).toContain(
      'New mobile phone',
    );
  });

  it('never claims what did not happen: a failed e-mail is "still being tried", then the card says so once it went out', async () => {
    const original = bot.outbox.sendEmail.bind(bot.outbox);
    bot.outbox.sendEmail = async () => {
      throw new Error('mailbox unavailable');
    };
    let chatOfChange: Parameters<typeof callsIn>[0] | undefined;
    try {
      const { chat } = await changeMobile(chatUser(ALEX), '425 555 0185');
      chatOfChange = chat;
      const done = callsIn(chat)
        .filter((c) => /"Done"/.test(bodyOf(c)))
        .pop();
      expect(bodyOf(done ?? { body: '' })).toMatch(/A notice could not be sent yet.*I keep trying/);
      expect(bodyOf(done ?? { body: '' })).not.toMatch(/alerted|e-mailed you/);
    } finally {
      bot.outbox.sendEmail = original;
    }
    // The message service is back; the notice's next try is due (time passes), the sweep sends it and the card says so.
    const chat = chatOfChange as NonNullable<typeof chatOfChange>;
    const key = chats.flowKeyOf(chat);
    const stored = (await bot.app.storage.read([key]))[key] as { outbox: { retryAt?: number }[] };
    expect(stored.outbox.some((q) => q.retryAt)).toBe(true);
    await bot.app.storage.write({ [key]: { ...stored, outbox: stored.outbox.map((q) => ({ ...q, retryAt: 0 })) } });
    await bot.app.sweep();
    await expect
      .poll(
        () =>
          bot.outbox.items.filter((m) => m.kind === 'email' && m.to === ALEX.upn && /changed/.test(m.subject)).length,
      )
      .toBeGreaterThan(0);
    await expect.poll(() => lastDone(chat)).toMatch(/We e-mailed you a notice/);
    // The change's audit record said "not e-mailed"; a record of its own says it went out later.
    const flowId = (stored as unknown as { id: string }).id;
    await expect
      .poll(async () =>
        (await bot.app.audit.since(new Date(Date.now() - 60_000)))
          .filter((r) => r.flowId === flowId && r.action === 'notified')
          .map((r) => `${r.result} ${r.reason}`),
      )
      .toEqual(['done email: delivered after retries']);
  }, 20_000);

  it('an e-mail ACS accepted but whose answer was lost, retried after the 5-minute window: read back, not sent twice', async () => {
    const original = bot.outbox.sendEmail.bind(bot.outbox);
    let tries = 0;
    bot.outbox.sendEmail = async (message, repeatable) => {
      tries++;
      await original(message, repeatable); // accepted…
      throw new Error('socket hang up'); // …but the answer never arrived
    };
    try {
      const { chat } = await changeMobile(chatUser(PATTI), '425 555 0187');
      const key = chats.flowKeyOf(chat);
      const sentBefore = bot.outbox.items.filter((m) => m.kind === 'email' && m.to === PATTI.upn).length;
      const stored = (await bot.app.storage.read([key]))[key] as {
        outbox: { retryAt?: number; effect: { kind: string; firstSentAt?: number } }[];
      };
      // Six minutes later: ACS no longer recognises the first request id, so a new one would be needed.
      const sixMinutesAgo = Date.now() - 6 * 60_000;
      await bot.app.storage.write({
        [key]: {
          ...stored,
          outbox: stored.outbox.map((q) => ({ ...q, retryAt: 0, effect: { ...q.effect, firstSentAt: sixMinutesAgo } })),
        },
      });
      const triesBefore = tries;
      await bot.app.sweep();
      await expect.poll(() => lastDone(chat)).toMatch(/We e-mailed you a notice/);
      expect(tries).toBe(triesBefore); // read back: accepted, so not sent again
      expect(bot.outbox.items.filter((m) => m.kind === 'email' && m.to === PATTI.upn).length).toBe(sentBefore);
    } finally {
      bot.outbox.sendEmail = original;
    }
  }, 20_000);

  it('a notice still failing when DELIVERY_RETRY_HOURS runs out: the card says so, audited, raised with the helpdesk once', async () => {
    const original = bot.outbox.sendEmail.bind(bot.outbox);
    bot.outbox.sendEmail = async () => {
      throw new Error('mailbox unavailable');
    };
    try {
      const { chat } = await changeMobile(chatUser(MEGAN), '425 555 0186');
      const key = chats.flowKeyOf(chat);
      const stored = (await bot.app.storage.read([key]))[key] as {
        id: string;
        outbox: { retryAt?: number; effect: { at: number } }[];
      };
      // 25 hours later (the default limit is 24 h): the next try fails for good.
      const dayAgo = Date.now() - 25 * 3_600_000;
      await bot.app.storage.write({
        [key]: {
          ...stored,
          outbox: stored.outbox.map((q) => ({ ...q, retryAt: 0, effect: { ...q.effect, at: dayAgo } })),
        },
      });
      await bot.app.sweep();
      await bot.app.sweep(); // a second sweep raises nothing twice
      await expect
        .poll(() => lastDone(chat))
        .toMatch(/A notice could not be delivered; the helpdesk can confirm this change/);
      const audit = (await bot.app.audit.since(new Date(Date.now() - 60_000))).filter((r) => r.flowId === stored.id);
      expect(audit.filter((r) => r.action === 'notified').map((r) => `${r.result} ${r.reason}`)).toEqual([
        'failed email: not delivered within the retry limit',
      ]);
      const raised = [];
      for (const k of await bot.app.storage.keys('escalation/')) {
        const e = (await bot.app.storage.read([k]))[k] as { reason: string; details: Record<string, string> };
        if (e.reason === 'undelivered-notice' && e.details.changeId === stored.id) raised.push(e);
      }
      expect(raised).toHaveLength(1);
      expect(raised[0]?.details.notice).toBe('email');
    } finally {
      bot.outbox.sendEmail = original;
    }
  }, 20_000);

  it("times in the user's time zone (Teams' localTimezone): verified card and e-mail", async () => {
    const { chat } = await chats.verified(chatUser(ALEX), { localTimezone: 'Europe/Berlin' } as Partial<Activity>);
    const verifiedCard = callsIn(chat).find((c) => /Verified as/.test(bodyOf(c)));
    expect(bodyOf(verifiedCard ?? { body: '' })).toMatch(/valid until \d\d:\d\d CES?T/);
    expect(bodyOf(verifiedCard ?? { body: '' })).not.toMatch(/UTC/);
  });
});
