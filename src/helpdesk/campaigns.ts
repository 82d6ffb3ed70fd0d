// Reminders to people who sign in only by phone, ONCE per person per campaign: the campaign record holds the people in
// scope (from the readiness report, minus those who said "don't remind me" or asked for a later reminder) and a
// cursor. Claiming the next person is a compare-and-set of the cursor, so two instances — or a process and the one
// restarted after it — never claim the same person; only then is the person's record written ('sending', with the
// chat it goes to), the reminder sent, and the outcome counted. After a crash between the claim and the outcome: with
// no record nothing was sent, and it is sent now; with one, the chat is asked whether the reminder arrived — Slack can
// say (the message carries the campaign in its metadata), and it is sent only when it did not; Teams cannot (reading a
// chat's messages is a protected Graph API), so there the person is counted 'unknown' and NOT sent a second one. Sends
// are paced at REMINDERS_PER_MINUTE; the agent can stop at any time.
import { randomUUID } from 'node:crypto';
import type { ConversationReference } from 'botbuilder';
import type { Lang } from '../i18n/i18n.js';
import type { Logger } from '../logging.js';
import { RecordStore, type Retained, type Versioned } from '../storage/records.js';
import { isConflict, type ProofupStorage } from '../storage/store.js';
import type { DirectoryPerson } from './helpdesk-graph.js';
import type { Reached } from './reach.js';
import type { PhoneOnlyPerson, ReadinessReports } from './readiness-reports.js';

export const SNOOZE_MS = 7 * 86_400_000;
/** How often a campaign re-reads who in its scope still signs in only by phone (the report's own cache time). */
export const WATCH_MS = 10 * 60_000;
/** How long after its start a campaign's card keeps being updated with that count. */
export const WATCH_FOR_MS = 30 * 86_400_000;

export type Outcome = 'sent' | 'unreachable' | 'unknown';
export type Choice = 'passkey' | 'snoozed' | 'opted-out';

export interface Campaign {
  id: string;
  at: number;
  agent: { oid: string; name: string; lang: Lang };
  agentRef: Partial<ConversationReference>;
  group?: string;
  state: 'ready' | 'running' | 'stopped' | 'done';
  /** How many people are in scope (the list itself is written once, apart: campaign-people/{id}); `next` is the
   *  index of the first not yet claimed. */
  total: number;
  next: number;
  /** People left out at the start: said "don't remind me", or asked to be reminded later. */
  skipped: { optedOut: number; snoozed: number };
  startedAt?: number;
  /** When the latest person was claimed (a claim without a record yet is only stale after CLAIM_STALE_MS). */
  claimedAt?: number;
  counts: Record<Outcome | Choice, number>;
  cardId?: string;
  /** The people in scope re-read from the readiness report: how many moved off phone-only, how many did not. */
  watch?: { at: number; moved: number; still: number };
}

interface PersonRecord {
  state: 'sending' | Outcome;
  at: number;
  /** Where the reminder was being sent (written before the send): a restart asks that chat whether it arrived. */
  reference?: Partial<ConversationReference>;
}

export interface CampaignPresenter {
  reminder(reference: Partial<ConversationReference>, campaign: Campaign, person: PhoneOnlyPerson): Promise<void>;
  /** The campaign card in the agent's chat: sent when there is none yet, else updated in place; resolves its id. */
  card(campaign: Campaign): Promise<string | undefined>;
  /**
   * After a crash in the middle of a send: is this campaign's reminder in the person's chat? undefined when the chat
   * cannot say (Teams: reading a chat's messages is a protected Graph API), so the person is counted unknown, never
   * sent a second one.
   */
  delivered?(
    reference: Partial<ConversationReference>,
    campaign: Campaign,
    person: PhoneOnlyPerson,
  ): Promise<boolean | undefined>;
}

export interface CampaignDeps {
  storage: ProofupStorage;
  reports: Pick<ReadinessReports, 'report'>;
  /** The person's 1:1 chat (installing the bot for them where policy allows). */
  reach: (person: DirectoryPerson, from: Partial<ConversationReference>) => Promise<Reached>;
  presenter: CampaignPresenter;
  perMinute: number;
  /** A claim older than this without an outcome was interrupted (past every timeout of one reach and one send). */
  claimStaleMs: number;
  logger: Logger;
  now?: () => number;
  /** Counts each outcome and answer (proofup_reminders_total). */
  count?: (what: Outcome | Choice) => void;
}

export class ReminderCampaigns {
  private readonly campaigns: RecordStore<Campaign>;
  private readonly people: RecordStore<{ people: PhoneOnlyPerson[] }>;
  private readonly optOuts: RecordStore<{ at: number }>;
  private readonly snoozes: RecordStore<{ until: number }>;
  private readonly now: () => number;

  constructor(private readonly deps: CampaignDeps) {
    this.campaigns = new RecordStore(deps.storage, 'campaign');
    this.people = new RecordStore(deps.storage, 'campaign-people');
    this.optOuts = new RecordStore(deps.storage, 'reminder-optout');
    this.snoozes = new RecordStore(deps.storage, 'reminder-snooze');
    this.now = deps.now ?? Date.now;
  }

  /** A campaign waiting for the agent's "Start": who is in scope, who is left out and why. */
  async prepare(input: {
    agent: Campaign['agent'];
    agentRef: Partial<ConversationReference>;
    group?: string;
  }): Promise<{ ok: true; campaign: Campaign } | { ok: false; why: 'no-group' | 'many-groups'; group: string }> {
    const report = await this.deps.reports.report(input.group);
    if (!report.ok) return report;
    const people: PhoneOnlyPerson[] = [];
    const skipped = { optedOut: 0, snoozed: 0 };
    for (const person of report.phoneOnly) {
      if (await this.optOuts.get(person.oid)) skipped.optedOut++;
      else if (((await this.snoozes.get(person.oid))?.value.until ?? 0) > this.now()) skipped.snoozed++;
      else people.push(person);
    }
    const campaign: Campaign = {
      id: randomUUID(),
      at: this.now(),
      agent: input.agent,
      agentRef: input.agentRef,
      ...(report.group ? { group: report.group } : {}),
      state: 'ready',
      total: people.length,
      next: 0,
      skipped,
      counts: { sent: 0, unreachable: 0, unknown: 0, passkey: 0, snoozed: 0, 'opted-out': 0 },
    };
    await this.people.put(campaign.id, { people });
    await this.campaigns.put(campaign.id, campaign);
    return { ok: true, campaign };
  }

  /** Where the campaign card is (updated in place from now on). */
  async remember(id: string, cardId: string): Promise<void> {
    await this.move(id, (c) => ({ ...c, cardId }));
  }

  async get(id: string): Promise<Campaign | undefined> {
    return (await this.campaigns.get(id))?.value;
  }

  /** "Start reminders" (the agent who prepared it only): the campaign runs; the ticks send. */
  async start(id: string, agentOid: string | undefined, cardId?: string): Promise<Campaign | undefined> {
    return this.move(id, (c) =>
      c.state === 'ready' && c.agent.oid === agentOid
        ? { ...c, state: 'running', startedAt: this.now(), ...(c.cardId || !cardId ? {} : { cardId }) }
        : undefined,
    );
  }

  /** "Stop" (the agent who runs it only): nobody else is claimed; a reminder already on its way finishes. */
  async stop(id: string, agentOid: string | undefined): Promise<Campaign | undefined> {
    const stopped = await this.move(id, (c) =>
      (c.state === 'running' || c.state === 'ready') && c.agent.oid === agentOid
        ? { ...c, state: 'stopped' }
        : undefined,
    );
    if (stopped) await this.refreshCard(stopped);
    return stopped;
  }

  /**
   * One round: every running campaign claims and sends as many as the pace allows now; every started campaign younger
   * than WATCH_FOR_MS re-reads, every WATCH_MS, who in its scope still signs in only by phone.
   */
  async tick(): Promise<number> {
    let sent = 0;
    for (const key of await this.deps.storage.keys('campaign/')) {
      const id = key.slice('campaign/'.length);
      const campaign = await this.get(id);
      if (campaign?.state === 'running') sent += await this.run(campaign);
      if (campaign?.startedAt && campaign.startedAt + WATCH_FOR_MS > this.now()) await this.watch(id);
    }
    return sent;
  }

  /** Re-reads the report (cached WATCH_MS) and counts the campaign's people who are no longer phone-only. */
  private async watch(id: string): Promise<void> {
    const campaign = await this.get(id);
    if (!campaign || (campaign.watch && campaign.watch.at + WATCH_MS > this.now())) return;
    const report = await this.deps.reports.report(campaign.group);
    if (!report.ok) return;
    const stillPhoneOnly = new Set(report.phoneOnly.map((p) => p.oid));
    const people = (await this.people.get(id))?.value.people ?? [];
    const still = people.filter((p) => stillPhoneOnly.has(p.oid)).length;
    const watched = await this.move(id, (c) => ({
      ...c,
      watch: { at: report.asOf, moved: people.length - still, still },
    }));
    if (watched) await this.refreshCard(watched);
  }

  /** The person's answer on their reminder (counted once per person and campaign). */
  async answered(campaignId: string, oid: string, choice: Choice): Promise<void> {
    if (choice === 'opted-out') await this.optOuts.put(oid, { at: this.now() });
    if (choice === 'snoozed') await this.snoozes.put(oid, { until: this.now() + SNOOZE_MS });
    const answers = new RecordStore<{ choice: Choice }>(this.deps.storage, `campaign-answer/${campaignId}`);
    if (await answers.get(oid)) return;
    await answers.put(oid, { choice });
    this.deps.count?.(choice);
    const counted = await this.move(campaignId, (c) => ({
      ...c,
      counts: { ...c.counts, [choice]: c.counts[choice] + 1 },
    }));
    if (counted) await this.refreshCard(counted);
  }

  private async run(campaign: Campaign): Promise<number> {
    const interval = 60_000 / this.deps.perMinute;
    const allowed = Math.floor((this.now() - (campaign.startedAt ?? this.now())) / interval) + 1;
    let sent = 0;
    const people = (await this.people.get(campaign.id))?.value.people ?? [];
    await this.settleInterrupted(campaign, people);
    for (;;) {
      const claimed = await this.move(campaign.id, (c) =>
        c.state === 'running' && c.next < c.total && c.next < allowed
          ? { ...c, next: c.next + 1, claimedAt: this.now() }
          : undefined,
      );
      if (!claimed) break;
      const person = people[claimed.next - 1] as PhoneOnlyPerson;
      const outcome = await this.sendOne(claimed, person);
      this.deps.count?.(outcome);
      const counted = await this.move(campaign.id, (c) => {
        const next = { ...c, counts: { ...c.counts, [outcome]: c.counts[outcome] + 1 } };
        const finished = next.counts.sent + next.counts.unreachable + next.counts.unknown >= next.total;
        return finished && next.state === 'running' ? { ...next, state: 'done' } : next;
      });
      sent++;
      if (counted && (sent % 10 === 0 || counted.state === 'done')) await this.refreshCard(counted);
    }
    // Everyone accounted for (the last ones may have been settled as interrupted, without a send): done.
    const finished = await this.move(campaign.id, (c) =>
      c.state === 'running' && c.counts.sent + c.counts.unreachable + c.counts.unknown >= c.total
        ? { ...c, state: 'done' }
        : undefined,
    );
    const latest = finished ?? (await this.get(campaign.id));
    if (latest && (finished || sent % 10 !== 0)) await this.refreshCard(latest);
    return sent;
  }

  private async sendOne(campaign: Campaign, person: PhoneOnlyPerson): Promise<Outcome> {
    const records = this.personRecords(campaign.id);
    await records.put(person.oid, { state: 'sending', at: this.now() });
    let outcome: Outcome;
    try {
      const reached = await this.deps.reach(person, campaign.agentRef);
      if (reached.ok) {
        await records.put(person.oid, { state: 'sending', at: this.now(), reference: reached.reference });
        outcome = await this.deliver(campaign, person, reached.reference);
      } else outcome = 'unreachable';
    } catch (err) {
      this.deps.logger.warn({ err, campaignId: campaign.id }, 'a reminder could not be reached');
      outcome = 'unreachable';
    }
    await records.put(person.oid, { state: outcome, at: this.now() });
    return outcome;
  }

  private async deliver(
    campaign: Campaign,
    person: PhoneOnlyPerson,
    reference: Partial<ConversationReference>,
  ): Promise<Outcome> {
    try {
      await this.deps.presenter.reminder(reference, campaign, person);
      return 'sent';
    } catch (err) {
      this.deps.logger.warn({ err, campaignId: campaign.id }, 'a reminder could not be delivered');
      return 'unreachable';
    }
  }

  private personRecords(campaignId: string) {
    return new RecordStore<PersonRecord>(this.deps.storage, `campaign-person/${campaignId}`);
  }

  /**
   * Claimed but never finished (a crash): with no record of the send, nothing was sent — it is sent now; with one,
   * the person's chat is asked whether the reminder arrived (Slack can say: it is sent only when it did not); where the
   * chat cannot say, the person is counted 'unknown' once and never sent a second reminder.
   */
  private async settleInterrupted(campaign: Campaign, people: PhoneOnlyPerson[]): Promise<void> {
    const records = this.personRecords(campaign.id);
    const done = campaign.counts.sent + campaign.counts.unreachable + campaign.counts.unknown;
    if (done >= campaign.next) return;
    for (const person of people.slice(0, campaign.next)) {
      const found = await records.get(person.oid);
      const since = found?.value.state === 'sending' ? found.value.at : found ? undefined : campaign.claimedAt;
      if (since === undefined || since + this.deps.claimStaleMs > this.now()) continue;
      // Settled by one instance only: the first to renew the person's record (or to create it) does it.
      if (!(await this.claimSettle(campaign.id, person.oid, found))) continue;
      const outcome = found ? await this.afterCrash(campaign, person, found.value.reference) : undefined;
      const settled = outcome ?? (await this.sendOne(campaign, person));
      if (outcome) await records.put(person.oid, { state: outcome, at: this.now() });
      this.deps.count?.(settled);
      await this.move(campaign.id, (c) => ({ ...c, counts: { ...c.counts, [settled]: c.counts[settled] + 1 } }));
      this.deps.logger.warn(
        { campaignId: campaign.id, outcome: settled, asked: Boolean(found) },
        'a reminder interrupted by a restart is settled',
      );
    }
  }

  private async claimSettle(campaignId: string, oid: string, found: Versioned<PersonRecord> | undefined) {
    const at = this.now();
    if (!found) return this.deps.storage.create(`campaign-person/${campaignId}/${oid}`, { state: 'sending', at });
    try {
      await this.personRecords(campaignId).put(oid, { ...found.value, at }, found.eTag);
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  /** A send that was under way: its outcome as the person's chat tells it ('unknown' where it cannot). */
  private async afterCrash(
    campaign: Campaign,
    person: PhoneOnlyPerson,
    reference: Partial<ConversationReference> | undefined,
  ): Promise<Outcome> {
    if (!reference || !this.deps.presenter.delivered) return 'unknown';
    const arrived = await this.deps.presenter.delivered(reference, campaign, person).catch((err) => {
      this.deps.logger.warn({ err, campaignId: campaign.id }, 'could not ask the chat whether a reminder arrived');
      return undefined;
    });
    if (arrived === undefined) return 'unknown';
    return arrived ? 'sent' : this.deliver(campaign, person, reference);
  }

  private async refreshCard(campaign: Campaign): Promise<void> {
    try {
      const cardId = await this.deps.presenter.card(campaign);
      if (cardId && !campaign.cardId) await this.move(campaign.id, (c) => ({ ...c, cardId }));
    } catch (err) {
      this.deps.logger.warn({ err, campaignId: campaign.id }, 'the campaign card could not be updated');
    }
  }

  /** A compare-and-set of the campaign record (re-read after each conflict); undefined when `change` declines. */
  private async move(id: string, change: (c: Campaign) => Campaign | undefined): Promise<Campaign | undefined> {
    for (;;) {
      const found = await this.campaigns.get(id);
      const next = found && change(found.value);
      if (!found || !next) return undefined;
      try {
        await this.campaigns.put(id, next, found.eTag);
        return next;
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
    }
  }
}

/** How long a campaign's records are kept after their last write: its 30 days of watching, and a month more. */
const CAMPAIGN_KEPT_MS = WATCH_FOR_MS + 30 * 86_400_000;

/** Reminder campaigns and people's answers (src/retention.ts collects it). */
export const CAMPAIGN_RECORDS: readonly Retained[] = [
  {
    prefix: 'campaign/',
    lifetimeMs: CAMPAIGN_KEPT_MS,
    holds: 'a reminder campaign: the agent (oid, name), its group, state and counts',
  },
  {
    prefix: 'campaign-people/',
    lifetimeMs: CAMPAIGN_KEPT_MS,
    holds: "a campaign's people in scope (oid, name, UPN), written once when it is prepared",
  },
  {
    prefix: 'campaign-person/',
    lifetimeMs: CAMPAIGN_KEPT_MS,
    holds: "one person's reminder: sending / sent / unreachable / unknown, and the chat it went to (ids only)",
  },
  {
    prefix: 'campaign-answer/',
    lifetimeMs: CAMPAIGN_KEPT_MS,
    holds: "one person's answer to a reminder (passkey, snoozed, opted out)",
  },
  {
    prefix: 'reminder-optout/',
    lifetimeMs: 365 * 86_400_000,
    holds: '"don\'t remind me": the person (oid) and when; a year after it was said',
  },
  {
    prefix: 'reminder-snooze/',
    lifetimeMs: SNOOZE_MS,
    holds: '"remind me in a week": the person (oid) and until when',
  },
];
