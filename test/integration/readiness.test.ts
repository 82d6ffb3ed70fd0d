// The helpdesk's readiness report, over HTTP in the sandbox: a helpdesk member, after their own helpdesk sign-in, asks
// "readiness" (or "readiness for group Sales") and gets counts from Graph's userRegistrationDetails report — every
// page followed — for the whole directory or one group, never a name. The simulated directory is set up here with
// known numbers, so the expected counts come from the set-up, not from Proofup's own classification.
import { describe, expect, it } from 'vitest';
import { ADELE_V, ALEX_W, type Chat, chatUser, type DemoUser, useFlowBot } from '../helpers/flow-chat.js';
import { exchange, personal, signInFromLastCard } from '../helpers/step-up-flow.js';

let seq = 0;
const chatOf = (user: DemoUser) => personal(`a:ready-${user.name.split(' ')[0]}-${++seq}`, chatUser(user)) as Chat;

/** `n` generated people with these methods, in this department, `admins` of them admins. */
const people = (n: number, methods: string[], department: string, admins = 0, from = 0) =>
  Array.from({ length: n }, (_, i) => ({
    id: `5a7d0000-0000-4000-8000-${String(from + i + 1).padStart(12, '0')}`,
    userPrincipalName: `worker${from + i}@contoso.test`,
    userDisplayName: `Worker Number${from + i}`,
    department,
    isAdmin: i < admins,
    methodsRegistered: methods,
  }));

describe('readiness report', () => {
  const ctx = useFlowBot('ready');
  const reportReads = () =>
    ctx.bot.graph.requests.filter((r) =>
      r.path.startsWith('/v1.0/reports/authenticationMethods/userRegistrationDetails'),
    );

  it('counts for everyone, every page read, no names; then for one group; cached for 10 minutes', async () => {
    // 250 generated people + the 5 sandbox people (Isaiah and Patti: passkey/Windows Hello; Megan and Adele: phones
    // only; Alex: Authenticator and a phone) = 255 rows, 3 pages of 100.
    ctx.bot.graph.registrations.workforce.splice(
      0,
      ctx.bot.graph.registrations.workforce.length,
      ...people(100, ['passKeyDeviceBoundAuthenticator', 'mobilePhone'], 'Sales', 1, 0),
      ...people(70, ['mobilePhone', 'officePhone'], 'Sales', 2, 100),
      ...people(50, ['microsoftAuthenticatorPush', 'mobilePhone'], 'Finance', 0, 170),
      ...people(30, ['email'], 'Finance', 1, 220),
    );
    const refused = await exchange(ctx.bot, { ...chatOf(ADELE_V), text: 'readiness' });
    expect(refused.text).toMatch(/^Only helpdesk agents can/);
    expect(reportReads()).toHaveLength(0);

    const agent = chatOf(ALEX_W);
    const first = await exchange(ctx.bot, { ...agent, text: 'readiness' });
    expect(first.text).toBe('The readiness report needs your own helpdesk sign-in first.');
    await signInFromLastCard(ctx.bot, agent, ALEX_W);
    const card = JSON.stringify((await ctx.chats.shownIn(agent, /Ready for the end of text and call codes/)).body);
    expect(card).toContain('Everyone in the directory: 255 people');
    expect(card).toContain('"title":"Passkey or another phishing-resistant method","value":"102 (40%)"');
    expect(card).toContain('"title":"Only a phone (text or call)","value":"72 (28%)"');
    expect(card).toContain('"title":"Other MFA, no passkey yet","value":"51 (20%)"');
    expect(card).toContain('"title":"No MFA method","value":"30 (12%)"');
    expect(card).toMatch(
      /\d+ days left until February 1, 2027, when Microsoft stops texting and calling codes: 72 people/,
    );
    expect(card).toContain('Admins: 5; 2 of them only by phone, 1 without MFA.');
    expect(card).toContain('"type":"Chart.Donut"');
    expect(card).toContain('"fallback":"drop"');
    for (const name of ['Worker', 'Adele', 'Megan', 'Isaiah', 'Patti', 'contoso.test'])
      expect(card).not.toContain(name);
    expect(reportReads().map((r) => r.path)).toHaveLength(3); // every page, following @odata.nextLink
    const metrics = await (await fetch(`${ctx.bot.url}/metrics`)).text();
    expect(metrics).toContain('proofup_readiness_people{readiness="phone-only",scope="everyone"} 72');
    expect(metrics).toContain('proofup_readiness_people{readiness="phone-only",scope="admins"} 2');

    const sales = JSON.stringify(
      (await exchange(ctx.bot, { ...agent, text: 'readiness for group Sales' })).attachments,
    );
    expect(sales).toContain('Group Sales: 170 people');
    expect(sales).toContain('"title":"Only a phone (text or call)","value":"70 (41%)"');
    expect(sales).toContain('Admins: 3; 2 of them only by phone, 0 without MFA.');

    const before = reportReads().length;
    await exchange(ctx.bot, { ...agent, text: 'readiness' });
    expect(reportReads()).toHaveLength(before); // the same numbers for 10 minutes, from the cache

    // Names on request, in the agent's own chat only, 20 at a time, sorted by name; each page audited.
    const page1 = JSON.stringify((await exchange(ctx.bot, { ...agent, text: 'readiness names' })).attachments);
    expect(page1).toContain('Only by phone: 72 people (1–20)');
    expect(page1).toContain(
      '- Adele Vance (adelev@contoso.test)\\n- Megan Bowen (meganb@contoso.test)\\n- Worker Number100',
    );
    expect(page1.match(/\(worker\d+@contoso\.test\)/g)).toHaveLength(18);
    const next = /"page":"(\d+)"/.exec(page1)?.[1];
    expect(next).toBe('1');
    const page4 = JSON.stringify(
      (await exchange(ctx.bot, { ...agent, text: undefined, value: { action: 'readiness.names', page: '3' } }))
        .attachments,
    );
    expect(page4).toContain('Only by phone: 72 people (61–72)');
    expect(page4).not.toContain('Show the next 20'); // the last page
    const inChannel = await exchange(ctx.bot, {
      ...agent,
      conversation: { id: '19:general@thread.tacv2', conversationType: 'channel', isGroup: true, name: '' },
      text: undefined,
      value: { action: 'readiness.names', page: '0' },
    });
    expect(inChannel.text).toMatch(/^Names are shown only in your own chat with me/);
    const audited = (await ctx.bot.app.audit.since(new Date(Date.now() - 60_000)))
      .filter((r) => r.action === 'readinessReport' && r.result === 'done')
      .map((r) => r.reason);
    expect(audited).toEqual(['names: phone-only 1-20 of 72', 'names: phone-only 61-72 of 72']);
  });

  it('a group that does not exist is named in the answer', async () => {
    const agent = chatOf(ALEX_W);
    await exchange(ctx.bot, { ...agent, text: 'readiness for group Marketing' });
    await signInFromLastCard(ctx.bot, agent, ALEX_W);
    await ctx.chats.shownIn(agent, /I found no group named \\"Marketing\\"/);
  });
});
