// Handoff (agent → user), over HTTP in the sandbox: an agent of the helpdesk group, after their OWN fresh step-up,
// says "help <e-mail>"; the bot installs itself for that person through the simulated Graph (201 / 409 / 403), finds
// the 1:1 chat and sends the invitation; the person does their own sign-in and change; the agent's ONE status card is
// replaced in place at each flow event. Declined, expired, non-members and the wrong presser are refused and audited.
import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { sandboxPersonalChatId } from '../../src/sandbox/entra/demo-directory.js';
import {
  ADELE_V,
  ALEX_W,
  type Chat,
  chatUser,
  type DemoUser,
  ISAIAH_L,
  MEGAN_B,
  PATTI_F,
  useFlowBot,
} from '../helpers/flow-chat.js';
import { cardText, exchange, personal, signInFromLastCard } from '../helpers/step-up-flow.js';

const ctx = useFlowBot('handoff');
let seq = 0;

const chatOf = (user: DemoUser, id = `a:handoff-${user.name.split(' ')[0]}-${++seq}`) =>
  personal(id, chatUser(user)) as Chat;
/** The person's 1:1 chat as Graph names it (the invitation goes there). */
const inviteChat = (user: DemoUser) => ({ ...personal(sandboxPersonalChatId(user.oid), chatUser(user)) }) as Chat;
const messagesIn = (conversationId: string) =>
  ctx.bot.connector.calls.filter((c) => c.conversationId === conversationId);

const completeSignIn = (chat: Chat, user: DemoUser) => signInFromLastCard(ctx.bot, chat, user);

/** Alex (helpdesk group) asks to help `who`, signing in first; resolves the agent's chat. */
async function agentAsks(who: string, agent: DemoUser = ALEX_W): Promise<Chat> {
  const chat = chatOf(agent);
  const first = await exchange(ctx.bot, { ...chat, text: `help ${who}` });
  expect(first.text).toBe('Helpdesk actions need your own fresh sign-in first.');
  await completeSignIn(chat, agent);
  return chat;
}

const statusCard = (chat: Chat, pattern: RegExp) =>
  ctx.bot.connector.waitFor(
    (c) =>
      c.conversationId === chat.conversation.id &&
      /Handoff to/.test(JSON.stringify(c.body)) &&
      pattern.test(JSON.stringify(c.body)),
    8000,
  );
const press = (chat: Partial<Activity>, value: Record<string, unknown>) =>
  exchange(ctx.bot, { ...chat, text: undefined, value });
const handoffIdIn = (conversationId: string) =>
  /"handoffId":"([0-9a-f-]{36})"/.exec(JSON.stringify(messagesIn(conversationId).at(-1)?.body))?.[1] as string;
const auditOf = async (action: string) =>
  (await ctx.bot.app.audit.since(new Date(Date.now() - 600_000))).filter((r) => r.action === action);

describe('handoff: agent → user', () => {
  it('a non-member is refused politely and audited; no Graph install is tried', async () => {
    const before = ctx.bot.graph.requests.length;
    const reply = await exchange(ctx.bot, { ...chatOf(ADELE_V), text: 'help isaiahl@contoso.test' });
    expect(reply.text).toBe(
      'Only helpdesk agents can hand someone to me. To change your own sign-in phone, say "change my MFA phone".',
    );
    expect(ctx.bot.graph.requests.slice(before).some((r) => r.path.includes('installedApps'))).toBe(false);
    expect(
      (await auditOf('handoffStarted')).some((r) => r.actorOid === ADELE_V.oid && r.reason === 'not-helpdesk'),
    ).toBe(true);
  });

  it("an agent's ordinary sign-in does not count: helpdesk actions need a step-up made for them", async () => {
    const { chat } = await ctx.chats.verified(chatUser(ALEX_W));
    const reply = await exchange(ctx.bot, { ...chat, text: 'help adelev@contoso.test' });
    expect(reply.text).toBe('Helpdesk actions need your own fresh sign-in first.');
    expect(messagesIn(sandboxPersonalChatId(ADELE_V.oid))).toEqual([]);
  });

  it('install needed → invitation → the person changes their own mobile → the ONE status card says each step', async () => {
    expect(ctx.bot.graph.helpdesk.installations.has(ADELE_V.oid)).toBe(false);
    const agent = await agentAsks('adelev@contoso.test');
    const sent = await statusCard(agent, /Invitation sent: waiting for them to open it/);
    expect(JSON.stringify(sent.body)).toContain('Adele Vance (adelev@contoso.test)');
    expect(ctx.bot.graph.helpdesk.installations.has(ADELE_V.oid)).toBe(true); // 201 Created
    expect(JSON.stringify(sent.body)).toContain('installed');

    const user = inviteChat(ADELE_V);
    const invite = await ctx.bot.connector.waitFor((c) => c.conversationId === user.conversation.id);
    const text = JSON.stringify(invite.body);
    expect(text).toContain('Alex Wilber from the helpdesk asked me to help you');
    expect(text).toContain("I didn't ask for this");
    const handoffId = handoffIdIn(user.conversation.id);

    // Someone else pressing Start is refused (a forwarded card).
    const other = await press(chatOf(ISAIAH_L), { action: 'handoff.accept', handoffId, lang: 'en' });
    expect(other.text).toBe('This invitation is for someone else: nothing was done.');

    await press(user, { action: 'handoff.accept', handoffId, lang: 'en' });
    await statusCard(agent, /Opened: they are signing in/);
    await completeSignIn(user, ADELE_V);
    const menu = await ctx.chats.shownIn(user, /New mobile phone|Your sign-in security info/);
    const flowId = /"flowId":"([0-9a-f-]{36})"/.exec(JSON.stringify(menu.body))?.[1] as string;
    await statusCard(agent, /Signed in: choosing the change/);
    await press(user, { action: 'sec.editPhone', flowId, phoneType: 'mobile' });
    await press(user, { action: 'sec.submitNumber', flowId, country: 'US', number: '(425) 555-0177' });
    await statusCard(agent, /A code was sent to the new number/);
    await press(user, { action: 'sec.submitCode', flowId, code: await ctx.chats.codeFor('+14255550177') });
    await press(user, { action: 'sec.confirm', flowId });
    await statusCard(agent, /"Changed"/);
    expect(ctx.bot.graph.users.get(ADELE_V.oid)?.phones.mobile).toBe('+1 4255550177');

    // ONE card: every later status replaced the first message in place; no number ever reached the agent's chat.
    const agentCalls = messagesIn(agent.conversation.id).filter((c) => /Handoff to/.test(JSON.stringify(c.body)));
    expect(agentCalls.filter((c) => c.method === 'POST')).toHaveLength(1);
    const updated = new Set(agentCalls.filter((c) => c.method === 'PUT').map((c) => c.path));
    expect(updated.size).toBe(1); // …/activities/<the status card's id>
    expect(agentCalls.filter((c) => c.method === 'PUT').length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(messagesIn(agent.conversation.id))).not.toMatch(/4255550177|555-0177|01 77|\(425\)|•••/);
    expect((await auditOf('handoffStarted')).some((r) => r.subjectOid === ADELE_V.oid && r.result === 'done')).toBe(
      true,
    );
  });

  it('already installed (Graph 409) is fine: the invitation goes out', async () => {
    expect(ctx.bot.graph.helpdesk.installations.has(MEGAN_B.oid)).toBe(true);
    const agent = await agentAsks('Megan');
    const sent = await statusCard(agent, /Invitation sent/);
    expect(JSON.stringify(sent.body)).toContain('already-installed');
    const conflict = ctx.bot.graph.requests.find(
      (r) => r.method === 'POST' && r.path.includes(`${MEGAN_B.oid}/teamwork/installedApps`),
    );
    expect(conflict?.status).toBe(409);
    await ctx.bot.connector.waitFor((c) => c.conversationId === sandboxPersonalChatId(MEGAN_B.oid));
  });

  it('blocked by the app permission policy (Graph 403): the agent is told what to do; nothing is sent', async () => {
    const agent = await agentAsks('pattif@contoso.test');
    const told = await ctx.chats.shownIn(agent, /Teams does not allow Proofup for Patti Fernandez/);
    expect(JSON.stringify(told.body)).toContain('Ask your Teams admin to allow Proofup');
    expect(messagesIn(sandboxPersonalChatId(PATTI_F.oid))).toEqual([]);
    expect(
      (await auditOf('handoffStarted')).some(
        (r) => r.subjectOid === PATTI_F.oid && r.reason === 'app-blocked-by-policy',
      ),
    ).toBe(true);
  });

  it('"I didn\'t ask for this": the person is reassured, the agent told, the handoff audited and flagged', async () => {
    const agent = await agentAsks('isaiahl@contoso.test');
    await statusCard(agent, /Invitation sent/);
    const user = inviteChat(ISAIAH_L);
    await ctx.bot.connector.waitFor((c) => c.conversationId === user.conversation.id);
    const handoffId = handoffIdIn(user.conversation.id);
    await press(user, { action: 'handoff.decline', handoffId, lang: 'en' });
    await ctx.chats.shownIn(user, /Thank you for telling me\. Nothing was changed/);
    await statusCard(agent, /They said they did not ask for this \(flagged\)/);
    expect(ctx.bot.logs.some((l) => l.includes('PROOFUP_HANDOFF_DECLINED'))).toBe(true);
    const declined = (await auditOf('handoffDeclined')).find((r) => r.flowId === handoffId);
    expect(declined).toMatchObject({ actorOid: ISAIAH_L.oid, result: 'refused' });
    expect(declined?.reason).toContain(ALEX_W.oid);
    // The invitation lost its buttons; Start afterwards does nothing.
    const again = await press(user, { action: 'handoff.accept', handoffId, lang: 'en' });
    expect(again.text).toBe('This invitation is already closed.');
  });

  it('a handoff a crash left "inviting": the sweep settles it after 2 minutes (delivery unknown), audited once', async () => {
    const agent = await agentAsks('adelev@contoso.test');
    await statusCard(agent, /Invitation sent/);
    const handoffId = handoffIdIn(inviteChat(ADELE_V).conversation.id);
    // What a kill -9 while the invitation was posted leaves: the record 'inviting', three minutes old, no audit yet.
    const key = `handoff/${handoffId}`;
    const record = (await ctx.bot.app.storage.read([key]))[key] as Record<string, unknown>;
    await ctx.bot.app.storage.write({ [key]: { ...record, state: 'inviting', updatedAt: Date.now() - 3 * 60_000 } });
    await ctx.bot.app.sweep();
    await ctx.bot.app.sweep();
    expect((await ctx.bot.app.storage.read([key]))[key]).toMatchObject({ state: 'sent', detail: 'delivery-unknown' });
    const started = (await auditOf('handoffStarted')).filter((r) => r.flowId === handoffId);
    expect(started.map((r) => r.result)).toEqual(['done']); // the same keyed record as the original's
  });

  it('unanswered for 24 h: the sweep expires it, the agent sees "Expired", Start says so', async () => {
    const agent = await agentAsks('adelev@contoso.test');
    await statusCard(agent, /Invitation sent/);
    const user = inviteChat(ADELE_V);
    const handoffId = handoffIdIn(user.conversation.id);
    // 24 hours pass (the record's deadline moved back; the sweep runs as its timer would).
    const key = `handoff/${handoffId}`;
    const record = (await ctx.bot.app.storage.read([key]))[key] as { expiresAt: number };
    await ctx.bot.app.storage.write({ [key]: { ...record, expiresAt: Date.now() - 1 } });
    await ctx.bot.app.sweep();
    await statusCard(agent, /Expired: not completed within 24 hours/);
    const late = await press(user, { action: 'handoff.accept', handoffId, lang: 'en' });
    expect(late.text).toMatch(/^This invitation has expired/);
    expect(cardText(late)).not.toContain('sign in');
  });
});
