// Temporary Access Pass confirmed by the person's MANAGER (HELPDESK_VERIFICATION lists manager; the sandbox does):
// the manager in the directory (Graph /users/{id}/manager) gets the request in their own chat, confirms after their
// own step-up, and the pass goes to the PERSON in their own chat. Refused: no manager in the directory, a manager who
// is the asking agent, someone else pressing the manager's card; a manager who cannot confirm closes the request.
import { describe, expect, it } from 'vitest';
import { ADELE_V, ALEX_W, type Chat, chatUser, type DemoUser, MEGAN_B, useFlowBot } from '../helpers/flow-chat.js';
import { exchange, personal, signInFromLastCard } from '../helpers/step-up-flow.js';

let seq = 0;
const chatOf = (user: DemoUser) => personal(`a:mgr-${user.name.split(' ')[0]}-${++seq}`, chatUser(user)) as Chat;
const attested = {
  action: 'helpdesk.tapAttest',
  method: 'manager',
  note: 'her manager on a call',
  checkedMyself: 'yes',
};

describe('Temporary Access Pass confirmed by the manager', () => {
  const ctx = useFlowBot('mgr');
  const press = (chat: Chat, value: Record<string, unknown>) => exchange(ctx.bot, { ...chat, text: undefined, value });
  const open = async (user: DemoUser) => {
    const chat = chatOf(user);
    await exchange(ctx.bot, { ...chat, text: 'hello' }); // their 1:1 chat with the bot exists
    return chat;
  };
  /** Alex (signed in with c2) asks for a pass for `who` and picks the manager way; resolves his chat and the request. */
  const agentAsksManager = async (who: string) => {
    const agent = chatOf(ALEX_W);
    await exchange(ctx.bot, { ...agent, text: `temporary access pass for ${who}` });
    await signInFromLastCard(ctx.bot, agent, ALEX_W);
    const card = await ctx.chats.shownIn(agent, /Issue the pass/);
    expect(JSON.stringify(card.body)).toContain("Their manager confirms it's them");
    const requestId = /"requestId":"([0-9a-f-]{36})"/.exec(JSON.stringify(card.body))?.[1] as string;
    const reply = await press(agent, { ...attested, requestId, way: 'manager' });
    return { agent, requestId, reply: reply.text ?? '' };
  };
  const events = async (requestId: string) =>
    (await ctx.bot.app.audit.since(new Date(Date.now() - 600_000)))
      .filter((r) => r.flowId === requestId)
      .map((r) => `${r.event} ${r.result}: ${r.reason?.split(';')[0]}`);

  it("Megan, Adele's manager, confirms after her own sign-in: the pass goes to Adele's chat; Alex and Megan never see it", async () => {
    const adele = await open(ADELE_V);
    const megan = await open(MEGAN_B);
    const before = ctx.bot.graph.helpdesk.passes.length;
    const { agent, requestId, reply } = await agentAsksManager('adelev@contoso.test');
    expect(reply).toMatch(/^I asked Megan Bowen, Adele Vance's manager, to confirm it's them/);
    const card = await ctx.chats.shownIn(megan, /Is it really Adele Vance\?/);
    expect(JSON.stringify(card.body)).toContain('confirm only if you spoke to Adele Vance yourself just now');
    expect(ctx.bot.graph.helpdesk.passes).toHaveLength(before); // blocked without a verified state

    // The person herself (or anyone else) pressing the manager's card is refused before any sign-in.
    const byAdele = await press(adele, { action: 'helpdesk.tapVerify', requestId, lang: 'en' });
    expect(byAdele.text).toBe('This request is for someone else: you cannot verify it. Nothing was issued.');
    const bySelf = await press(adele, { action: 'helpdesk.tapDecline', requestId, lang: 'en' });
    expect(bySelf.text).toBe('This request is for someone else: you cannot verify it. Nothing was issued.');

    const signIn = await press(megan, { action: 'helpdesk.tapVerify', requestId, lang: 'en' });
    expect(JSON.stringify(signIn)).toMatch(/auth\/start/);
    await signInFromLastCard(ctx.bot, megan, MEGAN_B);
    await ctx.chats.shownIn(megan, /Thank you: confirmed\. The pass goes to Adele Vance/);
    const shown = await ctx.chats.shownIn(adele, /Your Temporary Access Pass/);
    const pass = ctx.bot.graph.helpdesk.passes.at(-1)?.pass as string;
    expect(ctx.bot.graph.helpdesk.passes.at(-1)?.oid).toBe(ADELE_V.oid);
    expect(JSON.stringify(shown.body)).toContain(pass);
    await ctx.chats.shownIn(agent, /Issued: Adele Vance verified it's them/);
    const elsewhere = ctx.bot.connector.calls.filter((c) => c.conversationId !== adele.conversation.id);
    expect(JSON.stringify(elsewhere.map((c) => c.body))).not.toContain(pass);
    expect(await events(requestId)).toEqual([
      'requested done: requested by 0a1e0000-0000-4000-8000-000000000020',
      `verification-sent done: verification-sent: manager (${MEGAN_B.oid})`,
      `verified done: verified: manager ${MEGAN_B.oid} after their own step-up`,
      'issued done: verified: manager by the manager after their own step-up',
      'shown done: shown to the person',
    ]);
  });

  it('a manager who cannot confirm: nothing issued, the agent told, the request closed and flagged', async () => {
    await open(ADELE_V);
    const megan = await open(MEGAN_B);
    const before = ctx.bot.graph.helpdesk.passes.length;
    const { agent, requestId } = await agentAsksManager('adelev@contoso.test');
    await ctx.chats.shownIn(megan, /Is it really Adele Vance\?/);
    const thanks = await press(megan, { action: 'helpdesk.tapDecline', requestId, lang: 'en' });
    expect(thanks.text).toBe('Thank you: nothing was issued for Adele Vance, and the helpdesk was told.');
    await ctx.chats.shownIn(agent, /Adele Vance's manager could not confirm it's them/);
    expect(ctx.bot.graph.helpdesk.passes).toHaveLength(before);
    expect((await events(requestId)).at(-1)).toBe(
      'verification-failed refused: verification-failed: the manager could not confirm (flagged)',
    );
    const late = await press(megan, { action: 'helpdesk.tapVerify', requestId, lang: 'en' });
    expect(late.text).toBe('This request is already closed.');
  });

  it('no manager in the directory, or the manager is the asking agent: refused with the reason, nothing issued', async () => {
    await open(ADELE_V);
    await open(MEGAN_B);
    const before = ctx.bot.graph.helpdesk.passes.length;
    const managers = ctx.bot.graph.directory.managers;
    const adelesManager = managers.get(ADELE_V.oid) as string;
    managers.delete(ADELE_V.oid);
    try {
      const none = await agentAsksManager('adelev@contoso.test');
      expect(none.reply).toMatch(/^The directory names no manager for Adele Vance/);
      expect((await events(none.requestId)).at(-1)).toBe(
        'verification-failed refused: verification-failed: the directory names no manager',
      );
    } finally {
      managers.set(ADELE_V.oid, adelesManager);
    }
    managers.set(ADELE_V.oid, ALEX_W.oid); // the asking agent is her manager
    try {
      const self = await agentAsksManager('adelev@contoso.test');
      expect(self.reply).toMatch(/^You are Adele Vance's manager: you cannot be both/);
    } finally {
      managers.set(ADELE_V.oid, adelesManager);
    }
    expect(ctx.bot.graph.helpdesk.passes).toHaveLength(before);
  });
});
