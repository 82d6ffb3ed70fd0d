// Temporary Access Pass, over HTTP in the sandbox: agents only, after their own sign-in with the stronger auth
// context (the authorize request asks for c2 and the ID token must carry it); privileged people refused; what the
// agent checked is recorded; optionally a second agent approves (signing in the same way in their own chat); the pass
// is shown once, to the issuing agent only, and is in no log, storage record or audit text; the person is told.
import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import {
  ADELE_V,
  ALEX_W,
  type Chat,
  chatUser,
  type DemoUser,
  HELPDESK_CHANNEL,
  ISAIAH_L,
  inChannel,
  MEGAN_B,
  useFlowBot,
} from '../helpers/flow-chat.js';
import { exchange, openStart, personal, signInFromLastCard } from '../helpers/step-up-flow.js';

let seq = 0;
const CHANNEL = HELPDESK_CHANNEL;
const chatOf = (user: DemoUser) => personal(`a:pass-${user.name.split(' ')[0]}-${++seq}`, chatUser(user)) as Chat;

function passTests(ctx: ReturnType<typeof useFlowBot>) {
  const press = (chat: Partial<Activity>, value: Record<string, unknown>) =>
    exchange(ctx.bot, { ...chat, text: undefined, value });
  const requestIdIn = async (chat: Chat) => {
    const card = await ctx.chats.shownIn(chat, /Issue the pass/);
    return /"requestId":"([0-9a-f-]{36})"/.exec(JSON.stringify(card.body))?.[1] as string;
  };
  /** Alex asks for a pass for `who` and signs in with the stronger check; resolves his chat. */
  const agentAsks = async (who: string, agent: DemoUser = ALEX_W) => {
    const chat = chatOf(agent);
    const first = await exchange(ctx.bot, { ...chat, text: `temporary access pass for ${who}` });
    expect(first.text).toBe("A Temporary Access Pass needs your own sign-in with the helpdesk's stronger check first.");
    await signInFromLastCard(ctx.bot, chat, agent);
    return chat;
  };
  const attested = {
    action: 'helpdesk.tapAttest',
    method: 'video',
    note: 'passport, photo matched',
    checkedMyself: 'yes',
  };
  return { press, requestIdIn, agentAsks, attested };
}

describe('Temporary Access Pass (one agent), the weaker attestation mode (HELPDESK_VERIFICATION=attestation)', () => {
  const ctx = useFlowBot('pass', { profile: 'sandbox', env: { HELPDESK_VERIFICATION: 'attestation' } });
  const { press, requestIdIn, agentAsks, attested } = passTests(ctx);

  it('a non-member is refused; nothing is asked of Graph', async () => {
    const reply = await exchange(ctx.bot, { ...chatOf(ADELE_V), text: 'tap isaiahl@contoso.test' });
    expect(reply.text).toMatch(/^Only helpdesk agents can/);
    expect(ctx.bot.graph.helpdesk.passes).toHaveLength(0);
  });

  it('the sign-in asks Entra for the stronger auth context (c2); a handoff sign-in (c1) is not enough', async () => {
    const chat = chatOf(ALEX_W);
    await exchange(ctx.bot, { ...chat, text: 'help meganb@contoso.test' });
    await signInFromLastCard(ctx.bot, chat, ALEX_W); // a helpdesk grant with c1 only
    const again = await exchange(ctx.bot, { ...chat, text: 'temporary access pass for adelev@contoso.test' });
    expect(again.text).toBe("A Temporary Access Pass needs your own sign-in with the helpdesk's stronger check first.");
    const signIns = ctx.bot.connector.calls.filter(
      (c) => c.conversationId === chat.conversation.id && /auth\/start/.test(JSON.stringify(c.body)),
    );
    expect(signIns).toHaveLength(2); // the handoff's, then the pass's
    const url = /(https?:\/\/[^"]+\/auth\/start\?s=[^"]+)/.exec(JSON.stringify(signIns.at(-1)?.body))?.[1] as string;
    const start = await openStart(ctx.bot, url);
    const claims = JSON.parse(new URL(start.headers.get('location') as string).searchParams.get('claims') as string);
    expect(claims.id_token.acrs).toEqual({ essential: true, value: 'c2' });
  });

  it('a holder of a privileged directory role is refused, with the reason; audited', async () => {
    const chat = await agentAsks('isaiahl@contoso.test');
    const told = await ctx.chats.shownIn(chat, /I won't issue a pass for Isaiah Langer/);
    expect(JSON.stringify(told.body)).toContain('Security Administrator');
    expect(ctx.bot.graph.helpdesk.passes).toHaveLength(0);
    const audit = await ctx.bot.app.audit.since(new Date(Date.now() - 60_000));
    expect(audit.find((r) => r.action === 'tapIssued' && r.subjectOid === ISAIAH_L.oid)).toMatchObject({
      actorOid: ALEX_W.oid,
      result: 'refused',
      reason: 'privileged-user: Security Administrator',
    });
  });

  it('attest → the pass, once, to the agent only; the person told by e-mail and SMS; hidden on request', async () => {
    const chat = await agentAsks('adelev@contoso.test');
    const requestId = await requestIdIn(chat);
    const missing = await press(chat, { action: 'helpdesk.tapAttest', requestId, method: 'video', note: '' });
    expect(missing.text).toMatch(/^Say what you checked/);
    await press(chat, { ...attested, requestId });
    const issued = ctx.bot.graph.helpdesk.passes.at(-1);
    expect(issued?.oid).toBe(ADELE_V.oid);
    expect(issued?.lifetimeInMinutes).toBe(60);
    const pass = issued?.pass as string;
    const shown = await ctx.chats.shownIn(chat, /Hide the pass/);
    expect(JSON.stringify(shown.body)).toContain(JSON.stringify(pass).slice(1, -1));
    // Adele's e-mail and mobile are told (never the pass).
    const told = ctx.bot.outbox.items.filter((m) => /Temporary Access Pass/.test(m.text));
    expect(told.map((m) => m.to).sort()).toEqual(['+4917612345678', ADELE_V.upn].sort());
    expect(JSON.stringify(told)).not.toContain(pass);

    const audit = (await ctx.bot.app.audit.since(new Date(Date.now() - 60_000))).find(
      (r) => r.action === 'tapIssued' && r.event === 'issued',
    );
    expect(audit).toMatchObject({ actorOid: ALEX_W.oid, subjectOid: ADELE_V.oid });
    expect(audit?.reason).toContain('attested: video (passport, photo matched)');
    expect(audit?.steps[0]?.op).toBe('createTemporaryAccessPass');

    // A press without an Entra identity (any non-Teams sender) hides nothing: owner checks fail closed.
    const putsBefore = ctx.bot.connector.calls.filter((c) => c.method === 'PUT').length;
    const anonymous = personal('a:pass-anonymous', { id: 'slack-like-user', name: 'Nobody' } as never);
    const res = await ctx.bot.send(
      ctx.bot.activity({ ...anonymous, text: undefined, value: { action: 'helpdesk.tapHide', requestId } }),
    );
    expect(res.status).toBe(200);
    expect(ctx.bot.connector.calls.filter((c) => c.method === 'PUT')).toHaveLength(putsBefore);
    expect((await ctx.bot.app.storage.read([`tap/${requestId}`]))[`tap/${requestId}`]).toMatchObject({
      shown: { hidden: false },
    });
    // Shown once: "Hide the pass" replaces the card with one without it.
    await press(chat, { action: 'helpdesk.tapHide', requestId });
    const hidden = ctx.bot.connector.calls
      .filter((c) => c.conversationId === chat.conversation.id && c.method === 'PUT')
      .at(-1);
    expect(JSON.stringify(hidden?.body)).toContain('is hidden now');
    expect(JSON.stringify(hidden?.body)).not.toContain(pass);
    // A second submit of the same attestation issues nothing more.
    const again = await press(chat, { ...attested, requestId });
    expect(again.text).toBe('This request is already closed.');
    expect(ctx.bot.graph.helpdesk.passes).toHaveLength(1);

    // Leak scan: the pass is in no log line, no storage record, no audit record, and in no other chat.
    expect(ctx.bot.logs.filter((l) => l.includes(pass))).toEqual([]);
    const keys = ['tap/', 'handoff/', 'userchat/', 'stepup/', 'flow/', 'escalation/', 'helpdesk/'];
    for (const prefix of keys)
      for (const key of await ctx.bot.app.storage.keys(prefix))
        expect(JSON.stringify((await ctx.bot.app.storage.read([key]))[key]), key).not.toContain(pass);
    expect(JSON.stringify(await ctx.bot.app.audit.since(new Date(0)))).not.toContain(pass);
    const elsewhere = ctx.bot.connector.calls.filter((c) => c.conversationId !== chat.conversation.id);
    expect(JSON.stringify(elsewhere.map((c) => c.body))).not.toContain(pass);
  });

  it('a pass for a helpdesk member always needs a second agent, and that member can never be the one who approves', async () => {
    await ctx.bot.send(ctx.bot.activity({ ...inChannel(ALEX_W), text: '<at>Proofup</at> hello' }));
    const chat = await agentAsks('meganb@contoso.test');
    const requestId = await requestIdIn(chat);
    const before = ctx.bot.graph.helpdesk.passes.length;
    // One-agent policy, but Megan is in the helpdesk group: not issued on Alex's word alone.
    const waiting = await press(chat, { ...attested, requestId });
    expect(waiting.text).toMatch(/^A second agent must approve this pass/);
    // Megan, the subject, presses Approve in the channel: refused before any sign-in is asked of her.
    const self = await press(inChannel(MEGAN_B), { action: 'helpdesk.tapApprove', requestId, lang: 'en' });
    expect(self.text).toBe('This pass is for you: another helpdesk agent must approve it.');
    expect(ctx.bot.graph.helpdesk.passes).toHaveLength(before);
    const stored = (await ctx.bot.app.storage.read([`tap/${requestId}`]))[`tap/${requestId}`];
    expect(stored).toMatchObject({ state: 'awaiting-approval' });
    expect(stored).not.toHaveProperty('approver');
  });

  it("Graph's answer lost after it created the pass: settled by reading back — the unseen pass is deleted, the agent told", async () => {
    const chat = await agentAsks('adelev@contoso.test');
    const requestId = await requestIdIn(chat);
    ctx.bot.graph.inject({ status: 'reset', method: 'POST', pathEndsWith: '/temporaryAccessPassMethods' });
    const before = ctx.bot.graph.helpdesk.passes.length;
    const reply = await press(chat, { ...attested, requestId });
    expect(reply.text).toMatch(/^Microsoft created a pass, but its answer was lost on the way.*I deleted that pass/);
    const made = ctx.bot.graph.helpdesk.passes.slice(before);
    expect(made).toHaveLength(1);
    expect(made[0]?.deleted).toBe(true); // never a live pass nobody knows of
    const audit = (await ctx.bot.app.audit.since(new Date(Date.now() - 60_000))).filter(
      (r) => r.action === 'tapIssued' && r.flowId === requestId,
    );
    expect(audit.at(-1)).toMatchObject({ result: 'failed', reason: expect.stringMatching(/^lost-deleted/) });
  });

  it('the chat refuses the card with the pass: the pass is deleted at Microsoft (nobody saw it), the agent told, audited', async () => {
    const chat = await agentAsks('adelev@contoso.test');
    const requestId = await requestIdIn(chat);
    const before = ctx.bot.graph.helpdesk.passes.length;
    const sentBefore = ctx.bot.outbox.items.length;
    ctx.bot.connector.refuse = (c) => (/Hide the pass/.test(JSON.stringify(c.body)) ? 503 : undefined);
    try {
      await press(chat, { ...attested, requestId });
      const reply = await ctx.chats.shownIn(chat, /could not be shown to you/);
      expect((reply.body as { text?: string }).text).toMatch(
        /^The pass for Adele Vance could not be shown to you, so I deleted it at Microsoft/,
      );
    } finally {
      ctx.bot.connector.refuse = undefined;
    }
    const made = ctx.bot.graph.helpdesk.passes.slice(before);
    expect(made.map((p) => p.deleted)).toEqual([true]);
    expect((await ctx.bot.app.storage.read([`tap/${requestId}`]))[`tap/${requestId}`]).toMatchObject({
      state: 'withdrawn',
      owed: { deletePass: false },
    });
    const audit = (await ctx.bot.app.audit.since(new Date(Date.now() - 60_000))).filter((r) => r.flowId === requestId);
    expect(audit.map((r) => `${r.event} ${r.result} ${r.reason?.split(':')[0]}`)).toEqual([
      'requested done requested by 0a1e0000-0000-4000-8000-000000000020',
      'deleted failed not-shown',
    ]);
    // Nobody was told of a pass that never worked.
    expect(ctx.bot.outbox.items.slice(sentBefore).filter((m) => /Temporary Access Pass/.test(m.text))).toEqual([]);
  });

  it('a request a crash left "issuing" after Microsoft created the pass: the sweep deletes the pass and tells the agent', async () => {
    const chat = await agentAsks('adelev@contoso.test');
    const requestId = await requestIdIn(chat);
    // What a kill -9 leaves: 'issuing' stored, the pass created at Graph, its answer gone with the process.
    const key = `tap/${requestId}`;
    const stored = (await ctx.bot.app.storage.read([key]))[key] as Record<string, unknown>;
    const since = Date.now() - 10 * 60_000;
    await ctx.bot.app.storage.write({
      [key]: { ...stored, state: 'issuing', issuing: { since, attempt: 'crashed-attempt' } },
    });
    ctx.bot.graph.helpdesk.passes.push({
      id: 'tap-crashed',
      oid: ADELE_V.oid,
      pass: 'NeverSeen1',
      at: since + 500,
      lifetimeInMinutes: 60,
    });
    // Pressed again meanwhile: "being issued", not "closed".
    const again = await press(chat, { ...attested, requestId });
    expect(again.text, JSON.stringify(again)).toMatch(/^This pass is being issued right now/);

    await ctx.bot.app.sweep();
    expect(ctx.bot.graph.helpdesk.passes.find((p) => p.id === 'tap-crashed')?.deleted).toBe(true);
    const told = await ctx.chats.shownIn(chat, /interrupted by a restart/);
    expect((told.body as { text?: string }).text).toMatch(
      /^The pass for Adele Vance was interrupted by a restart before it reached you.*I deleted it/,
    );
    const audit = (await ctx.bot.app.audit.since(new Date(Date.now() - 60 * 60_000))).filter(
      (r) => r.flowId === requestId,
    );
    expect(audit.map((r) => `${r.event} ${r.result} ${r.reason}`)).toEqual([
      `requested done requested by ${ALEX_W.oid}`,
      'deleted failed interrupted: lost-deleted',
    ]);
    // A second sweep finds nothing left to do: one message, one audit record.
    await ctx.bot.app.sweep();
    const messages = ctx.bot.connector.calls.filter(
      (c) => c.conversationId === chat.conversation.id && /interrupted by a restart/.test(JSON.stringify(c.body)),
    );
    expect(messages).toHaveLength(1);
    expect(
      (await ctx.bot.app.audit.since(new Date(Date.now() - 60 * 60_000))).filter((r) => r.flowId === requestId),
    ).toHaveLength(2);
  });

  it('the tenant TAP policy is off (Graph 400): the agent is told how to enable it; nothing issued', async () => {
    ctx.bot.graph.helpdesk.tapPolicyEnabled = false;
    try {
      const chat = await agentAsks('adelev@contoso.test');
      const requestId = await requestIdIn(chat);
      const before = ctx.bot.graph.helpdesk.passes.length;
      const reply = await press(chat, { ...attested, requestId });
      expect(reply.text).toMatch(
        /^Microsoft Graph refused: the Temporary Access Pass policy does not allow a pass for Adele Vance/,
      );
      expect(ctx.bot.graph.helpdesk.passes).toHaveLength(before);
    } finally {
      ctx.bot.graph.helpdesk.tapPolicyEnabled = true;
    }
  });
});

describe('Temporary Access Pass with a second agent (TAP_REQUIRES_SECOND_AGENT=true)', () => {
  const ctx = useFlowBot('pass2', {
    profile: 'sandbox',
    env: { TAP_REQUIRES_SECOND_AGENT: 'true', HELPDESK_VERIFICATION: 'attestation' },
  });
  const { press, requestIdIn, agentAsks, attested } = passTests(ctx);
  const approvalIn = () =>
    ctx.bot.connector.waitFor(
      (c) => c.conversationId === CHANNEL && /Approve a Temporary Access Pass/.test(JSON.stringify(c.body)),
    );

  it('asks in the helpdesk channel; not the asking agent; the approver signs in (c2) in their own chat; then the pass', async () => {
    await ctx.bot.send(ctx.bot.activity({ ...inChannel(MEGAN_B), text: '<at>Proofup</at> hello' }));
    const chat = await agentAsks('adelev@contoso.test');
    const requestId = await requestIdIn(chat);
    const waiting = await press(chat, { ...attested, requestId });
    expect(waiting.text).toMatch(/^A second agent must approve this pass/);
    const approval = await approvalIn();
    expect(JSON.stringify(approval.body)).toContain(
      'Alex Wilber asks to issue a Temporary Access Pass for Adele Vance',
    );
    expect(ctx.bot.graph.helpdesk.passes).toHaveLength(0);

    const self = await press(inChannel(ALEX_W), { action: 'helpdesk.tapApprove', requestId, lang: 'en' });
    expect(self.text).toBe('You asked for this pass: another agent must approve it.');
    const refused = await press(inChannel(ADELE_V), { action: 'helpdesk.tapApprove', requestId, lang: 'en' });
    expect(refused.text).toMatch(/^Only helpdesk agents can/);

    // Megan has no personal chat with the bot yet: she is asked to open one.
    const noChat = await press(inChannel(MEGAN_B), { action: 'helpdesk.tapApprove', requestId, lang: 'en' });
    expect(noChat.text).toMatch(/^Approving a pass needs your own sign-in: open a personal chat with me first/);
    const megansChat = chatOf(MEGAN_B);
    await exchange(ctx.bot, { ...megansChat, text: 'hello' });
    const sent = await press(inChannel(MEGAN_B), { action: 'helpdesk.tapApprove', requestId, lang: 'en' });
    expect(sent.text).toMatch(
      /^Approving a pass needs your own sign-in with the helpdesk's stronger check: I sent you/,
    );
    await signInFromLastCard(ctx.bot, megansChat, MEGAN_B);

    await ctx.chats.shownIn(chat, /Hide the pass/);
    const pass = ctx.bot.graph.helpdesk.passes.at(-1)?.pass as string;
    expect(JSON.stringify((await ctx.chats.shownIn(chat, /Hide the pass/)).body)).toContain(pass);
    await ctx.bot.connector.waitFor(
      (c) =>
        c.conversationId === CHANNEL && c.method === 'PUT' && /Approved by Megan Bowen/.test(JSON.stringify(c.body)),
    );
    const audit = (await ctx.bot.app.audit.since(new Date(Date.now() - 60_000))).find(
      (r) => r.action === 'tapIssued' && r.event === 'issued',
    );
    expect(audit?.reason).toContain(`approved by ${MEGAN_B.oid}`);
    // Neither the channel nor Megan's chat ever saw the pass.
    const others = ctx.bot.connector.calls.filter((c) => c.conversationId !== chat.conversation.id);
    expect(JSON.stringify(others.map((c) => c.body))).not.toContain(pass);
    expect(ctx.bot.logs.filter((l) => l.includes(pass))).toEqual([]);
  });
});

describe('Temporary Access Pass after the PERSON verified (HELPDESK_VERIFICATION=step-up, the default)', () => {
  const ctx = useFlowBot('pass3');
  const { press, requestIdIn, agentAsks, attested } = passTests(ctx);
  const personChat = async (user: DemoUser) => {
    const chat = chatOf(user);
    await exchange(ctx.bot, { ...chat, text: 'hello' }); // the person's 1:1 chat with the bot exists
    return chat;
  };
  const verifyCardIn = (chat: Chat) => ctx.chats.shownIn(chat, /Verify it's me/);
  const auditOf = async (requestId: string) =>
    (await ctx.bot.app.audit.since(new Date(Date.now() - 600_000)))
      .filter((r) => r.flowId === requestId)
      .map((r) => `${r.result} ${r.reason?.split(';')[0]}`);

  it("the agent's word alone issues nothing: the person verifies in their own chat and sees the pass; the agent only 'issued'", async () => {
    const adele = await personChat(ADELE_V);
    const agent = await agentAsks('adelev@contoso.test');
    const requestId = await requestIdIn(agent);
    // The sandbox offers both ways the person can verify; their own sign-in is the default.
    expect(JSON.stringify((await ctx.chats.shownIn(agent, /Issue the pass/)).body)).toContain(
      'Their own sign-in, in their chat with me',
    );
    await exchange(ctx.bot, {
      ...agent,
      text: undefined,
      replyToId: 'attest-card-1',
      value: { ...attested, requestId },
    });
    await ctx.chats.shownIn(agent, /I asked Adele Vance to verify it's them with their own sign-in/);
    // The attestation card is closed in place: no inputs, no "Issue the pass" left to press.
    const closed = ctx.bot.connector.calls.find((c) => c.method === 'PUT' && c.path.endsWith('/attest-card-1'));
    expect(JSON.stringify(closed?.body)).toContain('This step is closed');
    expect(ctx.bot.graph.helpdesk.passes).toHaveLength(0); // blocked without a verified state
    const card = await verifyCardIn(adele);
    expect(JSON.stringify(card.body)).toContain(
      'Alex Wilber from the helpdesk asked for a one-time Temporary Access Pass',
    );

    // Someone else pressing the (forwarded) card is refused before any sign-in.
    const other = await press(chatOf(ISAIAH_L), { action: 'helpdesk.tapVerify', requestId, lang: 'en' });
    expect(other.text).toBe('This request is for someone else: you cannot verify it. Nothing was issued.');

    const signIn = await press(adele, { action: 'helpdesk.tapVerify', requestId, lang: 'en' });
    expect(JSON.stringify(signIn)).toMatch(/auth\/start/);
    await signInFromLastCard(ctx.bot, adele, ADELE_V);
    const shown = await ctx.chats.shownIn(adele, /Your Temporary Access Pass/);
    const pass = ctx.bot.graph.helpdesk.passes.at(-1)?.pass as string;
    expect(pass).toBeTruthy();
    expect(JSON.stringify(shown.body)).toContain(pass);
    const agentTold = await ctx.chats.shownIn(agent, /Issued: Adele Vance verified it's them/);
    expect(JSON.stringify(agentTold.body)).not.toContain(pass);
    const agentSaw = ctx.bot.connector.calls.filter((c) => c.conversationId === agent.conversation.id);
    expect(JSON.stringify(agentSaw.map((c) => c.body))).not.toContain(pass);
    // The fixed events, in order (the evidence itself is never recorded).
    const events = async () =>
      (await ctx.bot.app.audit.since(new Date(Date.now() - 600_000)))
        .filter((r) => r.flowId === requestId)
        .map((r) => r.event);
    expect(await events()).toEqual(['requested', 'verification-sent', 'verified', 'issued', 'shown']);
    const issued = (await ctx.bot.app.audit.since(new Date(Date.now() - 60_000))).find(
      (r) => r.flowId === requestId && r.action === 'tapIssued' && r.steps.length > 0,
    );
    expect(issued?.reason).toContain('shown to the person');
    // Only the person may hide it.
    const hide = (chat: Chat) =>
      ctx.bot.send(ctx.bot.activity({ ...chat, text: undefined, value: { action: 'helpdesk.tapHide', requestId } }));
    await hide(agent);
    expect((await ctx.bot.app.storage.read([`tap/${requestId}`]))[`tap/${requestId}`]).toMatchObject({
      shown: { hidden: false },
    });
    await hide(adele);
    expect((await ctx.bot.app.storage.read([`tap/${requestId}`]))[`tap/${requestId}`]).toMatchObject({
      shown: { hidden: true },
    });
    expect((await events()).at(-1)).toBe('hidden');
    const metrics = await (await fetch(`${ctx.bot.url}/metrics`)).text();
    for (const event of ['requested', 'verification-sent', 'verified', 'issued', 'shown', 'hidden'])
      expect(metrics).toMatch(new RegExp(`proofup_helpdesk_events_total\\{event="${event}"\\} [1-9]`));
  });

  it('"I didn\'t ask for this": nothing issued, the agent told, the request flagged and audited', async () => {
    const adele = await personChat(ADELE_V);
    const agent = await agentAsks('adelev@contoso.test');
    const requestId = await requestIdIn(agent);
    await press(agent, { ...attested, requestId });
    await verifyCardIn(adele);
    const before = ctx.bot.graph.helpdesk.passes.length;
    const reply = await press(adele, { action: 'helpdesk.tapDecline', requestId, lang: 'en' });
    expect(reply.text).toMatch(/^Thank you: nothing was issued/);
    await ctx.chats.shownIn(agent, /Adele Vance says they did not ask for a Temporary Access Pass/);
    expect(ctx.bot.graph.helpdesk.passes).toHaveLength(before);
    expect(await auditOf(requestId)).toContain('refused verification-failed: declined by the person (flagged)');
    // Too late to verify now.
    const late = await press(adele, { action: 'helpdesk.tapVerify', requestId, lang: 'en' });
    expect(late.text).toBe('This request is already closed.');
  });

  it('a verification completed after its 15 minutes counts for nothing', async () => {
    const adele = await personChat(ADELE_V);
    const agent = await agentAsks('adelev@contoso.test');
    const requestId = await requestIdIn(agent);
    await press(agent, { ...attested, requestId });
    await press(adele, { action: 'helpdesk.tapVerify', requestId, lang: 'en' });
    const key = `tap/${requestId}`;
    const stored = (await ctx.bot.app.storage.read([key]))[key] as Record<string, unknown>;
    await ctx.bot.app.storage.write({ [key]: { ...stored, verifyBy: Date.now() - 1 } });
    const before = ctx.bot.graph.helpdesk.passes.length;
    await signInFromLastCard(ctx.bot, adele, ADELE_V);
    await ctx.chats.shownIn(adele, /That request has expired/);
    expect(ctx.bot.graph.helpdesk.passes).toHaveLength(before);
    expect(await auditOf(requestId)).toContain('expired verification-failed: expired');
  });

  it('a person with no chat with the bot cannot be asked: the agent is told how, nothing issued', async () => {
    const agent = await agentAsks('pattif@contoso.test');
    const requestId = await requestIdIn(agent);
    const before = ctx.bot.graph.helpdesk.passes.length;
    const told = await press(agent, { ...attested, requestId });
    expect(told.text).toMatch(/^Patti Fernandez has no chat with me yet/);
    expect(ctx.bot.graph.helpdesk.passes).toHaveLength(before);
  });
});
