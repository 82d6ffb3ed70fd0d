// Handoff (agent → user): a helpdesk agent, after their own step-up, hands a named person to the bot instead of
// changing their phone by hand. The bot installs itself for that person when needed (Graph), finds the 1:1 chat and
// sends an invitation (who asked, why, Start / "I didn't ask for this"). The person then does their OWN step-up and
// change: the agent gains no right over anyone's methods. The agent watches ONE status card, updated in place at each
// flow event (sent → opened → verified → code sent → changed / failed / declined / expired after 24 h).
import { randomUUID } from 'node:crypto';
import type { ConversationReference } from 'botbuilder';
import type { AuditLog, AuditRecord } from '../audit/audit-log.js';
import type { Logger } from '../logging.js';
import type { FlowEventRecord } from '../runner/flow-presenter.js';
import { RecordStore, type Retained, updateWithRetry } from '../storage/records.js';
import type { ProofupStorage } from '../storage/store.js';
import type {
  AnswerResult,
  Handoff,
  HandoffPresenter,
  HandoffReason,
  HandoffState,
  StartResult,
} from './handoff-types.js';
import type { DirectoryPerson, HelpdeskGraph } from './helpdesk-graph.js';
import { type Reached, reachPerson } from './reach.js';

export const HANDOFF_LIFETIME_MS = 24 * 3_600_000;
/** A handoff still 'inviting' after this long was left by a process that died while sending the invitation. */
const INVITING_STALE_MS = 2 * 60_000;

export * from './handoff-types.js';

/** States after which nothing more happens to a handoff. */
const FINAL: ReadonlySet<HandoffState> = new Set(['changed', 'declined', 'expired', 'undeliverable']);

/** Which flow event moves a handoff where (events of people without an open handoff are ignored). */
const STATE_OF_EVENT: Record<string, HandoffState | undefined> = {
  verified: 'verified',
  'code-sent': 'codeSent',
  applied: 'changed',
  failed: 'failed',
  'code-failed': 'failed',
  cancelled: 'cancelled',
  expired: 'cancelled',
  'grant-expired': 'cancelled',
};

export interface HandoffDeps {
  storage: ProofupStorage;
  graph: Pick<HelpdeskGraph, 'person' | 'install' | 'personalChatId' | 'canInstall'>;
  audit: AuditLog;
  presenter: HandoffPresenter;
  logger: Logger;
  /**
   * An agent working in Slack invites the person in Slack: their DM with the bot, found through the Slack user bound to
   * their Entra account (never by e-mail). Undefined when they have none.
   */
  slackChat?: (person: DirectoryPerson) => Promise<Partial<ConversationReference> | undefined>;
  now?: () => number;
}

/** A conversation reference without names (kept 90 days: ids are enough to reach the chat). */
function idsOnly(r: Partial<ConversationReference>): Partial<ConversationReference> {
  return {
    channelId: r.channelId,
    serviceUrl: r.serviceUrl,
    ...(r.bot ? { bot: { id: r.bot.id, name: '' } } : {}),
    ...(r.user ? { user: { id: r.user.id, name: '', aadObjectId: r.user.aadObjectId } } : {}),
    conversation: {
      id: r.conversation?.id as string,
      conversationType: r.conversation?.conversationType as string,
      isGroup: false,
      name: '',
      ...(r.conversation?.tenantId ? { tenantId: r.conversation.tenantId } : {}),
    },
  };
}

export class HandoffService {
  private readonly records: RecordStore<Handoff>;
  /** The open handoff of each person (their oid → handoff id): flow events find it here. */
  private readonly openFor: RecordStore<{ id: string }>;
  /** Each person's 1:1 chat with the bot as last seen (their oid → reference): where invitations go. */
  private readonly chats: RecordStore<{ reference: Partial<ConversationReference> }>;
  private readonly seenChats = new Map<string, string>();
  private readonly now: () => number;

  constructor(private readonly deps: HandoffDeps) {
    this.records = new RecordStore(deps.storage, 'handoff');
    this.openFor = new RecordStore(deps.storage, 'handoff-open');
    this.chats = new RecordStore(deps.storage, 'userchat');
    this.now = deps.now ?? Date.now;
  }

  /** A personal chat the bot saw (any message or install): remembered so an invitation can reach it. */
  async noticePersonalChat(oid: string | undefined, reference: Partial<ConversationReference>): Promise<void> {
    if (!oid || !reference.conversation?.id || !reference.serviceUrl) return;
    const key = `${reference.serviceUrl}\n${reference.conversation.id}`;
    if (this.seenChats.get(oid) === key) return;
    const stored = (await this.chats.get(oid))?.value.reference;
    if (stored?.serviceUrl !== reference.serviceUrl || stored?.conversation?.id !== reference.conversation.id)
      await this.chats.put(oid, { reference: idsOnly(reference) });
    this.seenChats.set(oid, key);
  }

  /** The person's 1:1 chat with the bot as last seen (for the helpdesk form sent to an agent). */
  async personalChatOf(oid: string): Promise<Partial<ConversationReference> | undefined> {
    return (await this.chats.get(oid))?.value.reference;
  }

  /** Install if needed, find the chat, post the agent's status card and send the invitation. */
  async start(input: {
    agent: Handoff['agent'];
    agentRef: Partial<ConversationReference>;
    userOid: string;
    reason: HandoffReason;
  }): Promise<StartResult> {
    const inSlack = input.agentRef.channelId === 'slack';
    if (!inSlack && !this.deps.graph.canInstall) return { ok: false, why: 'not-configured' };
    const person = await this.deps.graph.person(input.userOid);
    if (!person) return { ok: false, why: 'unknown-person' };
    if (person.oid === input.agent.oid) return { ok: false, why: 'self', person };
    const reached = await this.reach(person, input.agentRef);
    if (!reached.ok) {
      const [result, reason] =
        reached.why === 'blocked' ? ['refused', 'app-blocked-by-policy'] : ['failed', reached.why];
      await this.audit(input.agent.oid, person.oid, 'handoffStarted', result as 'refused' | 'failed', reason, {
        channel: input.agentRef.channelId,
      });
      return { ok: false, why: reached.why, person };
    }
    const now = this.now();
    const handoff: Handoff = {
      id: randomUUID(),
      at: now,
      expiresAt: now + HANDOFF_LIFETIME_MS,
      reason: input.reason,
      agent: input.agent,
      agentRef: input.agentRef,
      user: person,
      userRef: reached.reference,
      state: 'inviting',
      detail: reached.installed,
      updatedAt: now,
    };
    // Record first, then the cards: whatever reached a chat has its record, whenever the process dies.
    await this.records.put(handoff.id, handoff);
    await this.openFor.put(person.oid, { id: handoff.id });
    const statusMessageId = await this.deps.presenter.status(handoff);
    if (statusMessageId) await this.patch(handoff.id, { statusMessageId });
    let inviteMessageId: string | undefined;
    let failure: string | undefined;
    try {
      inviteMessageId = await this.deps.presenter.invite(handoff);
    } catch (err) {
      this.deps.logger.warn({ err, handoffId: handoff.id }, 'the invitation could not be delivered');
      failure = (err as { statusCode?: number }).statusCode === 403 ? 'message-writes-blocked' : 'send-failed';
    }
    if (inviteMessageId) await this.patch(handoff.id, { inviteMessageId });
    const settled = await this.settleInvite(
      handoff.id,
      failure ? { state: 'undeliverable', detail: failure } : { state: 'sent', detail: reached.installed },
    );
    return { ok: true, handoff: settled ?? handoff };
  }

  /**
   * 'inviting' → 'sent' (or 'undeliverable'), the pointer and the audit record; the sweep does the same for a
   * handoff whose process died while inviting (its invitation may or may not have arrived: 'delivery-unknown').
   */
  private async settleInvite(id: string, next: Pick<Handoff, 'state' | 'detail'>): Promise<Handoff | undefined> {
    const moved = await this.move(id, (h) => (h.state === 'inviting' ? next : undefined));
    if (!moved) return undefined;
    if (moved.state !== 'sent') await this.openFor.delete(moved.user.oid);
    await this.audit(
      moved.agent.oid,
      moved.user.oid,
      'handoffStarted',
      moved.state === 'sent' ? 'done' : 'failed',
      moved.reason,
      { handoff: moved, once: { key: 'started', at: moved.at } },
    );
    return moved;
  }

  private async patch(id: string, fields: Pick<Handoff, 'statusMessageId' | 'inviteMessageId'>): Promise<void> {
    await updateWithRetry(this.records, id, (current) => {
      if (!current) throw new Error(`handoff ${id} vanished`);
      return { ...current, ...fields };
    });
  }

  /** The person pressed Start: only they can, only while it is open. */
  async open(id: string, presserOid: string | undefined): Promise<AnswerResult> {
    return this.answer(id, presserOid, 'opened');
  }

  /** "I didn't ask for this": the agent is told, the handoff is audited and flagged for the security team. */
  async decline(id: string, presserOid: string | undefined): Promise<AnswerResult> {
    const result = await this.answer(id, presserOid, 'declined');
    if (result.ok) {
      const h = result.handoff;
      this.deps.logger.warn(
        { code: 'PROOFUP_HANDOFF_DECLINED', handoffId: h.id, agentOid: h.agent.oid, userOid: h.user.oid },
        'a person said they did not ask for a helpdesk handoff',
      );
      await this.audit(h.user.oid, h.user.oid, 'handoffDeclined', 'refused', 'not-requested-flagged', {
        handoff: h,
        agentOid: h.agent.oid,
      });
    }
    return result;
  }

  /** Flow events of a person with an open handoff move its status card. */
  async onFlowEvent(event: FlowEventRecord): Promise<void> {
    const next = STATE_OF_EVENT[event.name];
    if (!next || !event.oid) return;
    const pointer = await this.openFor.get(event.oid);
    if (!pointer) return;
    const updated = await this.move(pointer.value.id, (h) =>
      FINAL.has(h.state) || h.state === 'sent' || h.state === 'inviting'
        ? undefined
        : { state: next, detail: event.detail },
    );
    if (updated && FINAL.has(updated.state)) await this.openFor.delete(event.oid);
  }

  /**
   * The sweep: a handoff left 'inviting' by a process that died is settled as sent ('delivery-unknown': the person's
   * Start still works if it arrived); open handoffs older than 24 h expire, and the agent's card says so.
   */
  async expireDue(): Promise<number> {
    let expired = 0;
    for (const key of await this.deps.storage.keys('handoff/')) {
      const id = key.slice('handoff/'.length);
      const found = await this.records.get(id);
      if (found?.value.state === 'inviting' && found.value.updatedAt + INVITING_STALE_MS <= this.now())
        await this.settleInvite(id, { state: 'sent', detail: 'delivery-unknown' });
      if (!found || FINAL.has(found.value.state) || found.value.expiresAt > this.now()) continue;
      const updated = await this.move(id, (h) => (FINAL.has(h.state) ? undefined : { state: 'expired' }));
      if (updated?.state === 'expired') {
        expired++;
        await this.openFor.delete(updated.user.oid);
        await this.deps.presenter.closeInvite(updated).catch(() => undefined);
        await this.audit(updated.agent.oid, updated.user.oid, 'handoffStarted', 'expired', updated.reason, {
          handoff: updated,
        });
      }
    }
    return expired;
  }

  async get(id: string): Promise<Handoff | undefined> {
    return (await this.records.get(id))?.value;
  }

  private async answer(
    id: string,
    presserOid: string | undefined,
    state: 'opened' | 'declined',
  ): Promise<AnswerResult> {
    const found = (await this.records.get(id))?.value;
    if (!found) return { ok: false, why: 'unknown' };
    if (!presserOid || presserOid !== found.user.oid) return { ok: false, why: 'not-yours', handoff: found };
    if (found.state === 'expired' || (!FINAL.has(found.state) && found.expiresAt <= this.now())) {
      await this.expireDue();
      return { ok: false, why: 'expired', handoff: found };
    }
    // 'inviting': the invitation reached them while its sender was still (or forever, after a crash) recording it.
    const unanswered = (h: Handoff) => h.state === 'sent' || h.state === 'inviting';
    if (FINAL.has(found.state) || (!unanswered(found) && state === 'declined'))
      return { ok: false, why: 'closed', handoff: found };
    if (found.state === 'inviting') await this.settleInvite(id, { state: 'sent' }); // recorded and audited first
    const updated = await this.move(id, (h) => (unanswered(h) || state === 'opened' ? { state } : undefined));
    if (!updated) return { ok: false, why: 'closed', handoff: found };
    await this.deps.presenter
      .closeInvite(updated)
      .catch((err) => this.deps.logger.warn({ err }, 'invitation not closed'));
    if (state === 'declined') await this.openFor.delete(updated.user.oid);
    return { ok: true, handoff: updated };
  }

  /** Compare-and-set move of one handoff; the agent's card follows. Undefined when `change` declines. */
  private async move(
    id: string,
    change: (h: Handoff) => Pick<Handoff, 'state' | 'detail'> | undefined,
  ): Promise<Handoff | undefined> {
    let moved: Handoff | undefined;
    await updateWithRetry(this.records, id, (current) => {
      moved = undefined;
      if (!current) throw new Error(`handoff ${id} vanished`);
      const next = change(current);
      if (!next) return current;
      moved = { ...current, state: next.state, updatedAt: this.now() };
      if (next.detail) moved.detail = next.detail;
      else delete moved.detail;
      return moved;
    });
    if (moved) await this.showStatus(moved);
    return moved;
  }

  private async showStatus(handoff: Handoff): Promise<void> {
    try {
      // The newest state wins even if two steps raced: render what the record says now.
      const latest = handoff.statusMessageId ? ((await this.records.get(handoff.id))?.value ?? handoff) : handoff;
      await this.deps.presenter.status(latest, handoff.statusMessageId);
    } catch (err) {
      this.deps.logger.warn({ err, handoffId: handoff.id }, 'the status card could not be updated');
    }
  }

  /**
   * Where the invitation goes: where the person talks to the bot. Their Teams chat as seen from them; else their own
   * Slack DM (the Slack user bound to them); else, from Teams, the bot installed for them and its chat (the agent's
   * service URL and bot, same tenant). An agent in Slack reaches only people who linked Slack or talked to the bot in
   * Teams.
   */
  private async reach(
    person: DirectoryPerson,
    agentRef: Partial<ConversationReference>,
  ): Promise<Reached | { ok: false; why: 'not-linked' }> {
    const seen = (await this.chats.get(person.oid))?.value.reference;
    const slack = seen ? undefined : await this.deps.slackChat?.(person);
    if (slack) return { ok: true, reference: slack, installed: 'slack-dm' };
    // From Slack, a Teams chat is reachable only as seen from the person (nothing to install from there).
    if (agentRef.channelId === 'slack')
      return seen ? { ok: true, reference: seen, installed: 'seen-chat' } : { ok: false, why: 'not-linked' };
    return reachPerson(this.deps.graph, person, agentRef, seen);
  }

  private async audit(
    actorOid: string,
    subjectOid: string,
    action: AuditRecord['action'],
    result: AuditRecord['result'],
    reason: string,
    more: {
      /** The handoff (its id is the record's flow id; its agent's chat its channel). */
      handoff?: Handoff;
      /** Without a handoff: where the agent asked. */
      channel?: string;
      agentOid?: string;
      /** An idempotent record: the same key and time again (a step redone after a crash) is one record. */
      once?: { key: string; at: number };
    } = {},
  ): Promise<void> {
    const { handoff, agentOid, once } = more;
    const flowId = handoff?.id ?? '';
    await this.deps.audit.append({
      id: once ? `${flowId}:${once.key}` : randomUUID(),
      at: new Date(once?.at ?? this.now()).toISOString(),
      flowId,
      actorOid,
      subjectOid,
      channel: handoff?.agentRef.channelId ?? more.channel ?? 'msteams',
      action,
      steps: [],
      result,
      reason: agentOid ? `${reason} (asked by ${agentOid})` : reason,
    });
  }
}

/** Handoffs and the chats they reach (src/retention.ts collects it). */
export const HANDOFF_RECORDS: readonly Retained[] = [
  {
    prefix: 'handoff/',
    lifetimeMs: 30 * 24 * 3_600_000,
    holds: "a handoff: agent and person (oid, name, UPN), reason, status, both chats' references",
  },
  {
    prefix: 'handoff-open/',
    lifetimeMs: HANDOFF_LIFETIME_MS,
    holds: "a person's open handoff (its id), for its status card",
  },
  {
    prefix: 'userchat/',
    lifetimeMs: 90 * 24 * 3_600_000,
    holds: "a person's 1:1 chat with the bot (conversation reference), where a handoff invitation goes",
  },
];
