// Temporary Access Pass, the request's lifecycle: an agent asks (after their own sign-in with the stronger auth context,
// HELPDESK_AUTH_CONTEXT; never for a holder of a privileged directory role) and records what they checked — which the
// bot cannot check, so by default it is not enough: the PERSON is verified, the way the agent picks among
// HELPDESK_VERIFICATION's (their own step-up or their manager's confirmation in chat: pass-chat-verification.ts;
// Verified ID with Face Check on the pass page: pass-page.ts). Then a second agent's approval where required
// (TAP_REQUIRES_SECOND_AGENT; ALWAYS for a helpdesk member), then the pass, shown ONCE to the person (the agent only in
// the weaker attestation mode) and hidden after 10 minutes: never stored, logged, audited or posted in a channel. The
// subject of a request never attests or approves anything about it; every owner check fails closed.
// Issuing itself — crash-safe, settled by reading Graph back — is pass-issuing.ts; the stored states pass-ledger.ts.
import { randomUUID } from 'node:crypto';
import type { ConversationReference } from 'botbuilder';
import type { AuditLog, HelpdeskEvent } from '../audit/audit-log.js';
import type { HelpdeskVerification } from '../config-model.js';
import type { Lang } from '../i18n/i18n.js';
import { sameOid } from '../identity/same-oid.js';
import type { Logger } from '../logging.js';
import type { ProofupStorage } from '../storage/store.js';
import type { DirectoryPerson, HelpdeskGraph } from './helpdesk-graph.js';
import { ChatVerification, VERIFY_WINDOW_MS } from './pass-chat-verification.js';
import { PassIssuer, type PassIssuingDeps } from './pass-issuing.js';
import { type PassAttestation, PassLedger, type PassRequest } from './pass-ledger.js';
import { PassPage } from './pass-page.js';
import type { PassPresenter, PassRefusal, PassResult } from './pass-types.js';
import type { VerifiedIdClient } from './verified-id.js';

export { PASS_SHOWN_MS } from './pass-issuing.js';
export { ATTESTATION_METHODS, type PassAttestation, type PassRequest } from './pass-ledger.js';
export const PASS_REQUEST_LIFETIME_MS = 30 * 60_000;
export { VERIFY_WINDOW_MS } from './pass-chat-verification.js';
export type { PassPresenter, PassRefusal, PassResult } from './pass-types.js';

export interface PassDeps {
  storage: ProofupStorage;
  graph: Pick<
    HelpdeskGraph,
    | 'privilegedRoles'
    | 'managerOf'
    | 'createTemporaryAccessPass'
    | 'temporaryAccessPasses'
    | 'deleteTemporaryAccessPass'
  >;
  audit: AuditLog;
  presenter: PassPresenter;
  notify: PassIssuingDeps['notify'];
  /** The helpdesk channel where a second agent's approval of `request` is asked (the asking agent's chat's). */
  helpdeskChannel: (request: PassRequest) => Promise<Partial<ConversationReference> | undefined>;
  lifetimeMinutes: number;
  secondAgent: boolean;
  /** Whether someone is a helpdesk member (a pass for one always needs a second agent). */
  isAgent: (oid: string) => Promise<boolean>;
  /** After how long an unfinished issue is taken to be interrupted by a crash (at least the Graph timeout). */
  settleAfterMs: number;
  /** HELPDESK_VERIFICATION: what counts as the person verified (without 'attestation', they must verify themselves). */
  verification: readonly HelpdeskVerification[];
  /** The person's 1:1 chat with the bot, where the verification request goes (none: they must open one first). */
  personalChatOf: (oid: string) => Promise<Partial<ConversationReference> | undefined>;
  /** Verified ID with Face Check (HELPDESK_VERIFICATION lists verified-id): the client and Proofup's public URL. */
  verifiedId?: { client: VerifiedIdClient; publicBaseUrl: string };
  logger: Logger;
  now?: () => number;
  /** Counts each audited event (proofup_helpdesk_events_total). */
  count?: (event: HelpdeskEvent) => void;
}

/** The ways the person verifies themselves (the agent's attestation is never one of them). */
export const PERSON_WAYS = ['step-up', 'verified-id', 'manager'] as const;
export type PersonWay = (typeof PERSON_WAYS)[number];

const WHO_VERIFIED = {
  'step-up': ' by the person',
  'verified-id': ' by the person (VerifiedEmployee, Face Check)',
  manager: ' by the manager after their own step-up',
  attestation: " (the agent's word)",
} as const;

export class PassService {
  private readonly ledger: PassLedger;
  private readonly issuer: PassIssuer;
  /** The pass page of the Verified ID way (when configured). */
  readonly page?: PassPage;
  /** The chat ways: the person's own step-up, or their manager's confirmation. */
  private readonly chat: ChatVerification;

  constructor(private readonly deps: PassDeps) {
    this.ledger = new PassLedger(deps.storage, deps.audit, deps.now ?? Date.now, deps.count);
    this.issuer = new PassIssuer(deps, this.ledger);
    this.chat = new ChatVerification({
      ...deps,
      ledger: this.ledger,
      open: (id) => this.open(id, 'verifying'),
      afterVerified: (request, eTag) => this.afterVerified(request, eTag),
    });
    if (deps.verifiedId && deps.verification.includes('verified-id'))
      this.page = new PassPage({
        ledger: this.ledger,
        client: deps.verifiedId.client,
        publicBaseUrl: deps.verifiedId.publicBaseUrl,
        windowMs: VERIFY_WINDOW_MS,
        logger: deps.logger,
        afterVerified: (request, eTag) => this.afterVerified(request, eTag),
        tellAgent: (request, key, values) => deps.presenter.tellAgent(request, key, values),
        issue: (request, eTag, show) => this.issuer.issue(request, eTag, this.reasonOf(request), show),
      });
  }

  /** The ways the PERSON can verify that this deployment offers (the agent picks one per request). */
  get personWays(): PersonWay[] {
    return PERSON_WAYS.filter((w) => this.deps.verification.includes(w) && (w !== 'verified-id' || this.page));
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
      const who = { agentOid: input.agent.oid, userOid: input.user.oid };
      await this.ledger.audit(who, 'requested', 'refused', `privileged-user: ${roles.join(', ')}`);
      return { ok: false, why: 'privileged', roles };
    }
    const now = this.ledger.now();
    const request: PassRequest = {
      id: randomUUID(),
      at: now,
      expiresAt: now + PASS_REQUEST_LIFETIME_MS,
      agent: input.agent,
      agentRef: input.agentRef,
      user: input.user,
      state: 'attesting',
    };
    await this.ledger.create(request);
    await this.ledger.audit(request, 'requested', 'done', `requested by ${request.agent.oid}`, {
      key: 'requested',
      at: now,
    });
    return { ok: true, request, next: 'attest' };
  }

  /**
   * What the agent checked, and how the person verifies (`way`: one of `personWays`; the first when not given); then
   * the person's verification, the approval (if required) or — in the weaker attestation mode only — the pass.
   */
  async attest(
    id: string,
    agentOid: string | undefined,
    attestation: PassAttestation,
    way?: PersonWay,
  ): Promise<PassResult> {
    const found = await this.open(id, 'attesting');
    if (!found.ok) return found;
    const { request, eTag } = found;
    if (!sameOid(request.agent.oid, agentOid)) return { ok: false, why: 'not-yours' };
    const chosen = way && this.personWays.includes(way) ? way : this.personWays[0];
    // The agent's word is recorded; it verifies the person only where policy explicitly allows the weaker mode.
    if (chosen === 'verified-id' && this.page) {
      const opened = await this.page.open({ ...request, attestation }, eTag);
      if (!opened) return { ok: false, why: 'closed' };
      return { ok: true, request: opened.request, next: 'verifying', link: opened.link };
    }
    if (chosen === 'step-up') return this.chat.askPerson({ ...request, attestation }, eTag);
    if (chosen === 'manager') return this.chat.askManager({ ...request, attestation }, eTag);
    if (!this.deps.verification.includes('attestation')) return { ok: false, why: 'no-way' };
    const now = this.ledger.now();
    const verification = { way: 'attestation' as const, at: now, validUntil: request.expiresAt };
    return this.afterVerified({ ...request, attestation, verification, shownTo: 'agent' }, eTag);
  }

  /** The person verifies themselves, in their own chat (their step-up): the chat way's answer. */
  personVerified(id: string, person: { oid: string }, lang: Lang): Promise<PassResult> {
    return this.chat.personVerified(id, person, lang);
  }

  /** The manager confirmed, after the manager's own step-up. */
  managerConfirmed(id: string, manager: { oid: string }): Promise<PassResult> {
    return this.chat.managerConfirmed(id, manager);
  }

  /** "I didn't ask for this" (the person) or "I can't confirm" (the manager). */
  decline(id: string, presserOid: string | undefined): Promise<PassResult> {
    return this.chat.decline(id, presserOid);
  }

  /** Verified (by the person, or by the agent's word where allowed): the second agent if required, else the pass. */
  private async afterVerified(request: PassRequest, eTag: string): Promise<PassResult> {
    if (!(await this.needsSecondAgent(request))) return this.issue(request, eTag);
    const channel = await this.deps.helpdeskChannel(request);
    if (!channel) return { ok: false, why: 'no-channel' };
    const waiting: PassRequest = { ...request, state: 'awaiting-approval' };
    if (!(await this.ledger.save(waiting, eTag))) return { ok: false, why: 'closed' };
    const messageId = await this.deps.presenter.askApproval(channel, waiting);
    if (messageId)
      await this.ledger.move(
        request.id,
        () => true,
        (r) => ({ ...r, approvalPost: { reference: channel, messageId } }),
      );
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
    const approved = { ...found.request, approver: { ...approver, at: this.ledger.now() } };
    await this.ledger.audit(approved, 'approved', 'done', `approved by ${approver.oid}`, {
      key: 'approved',
      at: approved.approver.at,
    });
    const result = await this.issue(approved, found.eTag);
    if (result.ok || result.why !== 'closed') await this.deps.presenter.approved(approved).catch(() => undefined);
    return result;
  }

  /** "Hide the pass": only whoever it was shown to (a press without an identity hides nothing). */
  async hide(id: string, agentOid: string | undefined): Promise<boolean> {
    const request = await this.ledger.get(id);
    const owner = request?.shownTo === 'person' ? request.user.oid : request?.agent.oid;
    if (!request || !sameOid(agentOid, owner)) return false;
    return this.hideNow(request);
  }

  /** Replaces the card that shows the pass (the owner's press, or the sweep). */
  private async hideNow(request: PassRequest): Promise<boolean> {
    if (!request.shown || request.shown.hidden) return false;
    await this.deps.presenter.hidePass(request);
    await this.ledger.audit(request, 'hidden', 'done', `hidden (${request.shownTo ?? 'agent'})`, {
      key: 'hidden',
      at: this.ledger.now(),
    });
    await this.ledger.move(
      request.id,
      (r) => Boolean(r.shown),
      (r) => ({ ...r, shown: { ...(r.shown as NonNullable<PassRequest['shown']>), hidden: true } }),
    );
    return true;
  }

  /**
   * The sweep: settles requests a crash interrupted (pass-issuing.ts), ends requests nobody finished in time (audited
   * 'expired'), then hides passes on screen for 10 minutes.
   */
  async sweep(): Promise<{ settled: number; hidden: number }> {
    const settled = await this.issuer.settleDue();
    let hidden = 0;
    for (const id of await this.ledger.ids()) {
      await this.expireIfDue(id);
      const request = await this.ledger.get(id);
      if (request?.shown && !request.shown.hidden && request.shown.hideAt <= this.ledger.now())
        if (await this.hideNow(request).catch(() => false)) hidden++;
    }
    return { settled, hidden };
  }

  private async expireIfDue(id: string): Promise<void> {
    const open = (r: PassRequest) =>
      (r.state === 'attesting' || r.state === 'verifying' || r.state === 'awaiting-approval' || r.state === 'ready') &&
      r.expiresAt <= this.ledger.now();
    const expired = await this.ledger.move(id, open, (r) => ({
      ...r,
      state: 'failed',
      detail: `expired while ${r.state}`,
    }));
    if (expired)
      await this.ledger.audit(expired, 'expired', 'expired', expired.detail ?? 'expired', {
        key: 'expired',
        at: expired.expiresAt,
      });
  }

  async get(id: string): Promise<PassRequest | undefined> {
    return this.ledger.get(id);
  }

  private async issue(request: PassRequest, eTag: string): Promise<PassResult> {
    if (request.shownTo === 'page') {
      // Verified on the pass page: the pass is created when that page asks for it, and shown only there.
      const ready: PassRequest = { ...request, state: 'ready' };
      if (!(await this.ledger.save(ready, eTag))) return { ok: false, why: 'closed' };
      await this.deps.presenter
        .tellAgent(ready, 'chat.tap.verifiedIdReady', { score: String(Math.floor(ready.verification?.score ?? 0)) })
        .catch((err) => this.deps.logger.warn({ err, requestId: request.id }, 'the agent could not be told'));
      return { ok: true, request: ready, next: 'ready' };
    }
    const result = await this.issuer.issue(request, eTag, this.reasonOf(request));
    return result.ok ? { ok: true, request: result.request, next: 'issued' } : result;
  }

  private reasonOf(r: PassRequest): string {
    const a = r.attestation;
    const v = r.verification;
    return [
      v ? `verified: ${v.way}${WHO_VERIFIED[v.way]}` : 'verified: -',
      a ? `attested: ${a.method} (${a.note})` : 'attested: -',
      r.approver ? `approved by ${r.approver.oid}` : 'single agent',
      `shown to the ${r.shownTo ?? 'agent'}`,
      `${this.deps.lifetimeMinutes} min, one-time`,
    ].join('; ');
  }

  private async open(
    id: string,
    state: PassRequest['state'],
  ): Promise<{ ok: true; request: PassRequest; eTag: string } | { ok: false; why: PassRefusal }> {
    const found = await this.ledger.getVersioned(id);
    if (!found) return { ok: false, why: 'unknown' };
    if (found.value.state === 'issuing') return { ok: false, why: 'in-progress' };
    if (found.value.state !== state) return { ok: false, why: 'closed' };
    if (found.value.expiresAt <= this.ledger.now()) return { ok: false, why: 'expired' };
    return { ok: true, request: found.value, eTag: found.eTag };
  }
}
