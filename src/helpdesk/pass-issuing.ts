// Issuing a Temporary Access Pass so that a crash or a lost answer anywhere leaves no live pass nobody knows of.
// 'issuing' is stored before Graph is asked; 'issued' (Graph's id of the pass, never its value) right after it
// answered; the pass is then shown to the agent and only then counted as on screen. Each move is a compare-and-set
// fenced by the store (the attempt's token, the pass's id), so the sweep and a slow original can never both act:
// - Graph's answer lost (reset, timeout, 5xx): settle by reading the person's passes back and deleting one created
//   since — its value is gone — before anyone is told "nothing was issued".
// - A crash while issuing (the request stays 'issuing' past `settleAfterMs`): the sweep settles it the same way and
//   tells the agent. If the original was only slow, its later 'issued' move fails and it deletes its own pass.
// - Issued but never on screen (the chat refused the card, or a crash before it went out): the pass is withdrawn —
//   deleted in Graph — and the agent told; a deletion that fails is retried by the sweep until it succeeds.
// - Issued and shown: the audit record (idempotent key) and the person's notice (stable ACS request ids) are owed
//   work, redone by the sweep after a crash. A notice redone after ACS's 5-minute window may arrive twice.
import { randomUUID } from 'node:crypto';
import { GraphError } from '../graph/graph-error.js';
import type { MessageKey } from '../i18n/i18n.js';
import type { Logger } from '../logging.js';
import type { Repeatable } from '../messaging/senders.js';
import type { HelpdeskGraph } from './helpdesk-graph.js';
import type { PassLedger, PassRequest } from './pass-ledger.js';

export const PASS_SHOWN_MS = 10 * 60_000;

export type IssueRefusal =
  | 'closed'
  | 'policy'
  | 'forbidden'
  | 'failed'
  /** Graph created a pass but nobody saw it (its answer was lost, or the chat refused it): it was deleted. */
  | 'lost-deleted'
  /** As above, and whether a pass exists could not be settled: the agent must check in the admin center. */
  | 'lost-unknown'
  /** Created, but the chat refused the card that shows it: deleted (or, 'not-shown-pending', still being deleted). */
  | 'not-shown'
  | 'not-shown-pending';

export type IssueResult = { ok: true; request: PassRequest } | { ok: false; why: IssueRefusal; request?: PassRequest };

export interface PassIssuingDeps {
  graph: Pick<HelpdeskGraph, 'createTemporaryAccessPass' | 'temporaryAccessPasses' | 'deleteTemporaryAccessPass'>;
  presenter: {
    showPass(request: PassRequest, pass: string): Promise<string | undefined>;
    hidePass(request: PassRequest): Promise<void>;
    /** A sentence to the issuing agent's chat (outside their turn: after a crash, a failed card, the person's pass). */
    tellAgent(request: PassRequest, key: MessageKey, values?: Record<string, string>): Promise<void>;
  };
  /** Tells the person (e-mail, phones) that a pass was issued; never throws. */
  notify: (request: PassRequest, repeatable: Repeatable) => Promise<{ email: boolean; sms: number }>;
  lifetimeMinutes: number;
  /** After how long an 'issuing' or unshown 'issued' request is taken to be interrupted (≥ the Graph timeout). */
  settleAfterMs: number;
  logger: Logger;
}

/** What the agent is told after the sweep settled an interrupted request. */
const TOLD: Record<'lost-deleted' | 'lost-unknown' | 'none' | 'withdrawn', MessageKey> = {
  'lost-deleted': 'chat.tap.interruptedDeleted',
  'lost-unknown': 'chat.tap.lostUnknown',
  none: 'chat.tap.interruptedNone',
  withdrawn: 'chat.tap.notShownDeleted',
};

export class PassIssuer {
  constructor(
    private readonly deps: PassIssuingDeps,
    private readonly ledger: PassLedger,
  ) {}

  /**
   * Graph creates the pass; it goes to one screen (the presenter's chat card, or `show`: the pass page's answer) and
   * nowhere else. Exactly once per request (CAS).
   */
  async issue(
    request: PassRequest,
    eTag: string,
    reason: string,
    show: (request: PassRequest, pass: string) => Promise<string | undefined> = (r, p) =>
      this.deps.presenter.showPass(r, p),
  ): Promise<IssueResult> {
    const attempt = randomUUID();
    const since = this.ledger.now();
    const issuing: PassRequest = { ...request, state: 'issuing', issuing: { since, attempt }, reason };
    if (!(await this.ledger.save(issuing, eTag))) return { ok: false, why: 'closed' };
    const mine = (r: PassRequest) => r.state === 'issuing' && r.issuing?.attempt === attempt;
    let created: Awaited<ReturnType<PassIssuingDeps['graph']['createTemporaryAccessPass']>>;
    try {
      created = await this.deps.graph.createTemporaryAccessPass(request.user.oid, this.deps.lifetimeMinutes);
    } catch (err) {
      return this.failed(issuing, mine, err);
    }
    const now = this.ledger.now();
    const validUntil = Date.parse(created.startsAt) + created.lifetimeInMinutes * 60_000;
    const shown = { validUntil, hideAt: now + PASS_SHOWN_MS, hidden: false, onScreen: false };
    const stored = await this.ledger.move(request.id, mine, (r) => ({
      ...r,
      state: 'issued',
      passId: created.id,
      shown,
      owed: { audit: true, notify: true },
      ...(created.requestId ? { graphRequestId: created.requestId } : {}),
    }));
    if (!stored) {
      // The sweep took this attempt for interrupted and settled it meanwhile: nobody will see this pass.
      await this.deletePass(issuing, created.id);
      return { ok: false, why: 'lost-deleted', request: issuing };
    }
    let messageId: string | undefined;
    try {
      messageId = await show(stored, created.pass);
    } catch (err) {
      this.deps.logger.error(
        { err, requestId: request.id },
        'the pass could not be shown to the agent; withdrawing it',
      );
      // The agent's turn answers with this (no second message owed).
      const withdrawn = await this.withdraw(stored, false);
      return { ok: false, why: withdrawn ? 'not-shown' : 'not-shown-pending', request: stored };
    }
    const onScreen = await this.ledger.move(
      request.id,
      (r) => r.state === 'issued' && r.passId === created.id,
      (r) => ({
        ...r,
        shown: { ...(r.shown ?? shown), onScreen: true, ...(messageId ? { messageId } : {}) },
        owed: { ...r.owed, shownAudit: true },
      }),
    );
    if (!onScreen) {
      // Withdrawn by the sweep while the card was on its way (the pass no longer works): take it off the screen.
      const onCard = { ...shown, ...(messageId ? { messageId } : {}) };
      await this.deps.presenter.hidePass({ ...stored, shown: onCard }).catch(() => undefined);
      return { ok: false, why: 'lost-deleted', request: stored };
    }
    const finished = await this.finish(onScreen); // 'issued' and 'shown' audited, the person's notice sent
    // Shown to the person who verified: the agent learns only that it was issued, and until when.
    if (onScreen.shownTo === 'person' || onScreen.shownTo === 'page')
      await this.deps.presenter
        .tellAgent(onScreen, onScreen.shownTo === 'page' ? 'chat.tap.issuedOnPage' : 'chat.tap.issuedToPerson')
        .catch((err) => this.deps.logger.warn({ err, requestId: request.id }, 'the agent could not be told'));
    return { ok: true, request: finished };
  }

  /** The sweep: settles interrupted requests, withdraws passes nobody saw, finishes owed work. Resolves how many. */
  async settleDue(): Promise<number> {
    let settled = 0;
    for (const id of await this.ledger.ids()) {
      const request = await this.ledger.get(id);
      if (!request) continue;
      try {
        if (await this.settleOne(request)) settled++;
      } catch (err) {
        this.deps.logger.warn({ err, requestId: id }, 'settling a pass request failed; the next sweep tries again');
      }
    }
    return settled;
  }

  private async settleOne(request: PassRequest): Promise<boolean> {
    const stale = (since: number) => since + this.deps.settleAfterMs <= this.ledger.now();
    if (request.state === 'issuing' && request.issuing && stale(request.issuing.since)) {
      const attempt = request.issuing.attempt;
      const found = await this.settleLostPass(request, request.issuing.since);
      const moved = await this.ledger.move(
        request.id,
        (r) => r.state === 'issuing' && r.issuing?.attempt === attempt,
        (r) => ({
          ...r,
          state: 'failed',
          detail: `interrupted: ${found ?? 'none'}`,
          owed: { tellAgent: TOLD[found ?? 'none'] },
        }),
      );
      if (moved)
        await this.ledger.audit(
          moved,
          found === 'lost-deleted' ? 'deleted' : 'failed',
          'failed',
          `interrupted: ${found ?? 'no pass was created'}`,
          {
            key: 'failed',
            at: request.issuing.since,
          },
        );
      if (moved) await this.finish(moved);
      return Boolean(moved);
    }
    const issuedAt = request.shown ? request.shown.hideAt - PASS_SHOWN_MS : 0;
    if (request.state === 'issued' && request.shown && !request.shown.onScreen && stale(issuedAt)) {
      await this.withdraw(request, true);
      return true;
    }
    // Owed work the original process is not doing any more (it had `settleAfterMs` to finish it itself).
    if (request.owed && Object.values(request.owed).some(Boolean) && stale(request.issuing?.since ?? request.at)) {
      await this.finish(request);
      return true;
    }
    return false;
  }

  /** Graph refused or did not answer: settle by reading back, then the request fails (fenced by this attempt). */
  private async failed(issuing: PassRequest, mine: (r: PassRequest) => boolean, err: unknown): Promise<IssueResult> {
    const status = err instanceof GraphError ? err.status : undefined;
    const refused = status === 400 || status === 403;
    const lost = refused ? undefined : await this.settleLostPass(issuing, issuing.issuing?.since ?? this.ledger.now());
    const why: IssueRefusal = status === 400 ? 'policy' : status === 403 ? 'forbidden' : (lost ?? 'failed');
    const detail = err instanceof GraphError ? `${err.status} ${err.graphCode ?? ''}`.trim() : 'no answer';
    this.deps.logger.warn({ requestId: issuing.id, status }, 'pass not issued');
    const moved = await this.ledger.move(issuing.id, mine, (r) => ({ ...r, state: 'failed', detail }));
    if (!moved) return { ok: false, why: 'closed' }; // the sweep settled it first and tells the agent
    const event = why === 'lost-deleted' ? 'deleted' : 'failed';
    await this.ledger.audit(moved, event, 'failed', `${why}: ${detail}`, { key: 'failed', at: issuing.issuing?.since });
    return { ok: false, why, request: moved };
  }

  /** A pass created (since `askedAt`) whose value nobody has: deleted. Undefined when there was none. */
  private async settleLostPass(
    request: PassRequest,
    askedAt: number,
  ): Promise<'lost-deleted' | 'lost-unknown' | undefined> {
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

  /** Issued, never on screen: withdrawn (fenced), then deleted in Graph (and the agent told). Resolves whether deleted. */
  private async withdraw(request: PassRequest, tellAgent: boolean): Promise<boolean> {
    const moved = await this.ledger.move(
      request.id,
      (r) => r.state === 'issued' && r.passId === request.passId && !r.shown?.onScreen,
      (r) => ({
        ...r,
        state: 'withdrawn',
        owed: { deletePass: true, ...(tellAgent ? { tellAgent: TOLD.withdrawn } : {}) },
      }),
    );
    if (!moved) return false;
    await this.ledger.audit(moved, 'deleted', 'failed', 'not-shown: the pass never reached its viewer; withdrawn', {
      key: 'withdrawn',
      at: this.ledger.now(),
    });
    const after = await this.finish(moved);
    return !after.owed?.deletePass;
  }

  /** Owed work, each part marked done once it is: audit, the person's notice, a deletion, the agent's message. */
  private async finish(request: PassRequest): Promise<PassRequest> {
    let current = request;
    const owed = request.owed ?? {};
    const done = async (part: keyof NonNullable<PassRequest['owed']>) => {
      current =
        (await this.ledger.move(
          request.id,
          (r) => r.state === request.state,
          (r) => ({ ...r, owed: { ...r.owed, [part]: false } }),
        )) ?? current;
    };
    const issuedAt = request.shown ? request.shown.hideAt - PASS_SHOWN_MS : this.ledger.now();
    if (owed.audit) {
      await this.ledger.audit(request, 'issued', 'done', request.reason ?? '', {
        key: 'issued',
        at: issuedAt,
        ...(request.graphRequestId ? { graphRequestId: request.graphRequestId } : {}),
      });
      await done('audit');
    }
    if (owed.shownAudit) {
      const who = request.shownTo ?? 'agent';
      await this.ledger.audit(request, 'shown', 'done', `shown to the ${who}`, { key: 'shown', at: issuedAt + 1 });
      await done('shownAudit');
    }
    if (owed.notify) {
      const told = await this.deps.notify(request, { requestId: request.id, firstSentAt: issuedAt });
      this.deps.logger.info(
        { requestId: request.id, email: told.email, sms: told.sms },
        'pass issued; the person was told',
      );
      await done('notify');
    }
    if (owed.deletePass) {
      const gone = request.passId
        ? await this.deletePass(request, request.passId)
        : (await this.settleLostPass(request, request.issuing?.since ?? 0)) !== 'lost-unknown';
      if (gone) await done('deletePass');
    }
    if (owed.tellAgent) {
      try {
        await this.deps.presenter.tellAgent(request, owed.tellAgent as MessageKey);
        await done('tellAgent');
      } catch (err) {
        this.deps.logger.warn({ err, requestId: request.id }, 'the agent could not be told yet; the sweep tries again');
      }
    }
    return current;
  }

  /** Deletes one pass; a pass already gone counts as deleted. Resolves whether it is gone. */
  private async deletePass(request: PassRequest, passId: string): Promise<boolean> {
    try {
      await this.deps.graph.deleteTemporaryAccessPass(request.user.oid, passId);
      return true;
    } catch (err) {
      if (err instanceof GraphError && err.status === 404) return true;
      this.deps.logger.error(
        { err, requestId: request.id, code: 'PROOFUP_TAP_UNSETTLED' },
        'a pass nobody saw could not be deleted yet; the sweep tries again',
      );
      return false;
    }
  }
}
