// Temporary Access Pass for someone who lost every factor (HELPDESK_VERIFICATION lists verified-id; the sandbox does):
// the agent gets a link for the person; the first browser that opens it owns the page; the person presents their
// VerifiedEmployee credential with Face Check in the (simulated) Authenticator; Verified ID's callback — believed only
// with the presentation's api-key — records the verified state; the pass is shown on that page once, never to the
// agent. Refused: a failed face check, someone else's credential, an expired link, a second browser, a forged callback.
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
import { exchange, personal, signInFromLastCard } from '../helpers/step-up-flow.js';

let seq = 0;
const chatOf = (user: DemoUser) => personal(`a:vid-${user.name.split(' ')[0]}-${++seq}`, chatUser(user)) as Chat;
const attested = {
  action: 'helpdesk.tapAttest',
  method: 'video',
  note: 'called back on HR number',
  checkedMyself: 'yes',
};

describe('Temporary Access Pass with Verified ID and Face Check (lost every factor)', () => {
  const ctx = useFlowBot('vid');

  /** Alex signs in (c2), asks for a pass for `who`, attests and chooses Verified ID; resolves his chat and the link. */
  const agentChoosesVerifiedId = async (who: string, agent: DemoUser = ALEX_W) => {
    const chat = chatOf(agent);
    await exchange(ctx.bot, { ...chat, text: `temporary access pass for ${who}` });
    await signInFromLastCard(ctx.bot, chat, agent);
    const card = await ctx.chats.shownIn(chat, /Issue the pass/);
    expect(JSON.stringify(card.body)).toContain('Verified ID with Face Check');
    const requestId = /"requestId":"([0-9a-f-]{36})"/.exec(JSON.stringify(card.body))?.[1] as string;
    const reply = await exchange(ctx.bot, {
      ...chat,
      text: undefined,
      value: { ...attested, requestId, way: 'verified-id' },
    });
    const link = /(https?:\/\/\S+\/verify\/[0-9a-f-]{36}\?t=[\w-]+)/.exec(reply.text ?? '')?.[1] as string;
    expect(link).toBeTruthy();
    const path = new URL(link).pathname + new URL(link).search;
    return { chat, requestId, reply: reply.text ?? '', page: `${ctx.bot.url}${path}` };
  };
  /** Opens the page like a browser: resolves the status, the cookie it set, the wallet's presentation id. */
  const open = async (page: string, cookie?: string) => {
    const res = await fetch(page, { headers: cookie ? { cookie } : {} });
    const html = await res.text();
    const set = res.headers.get('set-cookie') ?? '';
    return {
      status: res.status,
      html,
      csp: res.headers.get('content-security-policy') ?? '',
      cookie: /^(proofup_verify=[\w-]+)/.exec(set)?.[1] ?? cookie,
      setCookie: set,
      presentation: /\/wallet\/([0-9a-f-]{36})/.exec(html)?.[1] as string,
    };
  };
  const poll = async (page: string, cookie?: string) => {
    const url = new URL(page);
    const res = await fetch(`${url.origin}${url.pathname}/status${url.search}`, {
      headers: cookie ? { cookie } : {},
    });
    return { status: res.status, body: (await res.json()) as { state: string; pass?: string; reason?: string } };
  };
  const events = async (requestId: string) =>
    (await ctx.bot.app.audit.since(new Date(Date.now() - 600_000)))
      .filter((r) => r.flowId === requestId)
      .map((r) => `${r.event} ${r.result}`);
  const wallet = () => ctx.bot.verifiedId as NonNullable<typeof ctx.bot.verifiedId>;

  it('the person verifies on their page and sees the pass there once; the agent gets the link and "issued", never the pass', async () => {
    const passesBefore = ctx.bot.graph.helpdesk.passes.length;
    const { chat: agent, requestId, reply, page } = await agentChoosesVerifiedId('adelev@contoso.test');
    expect(reply).toMatch(/^Give Adele Vance this link/);
    expect(ctx.bot.graph.helpdesk.passes).toHaveLength(passesBefore); // nothing without a verified state

    const first = await open(page);
    expect(first.status).toBe(200);
    expect(first.setCookie).toMatch(/HttpOnly; Secure; SameSite=Strict/);
    expect(first.html).toContain('Adele Vance, the helpdesk is issuing you');
    expect(first.html).toContain('openid-vc://?request_uri=');
    expect(first.csp).toContain("frame-ancestors 'none'");
    // Its script (no inline script under the CSP) is served as JavaScript.
    const script = await fetch(`${ctx.bot.url}/verify/page.js`);
    expect([script.status, script.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(await script.text()).toContain("fetch(poll, { cache: 'no-store', credentials: 'same-origin' })");
    // The same link in another browser (the agent's, a phisher's): refused, and the page stays the first one's.
    const second = await open(page);
    expect(second.status).toBe(403);
    expect(second.html).toContain('already opened in another browser');
    expect((await poll(page)).status).toBe(403);
    expect((await poll(page, first.cookie)).body.state).toBe('waiting');
    // Reloading in the owning browser shows the same presentation.
    expect((await open(page, first.cookie)).presentation).toBe(first.presentation);

    await wallet().present(first.presentation, { upn: ADELE_V.upn, score: 93.4 });
    expect(wallet().callbacks.slice(-2)).toEqual([
      { requestStatus: 'request_retrieved', answered: 200 },
      { requestStatus: 'presentation_verified', answered: 200 },
    ]);
    await ctx.chats.shownIn(agent, /Adele Vance verified with Verified ID \(Face Check 93 of 100\)/);
    expect(ctx.bot.graph.helpdesk.passes).toHaveLength(passesBefore); // created only when the page asks

    const shown = await poll(page, first.cookie);
    expect(shown.body.state).toBe('pass');
    const issued = ctx.bot.graph.helpdesk.passes.at(-1);
    expect(issued?.oid).toBe(ADELE_V.oid);
    expect(shown.body.pass).toBe(issued?.pass);
    // Once: a reload, or the agent's browser, never gets it again.
    expect((await poll(page, first.cookie)).body).toEqual({ state: 'shown' });
    expect((await poll(page)).body.pass).toBeUndefined();
    await ctx.chats.shownIn(agent, /Issued: Adele Vance verified with Verified ID and sees the pass on their page/);
    const agentSaw = ctx.bot.connector.calls.filter((c) => c.conversationId === agent.conversation.id);
    expect(JSON.stringify(agentSaw.map((c) => c.body))).not.toContain(issued?.pass as string);
    expect(ctx.bot.logs.join('\n')).not.toContain(issued?.pass as string);

    expect(await events(requestId)).toEqual([
      'requested done',
      'verification-sent done',
      'verified done',
      'issued done',
      'shown done',
    ]);
    const audit = (await ctx.bot.app.audit.since(new Date(Date.now() - 60_000))).filter((r) => r.flowId === requestId);
    expect(audit.find((r) => r.event === 'verified')?.reason).toBe(
      'verified: verified-id, VerifiedEmployee, face check 93.4',
    );
    expect(audit.find((r) => r.event === 'issued')?.reason).toContain(
      'verified: verified-id by the person (VerifiedEmployee, Face Check)',
    );
    expect(audit.find((r) => r.event === 'shown')?.reason).toBe('shown to the page');
  });

  it('a failed face check: nothing issued, the agent told why, the page says so, audited with the reason', async () => {
    const before = ctx.bot.graph.helpdesk.passes.length;
    const { chat: agent, requestId, page } = await agentChoosesVerifiedId('adelev@contoso.test');
    const browser = await open(page);
    await wallet().present(browser.presentation, { upn: ADELE_V.upn, score: 28.1 });
    await ctx.chats.shownIn(agent, /could not be verified with Verified ID \(faceCheckFailed\)/);
    expect((await poll(page, browser.cookie)).body).toEqual({ state: 'failed', reason: 'face-check' });
    expect(ctx.bot.graph.helpdesk.passes).toHaveLength(before);
    expect(await events(requestId)).toEqual([
      'requested done',
      'verification-sent done',
      'verification-failed refused',
    ]);
  });

  it("someone else's VerifiedEmployee credential (even with a matching face): refused, flagged, nothing issued", async () => {
    const before = ctx.bot.graph.helpdesk.passes.length;
    const { chat: agent, requestId, page } = await agentChoosesVerifiedId('adelev@contoso.test');
    const browser = await open(page);
    await wallet().present(browser.presentation, { upn: ISAIAH_L.upn, score: 97 });
    await ctx.chats.shownIn(agent, /belongs to someone else/);
    expect((await poll(page, browser.cookie)).body).toEqual({ state: 'failed', reason: 'wrong-person' });
    expect(ctx.bot.graph.helpdesk.passes).toHaveLength(before);
    expect(ctx.bot.logs.join('\n')).toContain('PROOFUP_TAP_WRONG_PERSON');
    const failed = (await ctx.bot.app.audit.since(new Date(Date.now() - 60_000))).find(
      (r) => r.flowId === requestId && r.event === 'verification-failed',
    );
    expect(failed?.reason).toBe('verification-failed: verified-id, another employee');
  });

  it('a forged callback (no api-key, a wrong one, another presentation) is refused 401 and changes nothing', async () => {
    const { requestId, page } = await agentChoosesVerifiedId('adelev@contoso.test');
    const browser = await open(page);
    const forged = {
      requestId: browser.presentation,
      requestStatus: 'presentation_verified',
      state: requestId,
      verifiedCredentialsData: [
        {
          issuer: ctx.bot.config.helpdesk.tap.verifiedId?.authority,
          type: ['VerifiableCredential', 'VerifiedEmployee'],
          claims: { revocationId: ADELE_V.upn },
          credentialState: { revocationStatus: 'VALID' },
          faceCheck: { matchConfidenceScore: 99 },
        },
      ],
    };
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${ctx.bot.url}/api/verifiedid/callback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    expect((await post(forged)).status).toBe(401);
    expect((await post(forged, { 'api-key': 'guessed' })).status).toBe(401);
    expect((await post({ ...forged, requestId: '00000000-0000-4000-8000-000000000000' })).status).toBe(401);
    expect((await post({ nonsense: true })).status).toBe(400);
    expect((await poll(page, browser.cookie)).body.state).toBe('waiting');
    expect(await events(requestId)).toEqual(['requested done', 'verification-sent done']);
  });

  it('after its 15 minutes the link shows nothing and a late presentation counts for nothing', async () => {
    const before = ctx.bot.graph.helpdesk.passes.length;
    const { chat: agent, requestId, page } = await agentChoosesVerifiedId('adelev@contoso.test');
    const browser = await open(page);
    const key = `tap/${requestId}`;
    const stored = (await ctx.bot.app.storage.read([key]))[key] as Record<string, unknown>;
    await ctx.bot.app.storage.write({ [key]: { ...stored, verifyBy: Date.now() - 1 } });
    expect((await open(page, browser.cookie)).status).toBe(403);
    await wallet().present(browser.presentation, { upn: ADELE_V.upn, score: 93 });
    await ctx.chats.shownIn(agent, /could not be verified with Verified ID \(expired\)/);
    expect((await poll(page, browser.cookie)).body.state).toBe('expired');
    expect(ctx.bot.graph.helpdesk.passes).toHaveLength(before);
    expect((await events(requestId)).at(-1)).toBe('verification-failed expired');
  });
});

describe('Verified ID with a second agent (TAP_REQUIRES_SECOND_AGENT=true)', () => {
  const ctx = useFlowBot('vid2', { profile: 'sandbox', env: { TAP_REQUIRES_SECOND_AGENT: 'true' } });

  it('verified on the page, approved by another agent in the channel, and the pass still shown only on the page', async () => {
    await ctx.bot.send(ctx.bot.activity({ ...inChannel(MEGAN_B), text: '<at>Proofup</at> hello' }));
    const agent = chatOf(ALEX_W);
    await exchange(ctx.bot, { ...agent, text: 'temporary access pass for adelev@contoso.test' });
    await signInFromLastCard(ctx.bot, agent, ALEX_W);
    const card = await ctx.chats.shownIn(agent, /Issue the pass/);
    const requestId = /"requestId":"([0-9a-f-]{36})"/.exec(JSON.stringify(card.body))?.[1] as string;
    const reply = await exchange(ctx.bot, {
      ...agent,
      text: undefined,
      value: { ...attested, requestId, way: 'verified-id' },
    });
    const link = new URL(/(https?:\/\/\S+\/verify\/\S+)/.exec(reply.text ?? '')?.[1] as string);
    const page = `${ctx.bot.url}${link.pathname}${link.search}`;
    const res = await fetch(page);
    const cookie = /^(proofup_verify=[\w-]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] as string;
    const presentation = /\/wallet\/([0-9a-f-]{36})/.exec(await res.text())?.[1] as string;
    const status = async () =>
      (await (await fetch(`${ctx.bot.url}${link.pathname}/status${link.search}`, { headers: { cookie } })).json()) as {
        state: string;
        pass?: string;
      };
    await ctx.bot.verifiedId?.present(presentation, { upn: ADELE_V.upn, score: 90 });
    expect((await status()).state).toBe('approval');
    expect(ctx.bot.graph.helpdesk.passes).toHaveLength(0);

    const megansChat = chatOf(MEGAN_B);
    await exchange(ctx.bot, { ...megansChat, text: 'hello' });
    await exchange(ctx.bot, {
      ...inChannel(MEGAN_B),
      text: undefined,
      value: { action: 'helpdesk.tapApprove', requestId, lang: 'en' },
    });
    await signInFromLastCard(ctx.bot, megansChat, MEGAN_B);
    await ctx.bot.connector.waitFor(
      (c) =>
        c.conversationId === HELPDESK_CHANNEL &&
        c.method === 'PUT' &&
        /Approved by Megan Bowen/.test(JSON.stringify(c.body)),
    );
    const shown = await status();
    expect(shown.state).toBe('pass');
    const pass = ctx.bot.graph.helpdesk.passes.at(-1)?.pass as string;
    expect(shown.pass).toBe(pass);
    // No chat — the asking agent's, the approver's, the channel — ever saw it.
    expect(JSON.stringify(ctx.bot.connector.calls.map((c) => c.body))).not.toContain(pass);
  });
});
