// Escalation (bot → people): when a user is stuck (lost phone, "talk to a human", too many wrong codes, a refused
// sign-in, a Graph failure) and says yes, the helpdesk gets a ticket in its own system and a card in its Teams channel
// with what an agent needs — who (as the step-up verified them, or as Teams names them), what they tried, failure
// codes, Graph request ids, masked numbers; never a raw number or code. "Take it" marks the request taken by that
// agent for everyone (members of HELPDESK_GROUP_ID only). Every step is audited with actor and subject.
import { randomUUID } from 'node:crypto';
import type { ConversationReference } from 'botbuilder';
import type { AuditLog, AuditRecord } from '../audit/audit-log.js';
import { sameOid } from '../identity/same-oid.js';
import type { Logger } from '../logging.js';
import { stableUuid } from '../stable-id.js';
import { RecordStore, type Retained } from '../storage/records.js';
import { isConflict, type ProofupStorage } from '../storage/store.js';
import type { OpenedTicket, Ticket, TicketSink } from './tickets.js';

export type EscalationReason =
  | 'lost-phone'
  | 'human'
  | 'password'
  | 'wrong-codes'
  | 'step-up-refused'
  | 'graph-failure'
  | 'call-failed'
  /** Someone who cannot set up a passkey alone (a security key or a Temporary Access Pass may help). */
  | 'passkey-setup'
  /** Raised by Proofup itself, never pressed: a change whose notice could not be delivered (the person must hear). */
  | 'undelivered-notice';

export const ESCALATION_REASONS: readonly EscalationReason[] = [
  'lost-phone',
  'human',
  'password',
  'wrong-codes',
  'step-up-refused',
  'graph-failure',
  'call-failed',
  'passkey-setup',
];

export interface Requester {
  oid: string;
  name: string;
  upn?: string;
  /** Set when a live step-up grant stands behind this request: when and with which auth contexts. */
  verified?: { at: number; acrs: string[] };
}

export interface Escalation {
  id: string;
  at: number;
  reason: EscalationReason;
  requester: Requester;
  channel: string;
  details: Record<string, string>;
  tickets: OpenedTicket[];
  /** The cards in the helpdesk channels — Teams and/or Slack (each updated when taken). */
  posts?: HelpdeskPost[];
  /** The Teams card, as records written before Slack had a helpdesk name it (read, never written). */
  post?: HelpdeskPost;
  takenBy?: { oid: string; name: string; at: number };
}

export interface HelpdeskPost {
  reference: Partial<ConversationReference>;
  messageId: string;
}

/** Every channel card of an escalation (older records name one Teams card in `post`). */
export const postsOf = (e: Escalation): HelpdeskPost[] => [...(e.post ? [e.post] : []), ...(e.posts ?? [])];

/** How escalations reach a channel (Teams renders an Adaptive Card, Slack Block Kit; chosen by the reference). */
export interface HelpdeskChannel {
  post(reference: Partial<ConversationReference>, escalation: Escalation): Promise<string | undefined>;
  update(reference: Partial<ConversationReference>, messageId: string, escalation: Escalation): Promise<void>;
}

import type { HelpdeskMembers } from './helpdesk-members.js';

export { HelpdeskMembers } from './helpdesk-members.js';

export interface EscalationDeps {
  storage: ProofupStorage;
  audit: AuditLog;
  sinks: TicketSink[];
  members: HelpdeskMembers;
  channel: HelpdeskChannel;
  logger: Logger;
  /** HELPDESK_CHANNEL: the Teams channel's conversation id (required in production). */
  channelId?: string;
  /** SLACK_HELPDESK_CHANNEL: a Slack channel that gets the same cards (Slack's "Take it"). */
  slackChannelId?: string;
  /** Sandbox only: with no channelId, the first channel that mentions the bot is the helpdesk channel. */
  firstChannelIsHelpdesk?: boolean;
  now?: () => number;
  /** Counts escalations sent, failed and taken (metrics). */
  count?: (reason: EscalationReason, outcome: 'sent' | 'failed' | 'taken') => void;
}

export type TakeResult =
  | { ok: true; escalation: Escalation }
  | { ok: false; why: 'not-agent' | 'unknown' | 'taken' | 'own-request'; by?: string };

/** A ticket opened or a card posted: someone at the helpdesk will see it. */
const reached = (e: Escalation) => e.tickets.length > 0 || postsOf(e).length > 0;

export class EscalationService {
  private readonly records: RecordStore<Escalation>;
  private readonly channels: RecordStore<{ reference: Partial<ConversationReference> }>;
  private readonly now: () => number;

  constructor(private readonly deps: EscalationDeps) {
    this.records = new RecordStore(deps.storage, 'escalation');
    this.channels = new RecordStore(deps.storage, 'helpdesk');
    this.now = deps.now ?? Date.now;
  }

  /**
   * A channel conversation the bot saw: kept as THE helpdesk channel if it is the configured one — or, in the sandbox
   * only (firstChannelIsHelpdesk), the first one. Anywhere else no channel is ever guessed.
   */
  async noticeChannel(reference: Partial<ConversationReference>): Promise<void> {
    const id = reference.conversation?.id;
    if (!id) return;
    const configured = this.deps.channelId;
    if (!configured && !this.deps.firstChannelIsHelpdesk) return;
    if (configured && id.split(';')[0] !== configured) return;
    const known = await this.channels.get('channel');
    if (!configured && known) return;
    if (known?.value.reference.conversation?.id === id) return;
    try {
      await this.channels.put('channel', { reference }, known?.eTag);
      this.deps.logger.info({ conversationId: id }, 'helpdesk channel recorded');
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  }

  /** Opens the tickets and posts the channel card; resolves what the user can be told (never fails for one sink). */
  /**
   * `delivery`: what identifies the press that asked (channel, conversation, activity id). The escalation's id — also
   * each ticket's Idempotency-Key / correlation id — is derived from it, and the record is stored BEFORE anything is
   * sent: the same press delivered again (a redelivery after a crash) opens no second ticket under another key, and
   * one already handled is answered from its record.
   */
  async escalate(input: {
    reason: EscalationReason;
    requester: Requester;
    channel: string;
    details: Record<string, string>;
    delivery?: string;
  }): Promise<Escalation> {
    const id = input.delivery ? stableUuid('escalation', input.delivery) : randomUUID();
    const earlier = (await this.records.get(id))?.value;
    if (earlier && (earlier.tickets.length > 0 || postsOf(earlier).length > 0)) {
      await this.auditEscalated(earlier); // redone by key: one record, even if a crash came before it
      return earlier;
    }
    const escalation: Escalation = {
      id,
      at: this.now(),
      reason: input.reason,
      requester: input.requester,
      channel: input.channel,
      details: input.details,
      tickets: [],
    };
    await this.records.put(escalation.id, escalation);
    const ticket: Ticket = {
      id: escalation.id,
      reason: input.reason,
      summary: `${input.requester.name} needs help with their MFA sign-in (${input.reason})`,
      details: { ...input.details, ...this.identityFacts(input.requester, input.channel) },
      requester: { oid: input.requester.oid, name: input.requester.name, upn: input.requester.upn },
    };
    for (const sink of this.deps.sinks) {
      try {
        escalation.tickets.push(await sink.open(ticket));
      } catch (err) {
        this.deps.logger.error({ err, system: sink.system, escalationId: escalation.id }, 'ticket could not be opened');
      }
    }
    const channels = await this.helpdeskChannels();
    for (const channel of channels) {
      try {
        const messageId = await this.deps.channel.post(channel, escalation);
        if (messageId) escalation.posts = [...(escalation.posts ?? []), { reference: channel, messageId }];
      } catch (err) {
        this.deps.logger.error(
          { err, escalationId: escalation.id, chat: channel.channelId },
          'escalation card could not be posted',
        );
      }
    }
    if (channels.length === 0)
      this.deps.logger.warn({ escalationId: escalation.id }, 'no helpdesk channel known: ticket only');
    await this.records.put(escalation.id, escalation);
    this.deps.count?.(input.reason, reached(escalation) ? 'sent' : 'failed');
    await this.auditEscalated(escalation);
    return escalation;
  }

  private async auditEscalated(escalation: Escalation): Promise<void> {
    await this.audit({
      id: `${escalation.id}:escalated`,
      at: new Date(escalation.at).toISOString(),
      actorOid: escalation.requester.oid,
      subjectOid: escalation.requester.oid,
      action: 'escalated',
      result: reached(escalation) ? 'done' : 'failed',
      reason: escalation.reason,
      flowId: escalation.id,
      channel: escalation.channel,
    });
  }

  /** A member of the helpdesk group (fail closed when Graph cannot say). */
  isAgent(oid: string | undefined): Promise<boolean> {
    return this.deps.members.isAgent(oid);
  }

  /** The helpdesk channel, once known (HELPDESK_CHANNEL or the first channel the bot was installed in). */
  async channelReference(): Promise<Partial<ConversationReference> | undefined> {
    return (await this.channels.get('channel'))?.value.reference;
  }

  /**
   * The helpdesk channel for something asked in `chat`: an agent in Slack gets the Slack one (when configured), an
   * agent in Teams the Teams one — each falling back to the other, so an approval is never left unasked.
   */
  async channelFor(chat: string | undefined): Promise<Partial<ConversationReference> | undefined> {
    const channels = await this.helpdeskChannels();
    return channels.find((c) => (c.channelId === 'slack') === (chat === 'slack')) ?? channels[0];
  }

  /** Every channel an escalation card goes to: the Teams one once known, and the Slack one when configured. */
  private async helpdeskChannels(): Promise<Partial<ConversationReference>[]> {
    const teams = await this.channelReference();
    const slack = this.deps.slackChannelId;
    return [
      ...(teams ? [teams] : []),
      ...(slack ? [{ channelId: 'slack', conversation: { id: slack } as ConversationReference['conversation'] }] : []),
    ];
  }

  async get(id: string): Promise<Escalation | undefined> {
    return (await this.records.get(id))?.value;
  }

  /** People who asked for help in the last day, newest first (at most 5; reads at most 200 requests). */
  async recentRequesters(): Promise<{ oid: string; name: string }[]> {
    const since = this.now() - 24 * 3_600_000;
    const found: Escalation[] = [];
    for (const key of (await this.deps.storage.keys('escalation/')).slice(-200)) {
      const e = (await this.records.get(key.slice('escalation/'.length)))?.value;
      if (e && e.at >= since && e.requester.oid) found.push(e);
    }
    const seen = new Set<string>();
    return found
      .sort((a, b) => b.at - a.at)
      .filter((e) => !seen.has(e.requester.oid) && seen.add(e.requester.oid))
      .slice(0, 5)
      .map((e) => ({ oid: e.requester.oid, name: e.requester.name }));
  }

  /** "Take it": the first helpdesk member wins; the card says so for everyone. */
  async take(id: string, agent: { oid?: string; name: string }, channel: string): Promise<TakeResult> {
    const agentOk = await this.isAgent(agent.oid);
    if (!agentOk) {
      await this.audit({
        actorOid: agent.oid ?? '',
        action: 'escalationTaken',
        result: 'refused',
        reason: 'not-helpdesk',
        flowId: id,
        channel,
      });
      return { ok: false, why: 'not-agent' };
    }
    // Compare-and-set until it is taken by someone (never a silent give-up after a few conflicts).
    for (;;) {
      const found = await this.records.get(id);
      if (!found) return { ok: false, why: 'unknown' };
      const takenBy = found.value.takenBy;
      // The same agent again (e.g. after a crash between taking and telling): the card and the audit are redone.
      if (takenBy && sameOid(takenBy.oid, agent.oid)) return this.taken(found.value, channel);
      if (takenBy) return { ok: false, why: 'taken', by: takenBy.name };
      // An agent who asked for help themselves does not take their own request.
      if (sameOid(found.value.requester.oid, agent.oid)) return { ok: false, why: 'own-request' };
      const taken = { ...found.value, takenBy: { oid: agent.oid as string, name: agent.name, at: this.now() } };
      try {
        await this.records.put(id, taken, found.eTag);
      } catch (err) {
        if (isConflict(err)) continue;
        throw err;
      }
      this.deps.count?.(taken.reason, 'taken');
      return this.taken(taken, channel);
    }
  }

  /** After the record says who took it: the channel card says so for everyone, and one audit record (by key). */
  private async taken(escalation: Escalation, channel: string): Promise<TakeResult> {
    const takenBy = escalation.takenBy as NonNullable<Escalation['takenBy']>;
    for (const post of postsOf(escalation))
      await this.deps.channel
        .update(post.reference, post.messageId, escalation)
        .catch((err) => this.deps.logger.warn({ err, escalationId: escalation.id }, 'could not mark the card taken'));
    await this.audit({
      id: `${escalation.id}:taken`,
      at: new Date(takenBy.at).toISOString(),
      actorOid: takenBy.oid,
      subjectOid: escalation.requester.oid,
      action: 'escalationTaken',
      result: 'done',
      reason: escalation.reason,
      flowId: escalation.id,
      channel,
    });
    return { ok: true, escalation };
  }

  /** What the audit says about the change the person was in, for the card (only records of their own flow). */
  async changeFacts(flowId: string, oid: string | undefined): Promise<Record<string, string>> {
    const records = (await this.deps.audit.since(new Date(this.now() - 24 * 3_600_000))).filter(
      (r: AuditRecord) => r.flowId === flowId && r.actorOid === oid,
    );
    const last = records.at(-1);
    if (!last) return {};
    const ids = last.steps.map((s) => s.requestId).filter(Boolean);
    return {
      Change: `${last.action}${last.phoneType ? ` (${last.phoneType})` : ''}`,
      Outcome: `${last.result}${last.reason ? `: ${last.reason}` : ''}`,
      ...(last.before ? { Before: last.before } : {}),
      ...(last.after ? { After: last.after } : {}),
      ...(ids.length ? { 'Graph request ids': ids.join(', ') } : {}),
      Flow: flowId,
    };
  }

  private identityFacts(requester: Requester, channel: string): Record<string, string> {
    return requester.verified
      ? {
          Identity: 'verified by step-up sign-in',
          'Step-up at': new Date(requester.verified.at).toISOString(),
          'Auth context': requester.verified.acrs.join(', ') || '-',
        }
      : {
          Identity:
            channel === 'slack'
              ? 'as Slack names the sender (no step-up in this chat)'
              : 'as Teams names the sender (no step-up in this chat)',
        };
  }

  private async audit(record: Partial<AuditRecord> & Pick<AuditRecord, 'actorOid' | 'action' | 'result'>) {
    await this.deps.audit.append({
      id: randomUUID(),
      at: new Date(this.now()).toISOString(),
      flowId: '',
      channel: '',
      steps: [],
      ...record,
    });
  }
}

/** Requests for the helpdesk (src/retention.ts collects it; the helpdesk channel's reference is kept). */
export const ESCALATION_RECORDS: readonly Retained[] = [
  {
    prefix: 'escalation/',
    lifetimeMs: 30 * 24 * 3_600_000,
    holds: 'a request for the helpdesk: who, why, masked facts, ticket references, who took it',
  },
];
