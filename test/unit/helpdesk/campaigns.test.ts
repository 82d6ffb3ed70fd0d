// Reminder campaigns with a clock the test moves: the pace (REMINDERS_PER_MINUTE), one claim per person, Stop, and the
// card's "no longer phone-only" count re-read from the report at its pace. The report, the chats and the cards are
// stand-ins here; test/integration/campaigns.test.ts runs the real bot and test/faults/campaigns.test.ts a kill -9.
import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { type Campaign, ReminderCampaigns, WATCH_MS } from '../../../src/helpdesk/campaigns.js';
import type { PhoneOnlyPerson, ReadinessResult } from '../../../src/helpdesk/readiness-reports.js';
import { SqliteStorage } from '../../../src/storage/sqlite-storage.js';

const person = (i: number): PhoneOnlyPerson => ({ oid: `oid-${i}`, name: `Person ${i}`, upn: `p${i}@contoso.test` });
const agent = { oid: 'agent-oid', name: 'Alex Wilber', lang: 'en' as const };

let now: number;
let phoneOnly: PhoneOnlyPerson[];
let sent: string[];
let cards: Campaign[];
let campaigns: ReminderCampaigns;

beforeEach(() => {
  now = Date.UTC(2026, 11, 2, 9);
  phoneOnly = [1, 2, 3, 4, 5].map(person);
  sent = [];
  cards = [];
  campaigns = new ReminderCampaigns({
    storage: new SqliteStorage(':memory:'),
    reports: {
      report: async (): Promise<ReadinessResult> => ({
        ok: true,
        asOf: now,
        phoneOnly: [...phoneOnly],
        summary: {
          total: 10,
          counts: { 'phishing-resistant': 0, 'phone-only': phoneOnly.length, 'other-mfa': 0, 'no-mfa': 0 },
          admins: { total: 0, phoneOnly: 0, noMfa: 0 },
        },
      }),
    },
    reach: async (p) => ({
      ok: true,
      installed: 'installed',
      reference: { conversation: { id: `chat-${p.oid}` } } as never,
    }),
    presenter: {
      reminder: async (_ref, _c, p) => {
        sent.push(p.oid);
      },
      card: async (c) => {
        cards.push(c);
        return 'card-1';
      },
    },
    perMinute: 2,
    claimStaleMs: 60_000,
    logger: pino({ level: 'silent' }),
    now: () => now,
  });
});

async function started(): Promise<Campaign> {
  const prepared = await campaigns.prepare({ agent, agentRef: {} });
  if (!prepared.ok) throw new Error(prepared.why);
  return (await campaigns.start(prepared.campaign.id, agent.oid, 'card-1')) as Campaign;
}

describe('reminder campaigns', () => {
  it('sends at the configured pace: one at once, then one per 30 s at 2 a minute, each person once', async () => {
    const c = await started();
    expect(await campaigns.tick()).toBe(1);
    expect(await campaigns.tick()).toBe(0); // the same instant: the pace holds
    now += 29_000;
    expect(await campaigns.tick()).toBe(0);
    now += 1_000;
    expect(await campaigns.tick()).toBe(1);
    now += 10 * 60_000; // long after: the rest, and no one twice
    expect(await campaigns.tick()).toBe(3);
    expect(sent).toEqual(['oid-1', 'oid-2', 'oid-3', 'oid-4', 'oid-5']);
    expect((await campaigns.get(c.id))?.state).toBe('done');
    expect(await campaigns.tick()).toBe(0);
  });

  it('only the agent who prepared it starts or stops it; Stop stops', async () => {
    const prepared = await campaigns.prepare({ agent, agentRef: {} });
    if (!prepared.ok) throw new Error(prepared.why);
    expect(await campaigns.start(prepared.campaign.id, 'someone-else')).toBeUndefined();
    await campaigns.start(prepared.campaign.id, agent.oid);
    await campaigns.tick();
    expect(await campaigns.stop(prepared.campaign.id, 'someone-else')).toBeUndefined();
    expect((await campaigns.stop(prepared.campaign.id, agent.oid))?.state).toBe('stopped');
    now += 10 * 60_000;
    await campaigns.tick();
    expect(sent).toEqual(['oid-1']);
  });

  it('"don\'t remind me" and "in a week" leave people out of the next campaign; a week later the snoozed are back', async () => {
    const first = await started();
    await campaigns.answered(first.id, 'oid-1', 'opted-out');
    await campaigns.answered(first.id, 'oid-2', 'snoozed');
    await campaigns.answered(first.id, 'oid-2', 'snoozed'); // counted once
    expect((await campaigns.get(first.id))?.counts).toMatchObject({ 'opted-out': 1, snoozed: 1 });
    const next = await campaigns.prepare({ agent, agentRef: {} });
    expect(next.ok && next.campaign.total).toBe(3);
    expect(next.ok && next.campaign.skipped).toEqual({ optedOut: 1, snoozed: 1 });
    now += 7 * 86_400_000 + 1;
    const later = await campaigns.prepare({ agent, agentRef: {} });
    expect(later.ok && later.campaign.skipped).toEqual({ optedOut: 1, snoozed: 0 });
  });

  it("the card counts who moved off phone-only, re-read at the report's pace", async () => {
    const c = await started();
    await campaigns.tick();
    expect((await campaigns.get(c.id))?.watch).toEqual({ at: now, moved: 0, still: 5 });
    phoneOnly = phoneOnly.filter((p) => p.oid !== 'oid-2' && p.oid !== 'oid-4'); // two added a passkey
    now += WATCH_MS - 1;
    await campaigns.tick();
    expect((await campaigns.get(c.id))?.watch?.moved).toBe(0); // not re-read before WATCH_MS
    now += 1;
    await campaigns.tick();
    expect((await campaigns.get(c.id))?.watch).toEqual({ at: now, moved: 2, still: 3 });
    expect(cards.at(-1)?.watch).toEqual({ at: now, moved: 2, still: 3 });
  });
});
