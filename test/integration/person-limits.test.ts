// Per-person abuse limits over HTTP in the sandbox: a change started past FLOWS_PER_DAY is refused before any Graph
// read, "Ask the helpdesk" past ESCALATIONS_PER_HOUR posts no card and opens no ticket; both are told to the person,
// audited (limitReached) and counted in /metrics. Another person is not affected.
import { describe, expect, it } from 'vitest';
import { ALEX_W, chatUser, HELPDESK_CHANNEL, inChannel, MEGAN_B, useFlowBot } from '../helpers/flow-chat.js';
import { exchange, personal, signInThroughBrowser } from '../helpers/step-up-flow.js';

describe('per-person limits (FLOWS_PER_DAY=2, ESCALATIONS_PER_HOUR=2)', () => {
  const ctx = useFlowBot('limit', { profile: 'sandbox', env: { FLOWS_PER_DAY: '2', ESCALATIONS_PER_HOUR: '2' } });

  it('the third change of the day is refused before Graph is read; audited and counted; Megan is not affected', async () => {
    await ctx.chats.verified(chatUser(ALEX_W));
    await ctx.chats.verified(chatUser(ALEX_W));
    const chat = personal('a:limit-third', chatUser(ALEX_W));
    const page = await signInThroughBrowser(ctx.bot, chat, ALEX_W);
    const before = ctx.bot.graph.requests.filter((r) => r.path.includes(ALEX_W.oid)).length;
    await exchange(ctx.bot, { ...chat, text: page.code });
    await ctx.chats.shownIn(chat, /You have started many changes of your security info today/);
    expect(ctx.bot.graph.requests.filter((r) => r.path.includes(ALEX_W.oid)).length).toBe(before);
    const keys = await ctx.bot.app.storage.keys('flow/');
    expect(keys.filter((k) => k.includes('limit-third'))).toEqual([]);
    const audit = await ctx.bot.app.audit.since(new Date(Date.now() - 60_000));
    expect(audit.find((r) => r.action === 'limitReached')).toMatchObject({
      actorOid: ALEX_W.oid,
      result: 'refused',
      reason: 'flows-per-day',
    });
    expect(await (await fetch(`${ctx.bot.url}/metrics`)).text()).toMatch(
      /proofup_limit_refusals_total\{limit="flows-per-day"\} 1/,
    );
    await ctx.chats.verified(chatUser(MEGAN_B)); // her own allowance
  });

  it('"Ask the helpdesk" a third time in an hour posts no card: the person is told the helpdesk has their requests', async () => {
    await ctx.bot.send(ctx.bot.activity({ ...inChannel(ALEX_W), text: '<at>Proofup</at> hello' }));
    const chat = personal('a:limit-escalate', chatUser(MEGAN_B));
    const cards = () =>
      ctx.bot.connector.calls.filter(
        (c) => c.conversationId === HELPDESK_CHANNEL && c.method === 'POST' && /Megan/.test(JSON.stringify(c.body)),
      ).length;
    for (let i = 0; i < 2; i++)
      await exchange(ctx.bot, { ...chat, text: undefined, value: { action: 'helpdesk.escalate', reason: 'human' } });
    await expect.poll(cards).toBe(2);
    const third = await exchange(ctx.bot, {
      ...chat,
      text: undefined,
      value: { action: 'helpdesk.escalate', reason: 'human' },
    });
    expect(third.text).toMatch(/^You have asked the helpdesk several times in the last hour/);
    expect(cards()).toBe(2);
    expect(await (await fetch(`${ctx.bot.url}/metrics`)).text()).toMatch(
      /proofup_limit_refusals_total\{limit="escalations-per-hour"\} 1/,
    );
  });
});
