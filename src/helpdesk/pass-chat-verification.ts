// The chat ways of verifying the person before a Temporary Access Pass: the person's own step-up in their own chat
// ("Verify it's me" / "I didn't ask for this"), or their manager's confirmation in the manager's own chat after the
// manager's own step-up ("I confirm it's them" / "I can't confirm"). Either way the pass then goes to the person's
// chat. The request's lifecycle (approval, issuing, expiry) stays in passes.ts.
import type { ConversationReference } from 'botbuilder';
import type { Lang } from '../i18n/i18n.js';
import { sameOid } from '../identity/same-oid.js';
import type { Logger } from '../logging.js';
import type { HelpdeskGraph } from './helpdesk-graph.js';
import type { PassLedger, PassRequest } from './pass-ledger.js';
import type { PassPresenter, PassRefusal, PassResult } from './pass-types.js';

/** How long the person (or manager) has to verify after the request reaches their chat. */
export const VERIFY_WINDOW_MS = 15 * 60_000;

export interface ChatVerificationDeps {
  ledger: PassLedger;
  graph: Pick<HelpdeskGraph, 'managerOf'>;
  presenter: Pick<PassPresenter, 'askPerson' | 'askManager' | 'tellAgent'>;
  personalChatOf: (oid: string) => Promise<Partial<ConversationReference> | undefined>;
  logger: Logger;
  /** The request while it is 'verifying' (and not expired), with its eTag; else the refusal. */
  open: (id: string) => Promise<{ ok: true; request: PassRequest; eTag: string } | { ok: false; why: PassRefusal }>;
  /** Verified: the second agent (if required), else the pass. */
  afterVerified: (request: PassRequest, eTag: string) => Promise<PassResult>;
}

export class ChatVerification {
  constructor(private readonly deps: ChatVerificationDeps) {}

  /** The person is asked, in their own chat, to verify with their own step-up; the pass then goes to them there. */
  async askPerson(request: PassRequest, eTag: string): Promise<PassResult> {
    const personRef = await this.deps.personalChatOf(request.user.oid);
    if (!personRef) {
      await this.deps.ledger.audit(
        request,
        'verification-failed',
        'refused',
        'verification-failed: the person has no chat with the bot',
      );
      return { ok: false, why: 'no-person-chat', request };
    }
    const now = this.deps.ledger.now();
    const waiting: PassRequest = {
      ...request,
      state: 'verifying',
      verifyWay: 'step-up',
      personRef,
      verifyBy: Math.min(now + VERIFY_WINDOW_MS, request.expiresAt),
    };
    if (!(await this.deps.ledger.save(waiting, eTag))) return { ok: false, why: 'closed' };
    try {
      await this.deps.presenter.askPerson(waiting);
    } catch (err) {
      this.deps.logger.warn({ err, requestId: request.id }, 'the verification request could not be delivered');
      await this.deps.ledger.move(
        request.id,
        (r) => r.state === 'verifying',
        (r) => ({ ...r, state: 'failed', detail: 'not-delivered' }),
      );
      await this.deps.ledger.audit(
        waiting,
        'verification-failed',
        'failed',
        'verification-failed: the request could not be delivered',
      );
      return { ok: false, why: 'no-person-chat', request };
    }
    await this.deps.ledger.audit(waiting, 'verification-sent', 'done', 'verification-sent: step-up', {
      key: 'verification-sent',
      at: now,
    });
    return { ok: true, request: waiting, next: 'verifying' };
  }

  /**
   * The person's manager confirms, in the manager's own chat after the manager's own step-up; the pass then goes to
   * the person in their own chat. Refused when the directory names no manager, when the manager is the asking agent
   * (one person would be both), or when either has no chat with the bot.
   */
  async askManager(request: PassRequest, eTag: string): Promise<PassResult> {
    const refuse = async (why: PassRefusal, reason: string): Promise<PassResult> => {
      await this.deps.ledger.audit(request, 'verification-failed', 'refused', `verification-failed: ${reason}`);
      return { ok: false, why, request };
    };
    const manager = await this.deps.graph.managerOf(request.user.oid);
    if (!manager) return refuse('no-manager', 'the directory names no manager');
    if (sameOid(manager.oid, request.agent.oid)) return refuse('manager-is-agent', 'the manager is the asking agent');
    const ref = await this.deps.personalChatOf(manager.oid);
    if (!ref) return refuse('no-manager-chat', 'the manager has no chat with the bot');
    const personRef = await this.deps.personalChatOf(request.user.oid);
    if (!personRef) return refuse('no-person-chat', 'the person has no chat with the bot');
    const now = this.deps.ledger.now();
    const waiting: PassRequest = {
      ...request,
      state: 'verifying',
      verifyWay: 'manager',
      manager: { oid: manager.oid, name: manager.name, ref },
      personRef,
      verifyBy: Math.min(now + VERIFY_WINDOW_MS, request.expiresAt),
    };
    if (!(await this.deps.ledger.save(waiting, eTag))) return { ok: false, why: 'closed' };
    try {
      await this.deps.presenter.askManager(waiting);
    } catch (err) {
      this.deps.logger.warn(
        { err, requestId: request.id },
        "the manager's confirmation request could not be delivered",
      );
      await this.deps.ledger.move(
        request.id,
        (r) => r.state === 'verifying',
        (r) => ({ ...r, state: 'failed', detail: 'not-delivered' }),
      );
      return refuse('no-manager-chat', 'the request could not be delivered to the manager');
    }
    await this.deps.ledger.audit(waiting, 'verification-sent', 'done', `verification-sent: manager (${manager.oid})`, {
      key: 'verification-sent',
      at: now,
    });
    return { ok: true, request: waiting, next: 'verifying' };
  }

  /** The manager completed their own step-up for this request (`oid` from the verified ID token only). */
  async managerConfirmed(id: string, manager: { oid: string }): Promise<PassResult> {
    const found = await this.deps.open(id);
    if (!found.ok) return found;
    const { request, eTag } = found;
    if (request.verifyWay !== 'manager') return { ok: false, why: 'closed' };
    if (!request.manager || !sameOid(request.manager.oid, manager.oid)) {
      this.deps.logger.warn(
        { code: 'PROOFUP_TAP_WRONG_PERSON', requestId: id, userOid: request.user.oid },
        "a manager's confirmation was completed by someone other than the manager",
      );
      await this.deps.ledger.audit(request, 'verification-failed', 'refused', 'verification-failed: wrong manager');
      return { ok: false, why: 'wrong-person' };
    }
    const now = this.deps.ledger.now();
    if ((request.verifyBy ?? 0) <= now) {
      await this.deps.ledger.audit(request, 'verification-failed', 'expired', 'verification-failed: expired');
      return { ok: false, why: 'expired' };
    }
    const verification = { way: 'manager' as const, oid: manager.oid, at: now, validUntil: request.expiresAt };
    await this.deps.ledger.audit(
      request,
      'verified',
      'done',
      `verified: manager ${manager.oid} after their own step-up`,
      {
        key: 'verified',
        at: now,
      },
    );
    return this.deps.afterVerified({ ...request, verification, shownTo: 'person' }, eTag);
  }

  /**
   * The person completed their own step-up for this request (`oid` from the verified ID token only). Refused for
   * anyone else, after the window, or once the request moved on; then the approval (if required) or the pass.
   */
  async personVerified(id: string, person: { oid: string }, lang: Lang): Promise<PassResult> {
    const found = await this.deps.open(id);
    if (!found.ok) return found;
    const { request, eTag } = found;
    // The way the agent chose is the only one that counts for this request.
    if (request.verifyWay === 'verified-id' || request.verifyWay === 'manager') return { ok: false, why: 'closed' };
    if (!sameOid(request.user.oid, person.oid)) {
      this.deps.logger.warn(
        { code: 'PROOFUP_TAP_WRONG_PERSON', requestId: id, userOid: request.user.oid },
        'a pass verification was completed by someone other than the person',
      );
      await this.deps.ledger.audit(
        request,
        'verification-failed',
        'refused',
        `verification-failed: wrong person (${person.oid})`,
      );
      return { ok: false, why: 'wrong-person' };
    }
    const now = this.deps.ledger.now();
    if ((request.verifyBy ?? 0) <= now) {
      await this.deps.ledger.audit(request, 'verification-failed', 'expired', 'verification-failed: expired');
      return { ok: false, why: 'expired' };
    }
    const verification = { way: 'step-up' as const, oid: person.oid, at: now, validUntil: request.expiresAt };
    await this.deps.ledger.audit(request, 'verified', 'done', 'verified: step-up by the person', {
      key: 'verified',
      at: now,
    });
    return this.deps.afterVerified({ ...request, verification, shownTo: 'person', personLang: lang }, eTag);
  }

  /** "I didn't ask for this" in the person's chat: nothing is issued, the agent is told, the request flagged. */
  async decline(id: string, presserOid: string | undefined): Promise<PassResult> {
    const found = await this.deps.open(id);
    if (!found.ok) return found;
    const decider = found.request.verifyWay === 'manager' ? found.request.manager?.oid : found.request.user.oid;
    if (!presserOid || !sameOid(decider, presserOid)) return { ok: false, why: 'not-yours' };
    const byManager = found.request.verifyWay === 'manager';
    const declined = await this.deps.ledger.move(
      id,
      (r) => r.state === 'verifying',
      (r) => ({ ...r, state: 'failed', detail: 'declined' }),
    );
    if (!declined) return { ok: false, why: 'closed' };
    this.deps.logger.warn(
      { code: 'PROOFUP_TAP_DECLINED', requestId: id, agentOid: declined.agent.oid, userOid: declined.user.oid },
      'a person said they did not ask for a Temporary Access Pass',
    );
    await this.deps.ledger.audit(
      declined,
      'verification-failed',
      'refused',
      byManager
        ? 'verification-failed: the manager could not confirm (flagged)'
        : 'verification-failed: declined by the person (flagged)',
    );
    const told = byManager ? 'chat.tap.managerDeclinedToAgent' : 'chat.tap.declinedToAgent';
    await this.deps.presenter.tellAgent(declined, told).catch(() => undefined);
    return { ok: true, request: declined, next: 'verifying' };
  }
}
