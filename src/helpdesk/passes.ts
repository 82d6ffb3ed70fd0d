// Temporary Access Pass for a person who lost every factor: issued by a helpdesk agent after the agent's own sign-in
// with the stronger auth context (HELPDESK_AUTH_CONTEXT), a recorded attestation of what the agent checked (the bot
// records it; it cannot check it), optionally a second agent's approval (TAP_REQUIRES_SECOND_AGENT; ALWAYS when the
// person is a helpdesk member themselves), never for a holder of a privileged directory role. The subject of a
// request never attests, approves or hides anything about it; every owner check fails closed on a missing identity. The pass is shown ONCE, to that agent, in their 1:1 chat, and hidden after
// 10 minutes: it is never stored, logged, audited or posted in a channel. The person's e-mail and phones are told.
import { randomUUID } from 'node:crypto';
import type { ConversationReference } from 'botbuilder';
import type { AuditLog, AuditRecord } from '../audit/audit-log.js';
import { GraphError } from '../graph/graph-error.js';
import type { Lang } from '../i18n/i18n.js';
import { sameOid } from '../identity/same-oid.js';
import type { Logger } from '../logging.js';
import { RecordStore } from '../storage/records.js';
import { isConflict, type ProofupStorage } from '../storage/store.js';
import type { DirectoryPerson, HelpdeskGraph } from './helpdesk-graph.js';

export const PASS_REQUEST_LIFETIME_MS = 30 * 60_000;
export const PASS_SHOWN_MS = 10 * 60_000;
export const ATTESTATION_METHODS = ['video', 'person', 'manager'] as const;

export interface PassAttestation {
  method: (typeof ATTESTATION_METHODS)[number];
  note: string;
}

export interface PassRequest {
  id: string;
  at: number;
  expiresAt: number;
  agent: { oid: string; name: string; lang: Lang };
  agentRef: Partial<ConversationReference>;
  user: DirectoryPerson;
  state: 'attesting' | 'awaiting-approval' | 'issuing' | 'issued' | 'failed';
  attestation?: PassAttestation;
  approver?: { oid: string; name: string; at: number };
  approvalPost?: { reference: Partial<ConversationReference>; messageId: string };
  /** Where and until when the pass is on screen (the pass itself is never kept). */
  shown?: { messageId?: string; validUntil: number; hideAt: number; hidden: boolean };
  detail?: string;
}

/** How a channel shows passes and approvals (Teams: Adaptive Cards). */
export interface PassPresenter {
  askApproval(channel: Partial<ConversationReference>, request: PassRequest): Promise<string | undefined>;
  approved(request: PassRequest): Promise<void>;
  /** The pass, to the issuing agent only; resolves the message id (to hide it later). */
  showPass(request: PassRequest, pass: string): Promise<string | undefined>;
  hidePass(request: PassRequest): Promise<void>;
}

export interface PassDeps {
  storage: ProofupStorage;
  graph: Pick<
    HelpdeskGraph,
    'privilegedRoles' | 'createTemporaryAccessPass' | 'temporaryAccessPasses' | 'deleteTemporaryAccessPass'
  >;
  audit: AuditLog;
  presenter: PassPresenter;
  /** Tells the person (e-mail, phones) that a pass was issued; never throws. */
  notify: (request: PassRequest) => Promise<{ email: boolean; sms: number }>;
  /** The helpdesk channel, where approvals are asked. */
  helpdeskChannel: () => Promise<Partial<ConversationReference> | undefined>;
  lifetimeMinutes: number;
  secondAgent: boolean;
  /** Whether someone is a helpdesk member (a pass for one always needs a second agent). */
  isAgent: (oid: string) => Promise<boolean>;
  logger: Logger;
  now?: () => number;
}

export type PassRefusal =
  | 'self'
  | 'privileged'
  | 'unknown'
  | 'not-yours'
  | 'expired'
  | 'closed'
  | 'no-channel'
  | 'own-request'
  | 'subject'
  | 'policy'
  | 'forbidden'
  | 'failed'
  /** Graph created a pass but its answer (the value) was lost: nobody saw it, so it was deleted. */
  | 'lost-deleted'
  /** As above, and the deletion failed too: a pass may exist that nobody has seen. */
  | 'lost-unknown';

export type PassResult =
  | { ok: true; request: PassRequest; next: 'attest' | 'approval' | 'issued' }
  | { ok: false; why: PassRefusal; roles?: string[]; request?: PassRequest };

export class PassService {
  private readonly records: RecordStore<PassRequest>;
  private readonly now: () => number;

  constructor(private readonly deps: PassDeps) {
    this.records = new RecordStore(deps.storage, 'tap');
    this.now = deps.now ?? Date.now;
  }

  get secondAgent(): boolean {
    return this.deps.secondAgent;
  }

  /** Checks the person may get a pass at all, and opens a request waiting for the agent's attestation. */
  async prepare(input: {
    agent: PassRequest['agent'];
    agentRef: Partial<ConversationReference>;
    user: DirectoryPerson;
  }): Promise<PassResult> {
    if (!input.agent.oid || sameOid(input.user.oid, input.agent.oid)) return { ok: false, why: 'self' };
    const roles = await this.deps.graph.privilegedRoles(input.user.oid);
    if (roles.length > 0) {
      await this.audit(input.agent.oid, input.user.oid, 'refused', `privileged-user: ${roles.join(', ')}`);
      return { ok: false, why: 'privileged', roles };
    }
    const now = this.now();
    const request: PassRequest = {
      id: randomUUID(),
      at: now,
      expiresAt: now + PASS_REQUEST_LIFETIME_MS,
      agent: input.agent,
      agentRef: input.agentRef,
      user: input.user,
      state: 'attesting',
    };
    await this.records.put(request.id, request);
    return { ok: true, request, next: 'attest' };
  }

  /** What the agent checked; then the approval (if required) or the pass. */
  async attest(id: string, agentOid: string | undefined, attestation: PassAttestation): Promise<PassResult> {
    const found = await this.open(id, 'attesting');
    if (!found.ok) return found;
    const { request, eTag } = found;
    if (!sameOid(request.agent.oid, agentOid)) return { ok: false, why: 'not-yours' };
    if (!(await this.needsSecondAgent(request))) return this.issue({ ...request, attestation }, eTag);
    const channel = await this.deps.helpdeskChannel();
    if (!channel) return { ok: false, why: 'no-channel' };
    const waiting: PassRequest = { ...request, attestation, state: 'awaiting-approval' };
    if (!(await this.save(waiting, eTag))) return { ok: false, why: 'closed' };
    const messageId = await this.deps.presenter.askApproval(channel, waiting);
    if (messageId) await this.update(id, (r) => ({ ...r, approvalPost: { reference: channel, messageId } }));
    return { ok: true, request: waiting, next: 'approval' };
  }

  /** A pass for a helpdesk member is never one agent's decision, whatever the policy says. */
  private async needsSecondAgent(request: PassRequest): Promise<boolean> {
    return this.deps.secondAgent || (await this.deps.isAgent(request.user.oid));
  }

  /** A second agent approves (neither the one who asked nor the person it is for); the pass then goes to the asker. */
  async approve(id: string, approver: { oid: string; name: string }): Promise<PassResult> {
    const found = await this.open(id, 'awaiting-approval');
    if (!found.ok) return found;
    if (!approver.oid || sameOid(found.request.agent.oid, approver.oid)) return { ok: false, why: 'own-request' };
    if (sameOid(found.request.user.oid, approver.oid)) return { ok: false, why: 'subject' };
    const approved = { ...found.request, approver: { ...approver, at: this.now() } };
    const result = await this.issue(approved, found.eTag);
    if (result.ok || result.why !== 'closed') await this.deps.presenter.approved(approved).catch(() => undefined);
    return result;
  }

  /** "Hide the pass": only the issuing agent (a press without an identity hides nothing). */
  async hide(id: string, agentOid: string | undefined): Promise<boolean> {
    const request = (await this.records.get(id))?.value;
    if (!request || !sameOid(agentOid, request.agent.oid)) return false;
    return this.hideNow(request);
  }

  /** Replaces the card that shows the pass (the owner's press, or the sweep). */
  private async hideNow(request: PassRequest): Promise<boolean> {
    const id = request.id;
    if (!request.shown || request.shown.hidden) return false;
    await this.deps.presenter.hidePass(request);
    await this.update(id, (r) => (r.shown ? { ...r, shown: { ...r.shown, hidden: true } } : r));
    return true;
  }

  /** The sweep: passes on screen for 10 minutes are hidden. */
  async hideDue(): Promise<number> {
    let hidden = 0;
    for (const key of await this.deps.storage.keys('tap/')) {
      const request = (await this.records.get(key.slice('tap/'.length)))?.value;
      if (request?.shown && !request.shown.hidden && request.shown.hideAt <= this.now())
        if (await this.hideNow(request).catch(() => false)) hidden++;
    }
    return hidden;
  }

  async get(id: string): Promise<PassRequest | undefined> {
    return (await this.records.get(id))?.value;
  }

  /** Graph creates the pass; it goes to the agent's screen and nowhere else. Exactly once per request (CAS). */
  private async issue(request: PassRequest, eTag: string): Promise<PassResult> {
    const issuing: PassRequest = { ...request, state: 'issuing' };
    if (!(await this.save(issuing, eTag))) return { ok: false, why: 'closed' };
    let created: Awaited<ReturnType<PassDeps['graph']['createTemporaryAccessPass']>>;
    const askedAt = this.now();
    try {
      created = await this.deps.graph.createTemporaryAccessPass(request.user.oid, this.deps.lifetimeMinutes);
    } catch (err) {
      const refused = err instanceof GraphError && (err.status === 400 || err.status === 403);
      // No answer, a timeout or a server error: the pass may exist. Settle by reading Graph back — never "nothing was
      // issued" while a pass nobody has seen is live (its value cannot be read again, so it is deleted).
      const lost = refused ? undefined : await this.settleLostPass(request, askedAt);
      const why: PassRefusal =
        err instanceof GraphError && err.status === 400
          ? 'policy'
          : err instanceof GraphError && err.status === 403
            ? 'forbidden'
            : (lost ?? 'failed');
      const detail = err instanceof GraphError ? `${err.status} ${err.graphCode ?? ''}`.trim() : 'no answer';
      this.deps.logger.warn({ requestId: request.id, status: (err as GraphError).status }, 'pass not issued');
      await this.update(request.id, (r) => ({ ...r, state: 'failed', detail }));
      await this.audit(request.agent.oid, request.user.oid, 'failed', `${why}: ${detail}`, request);
      return { ok: false, why, request };
    }
    const validUntil = Date.parse(created.startsAt) + created.lifetimeInMinutes * 60_000;
    const shownAt = this.now();
    const shown = { validUntil, hideAt: shownAt + PASS_SHOWN_MS, hidden: false };
    const issued: PassRequest = { ...issuing, state: 'issued', shown };
    let messageId: string | undefined;
    try {
      messageId = await this.deps.presenter.showPass(issued, created.pass);
    } catch (err) {
      // The pass exists at Microsoft but nobody saw it: say so (a new pass replaces it).
      this.deps.logger.error({ err, requestId: request.id }, 'the pass could not be shown to the agent');
    }
    await this.update(request.id, (r) => ({
      ...r,
      state: 'issued',
      shown: { ...shown, ...(messageId ? { messageId } : {}) },
    }));
    await this.audit(request.agent.oid, request.user.oid, 'done', this.reasonOf(issued), issued, created.requestId);
    const told = await this.deps.notify(issued);
    this.deps.logger.info(
      { requestId: request.id, email: told.email, sms: told.sms },
      'pass issued; the person was told',
    );
    return {
      ok: true,
      request: { ...issued, ...(messageId ? { shown: { ...shown, messageId } } : {}) },
      next: 'issued',
    };
  }

  /** After a lost answer: a pass created since the request was made is deleted (nobody has its value). */
  private async settleLostPass(request: PassRequest, askedAt: number): Promise<PassRefusal | undefined> {
    try {
      const passes = await this.deps.graph.temporaryAccessPasses(request.user.oid);
      const made = passes.filter((p) => p.createdAt >= askedAt - 60_000);
      if (made.length === 0) return undefined;
      for (const p of made) await this.deps.graph.deleteTemporaryAccessPass(request.user.oid, p.id);
      this.deps.logger.warn({ requestId: request.id }, 'a pass whose answer was lost was deleted');
      return 'lost-deleted';
    } catch (err) {
      this.deps.logger.error(
        { err, requestId: request.id, code: 'PROOFUP_TAP_UNSETTLED' },
        'could not tell whether a pass exists after a lost answer',
      );
      return 'lost-unknown';
    }
  }

  private reasonOf(r: PassRequest): string {
    const a = r.attestation;
    return [
      a ? `attested: ${a.method} (${a.note})` : 'attested: -',
      r.approver ? `approved by ${r.approver.oid}` : 'single agent',
      `${this.deps.lifetimeMinutes} min, one-time`,
    ].join('; ');
  }

  private async open(
    id: string,
    state: PassRequest['state'],
  ): Promise<{ ok: true; request: PassRequest; eTag: string } | { ok: false; why: PassRefusal }> {
    const found = await this.records.get(id);
    if (!found) return { ok: false, why: 'unknown' };
    if (found.value.state !== state) return { ok: false, why: 'closed' };
    if (found.value.expiresAt <= this.now()) return { ok: false, why: 'expired' };
    return { ok: true, request: found.value, eTag: found.eTag };
  }

  private async save(request: PassRequest, eTag: string): Promise<boolean> {
    try {
      await this.records.put(request.id, request, eTag);
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  private async update(id: string, change: (r: PassRequest) => PassRequest): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const found = await this.records.get(id);
      if (!found) return;
      if (await this.save(change(found.value), found.eTag)) return;
    }
  }

  private async audit(
    actorOid: string,
    subjectOid: string,
    result: AuditRecord['result'],
    reason: string,
    request?: PassRequest,
    graphRequestId?: string,
  ): Promise<void> {
    await this.deps.audit.append({
      id: randomUUID(),
      at: new Date(this.now()).toISOString(),
      flowId: request?.id ?? '',
      actorOid,
      subjectOid,
      channel: 'msteams',
      action: 'tapIssued',
      steps: graphRequestId ? [{ op: 'createTemporaryAccessPass', requestId: graphRequestId }] : [],
      result,
      reason,
    });
  }
}
