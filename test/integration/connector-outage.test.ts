// The Bot Connector refusing (503) while a change is applied: Graph is written once, and the result is DELIVERED
// when the connector is back — retried with backoff by the runner, never counted as delivered while refused, never
// replaced by "nothing was changed".
import { describe, expect, it } from 'vitest';
import { chatUser, MEGAN_B, useFlowBot } from '../helpers/flow-chat.js';

describe('a Bot Connector outage during apply', () => {
  const ctx = useFlowBot('outage');

  it('Confirm while the connector refuses every card: Graph once; the "Done" card arrives once it is back', async () => {
    const { bot, chats } = ctx;
    const { chat, flowId } = await chats.verified(chatUser(MEGAN_B));
    await chats.submit(chat, { action: 'sec.editPhone', flowId, phoneType: 'mobile' });
    await chats.submit(chat, { action: 'sec.submitNumber', flowId, country: 'GB', number: '07400 222333' });
    await chats.submit(chat, { action: 'sec.submitCode', flowId, code: await chats.codeFor('+447400222333') });
    const conv = chat.conversation.id;
    bot.connector.refuse = (c) => (c.conversationId === conv ? 503 : undefined);
    const res = await bot.send(bot.activity({ ...chat, text: undefined, value: { action: 'sec.confirm', flowId } }));
    expect(res.status).toBe(200);
    await expect
      .poll(() => bot.graph.users.get(MEGAN_B.oid)?.phones.mobile, { timeout: 10_000 })
      .toBe('+44 7400222333');
    // Refused meanwhile: the cards wait in the flow's outbox (the first retry in 5 s).
    await new Promise((r) => setTimeout(r, 1_500));
    const refused = bot.connector.calls.filter((c) => c.conversationId === conv && c.refused).length;
    expect(refused).toBeGreaterThan(0);
    const key = chats.flowKeyOf(chat);
    const stored = (await bot.app.storage.read([key]))[key] as { outbox: { retryAt?: number }[] };
    expect(stored.outbox[0]?.retryAt).toBeGreaterThan(Date.now() - 1_000);
    // Back: the sweep delivers what was owed, in order, ending with the result.
    bot.connector.refuse = undefined;
    const delivered = () =>
      bot.connector.calls.filter((c) => c.conversationId === conv && !c.refused).map((c) => JSON.stringify(c.body));
    await expect
      .poll(
        async () => {
          await bot.app.sweep();
          return delivered().some((b) => /"text":"Done"/.test(b));
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(true);
    expect(delivered().some((b) => /nothing was changed/.test(b))).toBe(false);
    const writes = bot.graph.requests.filter(
      (r) => r.method !== 'GET' && r.path.includes(MEGAN_B.oid) && r.status < 300,
    );
    expect(writes).toHaveLength(1);
    await expect.poll(() => bot.outbox.items.filter((m) => m.kind === 'email' && m.to === MEGAN_B.upn).length).toBe(1);
  }, 60_000);
});
