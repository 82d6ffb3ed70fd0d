// Reminders to people on Slack, exactly once across a crash in the middle of a send: the reminder carries its campaign
// in the message's metadata, and the process after the crash reads the person's DM (conversations.history against the
// sandbox's Slack simulator) before deciding. A crash AFTER the post → counted sent, not posted again; a crash BEFORE
// the post → posted once now; in Teams (no way to read a chat back) → counted unknown and never sent twice. "The
// process" is a ReminderCampaigns on one SQLite file: the dead one is left hanging in its send, a second one (the
// restart) takes over once the claim is stale.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { webApi } from '@slack/bolt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignPresenterByChat } from '../../src/channels/routed.js';
import { SlackCampaignPresenter } from '../../src/channels/slack/slack-campaign-presenter.js';
import { slackReference } from '../../src/channels/slack/slack-helpdesk-views.js';
import { type Campaign, type CampaignPresenter, ReminderCampaigns } from '../../src/helpdesk/campaigns.js';
import type { PhoneOnlyPerson, ReadinessResult } from '../../src/helpdesk/readiness-reports.js';
import { SlackApiSimulator } from '../../src/sandbox/slack/slack-api-simulator.js';
import { SqliteStorage } from '../../src/storage/sqlite-storage.js';

const TOKEN = 'xoxb-sandbox-restart-0123';
const CLAIM_STALE_MS = 60_000;
const agent = { oid: 'agent-oid', name: 'Megan Bowen', lang: 'en' as const };
const person = (i: number): PhoneOnlyPerson => ({ oid: `oid-${i}`, name: `Person ${i}`, upn: `p${i}@contoso.test` });
/** Persons 1–3 are on Slack (DM D0P<i>); person 4 only in Teams. */
const referenceOf = (p: PhoneOnlyPerson) =>
  p.oid === 'oid-4'
    ? { channelId: 'msteams', conversation: { id: 'teams-chat-4' } as never }
    : slackReference({ channel: `D0P${p.oid.slice(4)}`, user: `U0P${p.oid.slice(4)}`, team: 'T0SANDBOX' });

let slack: SlackApiSimulator;
let dir: string;
beforeAll(async () => {
  slack = new SlackApiSimulator(TOKEN);
  await slack.start();
  dir = mkdtempSync(path.join(tmpdir(), 'proofup-campaign-'));
});
afterAll(async () => {
  await slack.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** One "process": the real Slack presenter (and a Teams stand-in that cannot read a chat back) on a shared file. */
function processOn(
  storage: SqliteStorage,
  now: () => number,
  teamsSent: string[],
  die?: { oid: string; when: 'after-post' | 'before-post' },
) {
  const client = new webApi.WebClient(TOKEN, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
  const real = new SlackCampaignPresenter(client, 'en', 'UTC');
  const slackSide: CampaignPresenter = {
    card: (c) => real.card(c),
    delivered: (ref, c) => real.delivered(ref, c),
    reminder: async (ref, c, p) => {
      if (die?.oid === p.oid && die.when === 'before-post') return new Promise<void>(() => undefined);
      await real.reminder(ref, c);
      if (die?.oid === p.oid) return new Promise<void>(() => undefined); // dead after Slack took it
    },
  };
  const teams: CampaignPresenter = {
    reminder: async (_ref, _c, p) => {
      if (die?.oid === p.oid) return new Promise<void>(() => undefined);
      teamsSent.push(p.oid);
    },
    card: async () => 'teams-card',
  };
  return new ReminderCampaigns({
    storage,
    reports: {
      report: async (): Promise<ReadinessResult> => ({
        ok: true,
        asOf: now(),
        phoneOnly: [1, 2, 3, 4].map(person),
        summary: {
          total: 4,
          counts: { 'phishing-resistant': 0, 'phone-only': 4, 'other-mfa': 0, 'no-mfa': 0 },
          admins: { total: 0, phoneOnly: 0, noMfa: 0 },
        },
      }),
    },
    reach: async (p) => ({ ok: true, installed: 'installed', reference: referenceOf(p) }),
    presenter: campaignPresenterByChat(teams, () => slackSide),
    perMinute: 600,
    claimStaleMs: CLAIM_STALE_MS,
    logger: pino({ level: 'silent' }),
    now,
  });
}

const remindersIn = (channel: string, id: string) =>
  slack
    .of('chat.postMessage')
    .filter(
      (c) =>
        c.args.channel === channel &&
        (c.args.metadata as { event_payload?: { campaign?: string } } | undefined)?.event_payload?.campaign === id,
    ).length;

describe('a reminder campaign restarted in the middle of a send', () => {
  it.each([
    ['after Slack took the message', 'oid-2', 'after-post'],
    ['before the message was posted', 'oid-2', 'before-post'],
    ['in Teams, which cannot be read back', 'oid-4', 'after-post'],
  ] as const)('crash %s: every Slack DM gets exactly one reminder', async (_name, oid, when) => {
    let now = Date.UTC(2026, 11, 2, 9);
    const clock = () => now;
    const storage = new SqliteStorage(path.join(dir, `${oid}-${when}.sqlite`));
    const teamsSent: string[] = [];
    const dying = processOn(storage, clock, teamsSent, { oid, when });
    const prepared = await dying.prepare({ agent, agentRef: slackReference({ channel: 'D0MEGAN', user: 'UMEGAN' }) });
    if (!prepared.ok) throw new Error(prepared.why);
    const id = prepared.campaign.id;
    await dying.start(id, agent.oid);
    now += 10 * 60_000; // every send is due at once
    void dying.tick(); // this process dies in the middle of `oid`'s send: its tick never ends
    const dyingDm = oid === 'oid-4' ? undefined : `D0P${oid.slice(4)}`;
    // Dead in the middle of the send: its record says 'sending' with the chat it went to (and Slack holds the
    // message when it died after the post).
    const record = async () =>
      (await storage.read([`campaign-person/${id}/${oid}`]))[`campaign-person/${id}/${oid}`] as
        | { state?: string; reference?: unknown }
        | undefined;
    await expect.poll(async () => Boolean((await record())?.reference)).toBe(true);
    if (dyingDm && when === 'after-post') await expect.poll(() => remindersIn(dyingDm, id)).toBe(1);
    if (dyingDm && when === 'before-post') expect(remindersIn(dyingDm, id)).toBe(0);
    expect((await record())?.state).toBe('sending');

    // The restart: a new process on the same file, once the dead one's claim is stale.
    now += CLAIM_STALE_MS + 1;
    const restarted = processOn(storage, clock, teamsSent);
    await restarted.tick();
    for (let i = 0; i < 5 && (await restarted.get(id))?.state !== 'done'; i++) await restarted.tick();
    const campaign = (await restarted.get(id)) as Campaign;
    expect(campaign.state).toBe('done');

    for (const dm of ['D0P1', 'D0P2', 'D0P3']) expect(remindersIn(dm, id), dm).toBe(1);
    if (oid === 'oid-4') {
      // Teams: the dead send may or may not have arrived — counted unknown, never sent a second time.
      expect(teamsSent.filter((x) => x === 'oid-4')).toHaveLength(0);
      expect(campaign.counts).toMatchObject({ sent: 3, unknown: 1 });
    } else {
      expect(teamsSent).toEqual(['oid-4']);
      expect(campaign.counts).toMatchObject({ sent: 4, unknown: 0 });
    }
    expect((await record())?.state).toBe(oid === 'oid-4' ? 'unknown' : 'sent');
    await storage.close();
  });
});
