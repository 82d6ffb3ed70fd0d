// A reminder campaign of 300 people whose process is killed (kill -9) in the middle and restarted: every person gets
// AT MOST one reminder, everyone not caught in the moment of the kill gets exactly one, and the campaign card counts
// the one (at most) whose reminder may or may not have left — never resent. Counts printed.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_HELPDESK_GROUP_ID, SANDBOX_TEAMS_APP_ID } from '../../src/config-model.js';
import { DEMO_USERS, type DemoUser } from '../../src/sandbox/entra/demo-directory.js';
import { exchange } from '../helpers/step-up-flow.js';
import { type BotProcess, FaultHarness, makeUsers } from './harness.js';
import { table } from './report.js';

const ALEX = DEMO_USERS[0] as DemoUser;
const PEOPLE = 300;
const h = new FaultHarness(makeUsers(1, 'cp'), DEMO_USERS);
const dataDir = () => path.join(h.dir, 'campaigns');
const env = () =>
  h.env(dataDir(), {
    HELPDESK_GROUP_ID: SANDBOX_HELPDESK_GROUP_ID,
    HELPDESK_CHANNEL: '19:helpdesk-faults@thread.tacv2',
    TEAMS_APP_CATALOG_ID: SANDBOX_TEAMS_APP_ID,
    REMINDERS_PER_MINUTE: '600',
    // A claim the kill interrupted is settled after 2 × Graph + connector timeouts + 30 s: 44 s here.
    GRAPH_TIMEOUT_MS: '5000',
    CONNECTOR_TIMEOUT_MS: '4000',
  });
let bot: BotProcess;
const rows: Record<string, unknown>[] = [];

beforeAll(async () => {
  await h.start();
  const workforce = h.graph.registrations.workforce;
  workforce.splice(
    0,
    workforce.length,
    ...Array.from({ length: PEOPLE }, (_, i) => ({
      id: `5a7d0000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      userPrincipalName: `worker${i}@contoso.test`,
      userDisplayName: `Worker ${String(i).padStart(3, '0')}`,
      department: 'Sales',
      isAdmin: false,
      methodsRegistered: ['mobilePhone'],
    })),
  );
  bot = await h.spawnBot('campaign-1', env());
});

afterAll(async () => {
  const report = `\nCampaign fault rows:\n${table(rows)}\n`;
  process.stdout.write(report);
  mkdirSync('test-results', { recursive: true });
  writeFileSync(path.join('test-results', 'faults-campaigns-summary.txt'), report);
  await h.close();
});

const chat = {
  conversation: { id: 'a:cp-alex', conversationType: 'personal', isGroup: false, name: '' },
  from: { id: `29:${ALEX.oid}`, name: ALEX.name, aadObjectId: ALEX.oid },
};
const reminders = () =>
  h.connector.calls.filter(
    (c) =>
      c.conversationId?.startsWith('personal-chat-') && /Your sign-in needs a passkey/.test(JSON.stringify(c.body)),
  );
const waitFor = async (check: () => boolean, ms: number) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
};

const signIn = () => h.signInThroughTeams(bot, chat, ALEX);

describe('reminder campaign: kill -9 in the middle', () => {
  it('300 people; killed after ~100 reminders; restarted: nobody twice, everyone else once, the gap counted', async () => {
    await exchange(h.client(bot), { ...chat, text: 'remind phone-only users' } as Partial<Activity>);
    await signIn();
    const card = await h.connector.waitFor(
      (c) => c.conversationId === chat.conversation.id && /Start reminders/.test(JSON.stringify(c.body)),
      20_000,
    );
    const campaignId = /"campaignId":"([0-9a-f-]{36})"/.exec(JSON.stringify(card.body))?.[1] as string;
    const total = Number(/Ready: (\d+) people/.exec(JSON.stringify(card.body))?.[1]);
    await h
      .client(bot)
      .send(h.client(bot).activity({ ...chat, value: { action: 'campaign.start', campaignId } } as Partial<Activity>));
    await waitFor(() => reminders().length >= 100, 60_000);
    await bot.kill9();
    const atKill = reminders().length;
    bot = await h.spawnBot('campaign-2', env());
    const done = await h.connector.waitFor(
      (c) => c.conversationId === chat.conversation.id && /Done: \d+ of \d+/.test(JSON.stringify(c.body)),
      150_000,
    );
    const perChat = new Map<string, number>();
    for (const c of reminders()) perChat.set(c.conversationId ?? '', (perChat.get(c.conversationId ?? '') ?? 0) + 1);
    const twice = [...perChat.values()].filter((n) => n > 1).length;
    const unknown = Number(
      /"title":"Interrupted by a restart \(not resent\)","value":"(\d+)"/.exec(JSON.stringify(done.body))?.[1],
    );
    const reminded = Number(/"title":"Reminded","value":"(\d+)"/.exec(JSON.stringify(done.body))?.[1]);
    rows.push({
      scenario: 'campaign: kill -9 after ~100',
      total,
      atKill,
      reached: perChat.size,
      twice,
      reminded,
      unknown,
    });
    expect(total).toBeGreaterThanOrEqual(PEOPLE);
    expect(twice).toBe(0);
    expect(unknown).toBeLessThanOrEqual(1);
    expect(perChat.size).toBeGreaterThanOrEqual(total - unknown);
    expect(reminded + unknown).toBe(total);
  }, 300_000);
});
