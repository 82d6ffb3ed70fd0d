// Reminder campaigns over HTTP in the sandbox: an agent reminds everyone who signs in only by phone — 300 generated
// people plus the sandbox's own — each in their own 1:1 chat (the bot installed for them through Graph). Every person
// gets exactly one message; someone who said "don't remind me" never does, in this campaign or the next; the pace
// stays under REMINDERS_PER_MINUTE; "Stop" stops.
import { describe, expect, it } from 'vitest';
import { ADELE_V, ALEX_W, type Chat, chatUser, type DemoUser, useFlowBot } from '../helpers/flow-chat.js';
import { exchange, personal, signInFromLastCard } from '../helpers/step-up-flow.js';

let seq = 0;
const chatOf = (user: DemoUser) => personal(`a:camp-${user.name.split(' ')[0]}-${++seq}`, chatUser(user)) as Chat;
const PER_MINUTE = 600;
const people = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `5a7d0000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
    userPrincipalName: `worker${i}@contoso.test`,
    userDisplayName: `Worker Number${String(i).padStart(3, '0')}`,
    department: 'Sales',
    isAdmin: false,
    methodsRegistered: ['mobilePhone'],
  }));

describe('reminder campaigns', () => {
  const ctx = useFlowBot('camp', { profile: 'sandbox', env: { REMINDERS_PER_MINUTE: String(PER_MINUTE) } });
  const reminders = () =>
    ctx.bot.connector.calls.filter(
      (c) =>
        c.conversationId?.startsWith('personal-chat-') && /Your sign-in needs a passkey/.test(JSON.stringify(c.body)),
    );
  const campaignOf = async (id: string) =>
    (await ctx.bot.app.storage.read([`campaign/${id}`]))[`campaign/${id}`] as { state: string; total: number };
  const waitFor = async (check: () => Promise<boolean>, ms: number) => {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  /** Alex prepares a campaign; resolves its id and the card's activity id. */
  const prepare = async (agent: Chat) => {
    const before = ctx.bot.connector.calls.length;
    await exchange(ctx.bot, { ...agent, text: 'remind phone-only users' });
    const card = ctx.bot.connector.calls
      .slice(before)
      .find((c) => c.conversationId === agent.conversation.id && /Start reminders/.test(JSON.stringify(c.body)));
    const id = /"campaignId":"([0-9a-f-]{36})"/.exec(JSON.stringify(card?.body))?.[1] as string;
    return { id, body: JSON.stringify(card?.body) };
  };

  it('301 people, one reminder each, paced; opted-out people never; "don\'t remind me" remembered; Stop stops', async () => {
    const workforce = ctx.bot.graph.registrations.workforce;
    workforce.splice(0, workforce.length, ...people(300));
    const optedOut = workforce[7]?.id as string;
    await ctx.bot.app.storage.write({ [`reminder-optout/${optedOut}`]: { at: Date.now() } });

    const refused = await exchange(ctx.bot, { ...chatOf(ADELE_V), text: 'remind phone-only users' });
    expect(refused.text).toMatch(/^Only helpdesk agents can/);

    const agent = chatOf(ALEX_W);
    const first = await exchange(ctx.bot, { ...agent, text: 'remind phone-only users' });
    expect(first.text).toBe('The readiness report needs your own helpdesk sign-in first.');
    await signInFromLastCard(ctx.bot, agent, ALEX_W);
    const ready = await ctx.chats.shownIn(agent, /Start reminders/);
    const body = JSON.stringify(ready.body);
    // 300 generated + Megan and Adele (phones only) − the one who opted out.
    expect(body).toContain('Ready: 301 people will each get one reminder in their own chat.');
    expect(body).toContain('"title":"Left out (asked not to be reminded, or later)","value":"1"');
    const id = /"campaignId":"([0-9a-f-]{36})"/.exec(body)?.[1] as string;
    expect(reminders()).toHaveLength(0); // nothing before "Start"

    const started = Date.now();
    await ctx.bot.send(
      ctx.bot.activity({ ...agent, text: undefined, value: { action: 'campaign.start', campaignId: id } }),
    );
    await waitFor(async () => (await campaignOf(id)).state === 'done', 90_000);
    const seconds = (Date.now() - started) / 1000;
    const sent = reminders();
    const perChat = new Map<string, number>();
    for (const c of sent) perChat.set(c.conversationId ?? '', (perChat.get(c.conversationId ?? '') ?? 0) + 1);
    expect(perChat.size).toBe(301);
    expect([...perChat.values()].every((n) => n === 1)).toBe(true);
    expect(perChat.has(`personal-chat-${optedOut}`)).toBe(false);
    // Pace: at most PER_MINUTE a minute (+1: the first goes at once).
    expect(sent.length).toBeLessThanOrEqual(Math.floor((seconds * PER_MINUTE) / 60) + 1);
    const finalCard = await ctx.bot.connector.waitFor(
      (c) => c.conversationId === agent.conversation.id && /Done: 301 of 301/.test(JSON.stringify(c.body)),
    );
    expect(JSON.stringify(finalCard.body)).toContain('"title":"Reminded","value":"301"');
    expect(await (await fetch(`${ctx.bot.url}/metrics`)).text()).toContain(
      'proofup_reminders_total{outcome="sent"} 301',
    );

    // A person answers "Don't remind me": counted, and left out of the next campaign.
    const worker = workforce[0] as (typeof workforce)[number];
    const workerChat = personal(`personal-chat-${worker.id}`, {
      id: `29:${worker.id}`,
      name: worker.userDisplayName,
      aadObjectId: worker.id,
    });
    const answer = await exchange(ctx.bot, {
      ...workerChat,
      text: undefined,
      value: { action: 'reminder.optOut', campaignId: id },
    });
    expect(answer.text).toMatch(/^All right: no more reminders from me about this/);
    const next = await prepare(agent);
    expect(next.body).toContain('Ready: 300 people');
    expect(next.body).toContain('"title":"Left out (asked not to be reminded, or later)","value":"2"');

    // Stop: started and stopped at once — far fewer than 300 go out, and none after the stop.
    const before = reminders().length;
    await ctx.bot.send(
      ctx.bot.activity({ ...agent, text: undefined, value: { action: 'campaign.start', campaignId: next.id } }),
    );
    await waitFor(async () => reminders().length > before, 10_000);
    await ctx.bot.send(
      ctx.bot.activity({ ...agent, text: undefined, value: { action: 'campaign.stop', campaignId: next.id } }),
    );
    expect((await campaignOf(next.id)).state).toBe('stopped');
    const atStop = reminders().length;
    await new Promise((r) => setTimeout(r, 3000));
    expect(reminders().length).toBeLessThanOrEqual(atStop + 1); // one already on its way may finish
    expect(reminders().length - before).toBeLessThan(300);
  }, 150_000);
});
