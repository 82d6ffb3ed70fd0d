// The Verified ID way of verifying the person (HELPDESK_VERIFICATION=verified-id), for someone who lost every factor:
// the agent gets a link for the person (once, in their chat); the first browser that opens it owns the page (a cookie,
// kept as a hash); the page asks Verified ID for a VerifiedEmployee presentation with Face Check; the service's signed
// callback (its per-presentation api-key) records the verified state — or the failure, with its reason — and the pass
// is created when that same browser next asks for it, and shown there once. The agent sees "issued, valid until …".
import { randomBytes } from 'node:crypto';
import type { MessageKey } from '../i18n/i18n.js';
import type { Logger } from '../logging.js';
import type { IssueResult } from './pass-issuing.js';
import type { PassLedger, PassRequest } from './pass-ledger.js';
import {
  hashOf,
  keyMatches,
  type PresentationCallback,
  presentationCallback,
  type VerifiedIdClient,
} from './verified-id.js';

/** A presentation request is renewed when less than this is left of it (Verified ID's last 5 minutes by default). */
const RENEW_BEFORE_MS = 30_000;

export interface PassPageDeps {
  ledger: PassLedger;
  client: VerifiedIdClient;
  /** Proofup's public URL of the callback and of the page. */
  publicBaseUrl: string;
  /** How long the person has to verify after the link was made. */
  windowMs: number;
  logger: Logger;
  /** Verified: the second agent (if required), else 'ready'. */
  afterVerified: (request: PassRequest, eTag: string) => Promise<unknown>;
  /** A sentence to the agent's chat. */
  tellAgent: (request: PassRequest, key: MessageKey, values?: Record<string, string>) => Promise<void>;
  /** Creates the pass and hands it to `show` (the page's answer), exactly once. */
  issue: (
    request: PassRequest,
    eTag: string,
    show: (request: PassRequest, pass: string) => Promise<string | undefined>,
  ) => Promise<IssueResult>;
}

/** What the page shows. */
export type PageView =
  | { kind: 'refused'; why: 'unknown' | 'elsewhere' | 'closed' | 'expired' | 'unavailable' | 'shown' }
  | { kind: 'present'; name: string; url: string; qrCode?: string; browser?: string; requestId: string };

/** What the page's poll answers. */
export type PageStatus =
  | { state: 'waiting' | 'retrieved' | 'approval' | 'shown' | 'expired' | 'unknown' | 'elsewhere' }
  | { state: 'failed'; reason: 'face-check' | 'wrong-person' | 'other' }
  | { state: 'pass'; pass: string; validUntil: number }
  | { state: 'not-shown' };

export class PassPage {
  constructor(private readonly deps: PassPageDeps) {}

  /** The agent chose Verified ID: the request waits on the page. Resolves the link, which only the agent is shown. */
  async open(request: PassRequest, eTag: string): Promise<{ request: PassRequest; link: string } | undefined> {
    const token = randomBytes(24).toString('base64url');
    const now = this.deps.ledger.now();
    const waiting: PassRequest = {
      ...request,
      state: 'verifying',
      verifyWay: 'verified-id',
      page: { tokenHash: hashOf(token) },
      verifyBy: Math.min(now + this.deps.windowMs, request.expiresAt),
    };
    if (!(await this.deps.ledger.save(waiting, eTag))) return undefined;
    await this.deps.ledger.audit(waiting, 'verification-sent', 'done', 'verification-sent: verified-id (page link)', {
      key: 'verification-sent',
      at: now,
    });
    return { request: waiting, link: `${this.deps.publicBaseUrl}/verify/${request.id}?t=${token}` };
  }

  /** GET /verify/:id — the first browser with the link owns the page; a presentation request is made or reused. */
  async view(id: string, token: string | undefined, browser: string | undefined): Promise<PageView> {
    const found = await this.deps.ledger.getVersioned(id);
    const request = found?.value;
    if (!request?.page || !token || !keyMatches(token, request.page.tokenHash)) return refused('unknown');
    if (request.state === 'issued' || request.state === 'issuing') return refused('shown');
    if (request.state !== 'verifying') return refused('closed');
    if ((request.verifyBy ?? 0) <= this.deps.ledger.now()) return refused('expired');
    const owner = request.page.browserHash;
    if (owner && !keyMatches(browser, owner)) return refused('elsewhere');
    const newBrowser = owner ? undefined : randomBytes(24).toString('base64url');
    let presentation = request.page.presentation;
    if (!presentation || presentation.expiresAt - RENEW_BEFORE_MS <= this.deps.ledger.now()) {
      try {
        presentation = await this.deps.client.createPresentation({
          state: request.id,
          callbackUrl: `${this.deps.publicBaseUrl}/api/verifiedid/callback`,
          purpose: `The helpdesk (${request.agent.name}) issues you a Temporary Access Pass`,
        });
      } catch (err) {
        this.deps.logger.error({ err, requestId: id }, 'Verified ID did not create a presentation request');
        return refused('unavailable');
      }
    }
    const page = {
      ...request.page,
      presentation,
      ...(newBrowser ? { browserHash: hashOf(newBrowser) } : {}),
    };
    const saved = await this.deps.ledger.move(
      id,
      (r) => r.state === 'verifying' && r.page?.browserHash === owner,
      (r) => ({ ...r, page }),
    );
    if (!saved) return refused('elsewhere'); // another browser claimed it between the read and the write
    return {
      kind: 'present',
      name: request.user.name,
      url: presentation.url,
      requestId: presentation.requestId,
      ...(presentation.qrCode ? { qrCode: presentation.qrCode } : {}),
      ...(newBrowser ? { browser: newBrowser } : {}),
    };
  }

  /** POST /api/verifiedid/callback — resolves the HTTP status to answer. */
  async callback(body: unknown, apiKey: string | undefined): Promise<number> {
    const parsed = presentationCallback.safeParse(body);
    if (!parsed.success) return 400;
    const event = parsed.data;
    const found = await this.deps.ledger.getVersioned(event.state);
    const request = found?.value;
    const presentation = request?.page?.presentation;
    if (!found || !request || !presentation) return 400;
    if (presentation.requestId !== event.requestId || !keyMatches(apiKey, presentation.keyHash)) {
      this.deps.logger.warn(
        { code: 'PROOFUP_VERIFIED_ID_CALLBACK_REFUSED', requestId: request.id },
        'a Verified ID callback without the api-key of the current presentation was refused',
      );
      return 401;
    }
    // A callback for a request that moved on (a retry, a late presentation) is acknowledged and changes nothing.
    if (request.state !== 'verifying') return 200;
    if ((request.verifyBy ?? 0) <= this.deps.ledger.now()) {
      await this.fail(request, 'expired', 'verification-failed: expired', 'expired');
      return 200;
    }
    const judged = this.deps.client.judge(event, request.user);
    if (judged.verdict === 'retrieved') {
      await this.deps.ledger.move(
        request.id,
        (r) => r.state === 'verifying',
        (r) => ({
          ...r,
          page: { ...(r.page as NonNullable<PassRequest['page']>), retrievedAt: this.deps.ledger.now() },
        }),
      );
      return 200;
    }
    if (judged.verdict !== 'verified') {
      if (judged.verdict === 'wrong-person')
        this.deps.logger.warn(
          { code: 'PROOFUP_TAP_WRONG_PERSON', requestId: request.id, userOid: request.user.oid },
          "a Verified ID presentation named someone other than the pass's person",
        );
      await this.fail(request, judged.verdict, `verification-failed: verified-id, ${judged.reason}`, reasonOf(event));
      return 200;
    }
    const now = this.deps.ledger.now();
    const verified: PassRequest = {
      ...request,
      verification: { way: 'verified-id', at: now, validUntil: request.expiresAt, score: judged.score },
      shownTo: 'page',
    };
    await this.deps.ledger.audit(
      request,
      'verified',
      'done',
      `verified: verified-id, VerifiedEmployee, face check ${judged.score.toFixed(1)}`,
      { key: 'verified', at: now },
    );
    await this.deps.afterVerified(verified, found.eTag);
    return 200;
  }

  /** GET /verify/:id/status — the page's poll; when the request is 'ready' the pass is created and answered, once. */
  async status(
    id: string,
    token: string | undefined,
    browser: string | undefined,
    show: (pass: string, validUntil: number) => Promise<void>,
  ): Promise<PageStatus> {
    const found = await this.deps.ledger.getVersioned(id);
    const request = found?.value;
    if (!found || !request?.page || !token || !keyMatches(token, request.page.tokenHash)) return { state: 'unknown' };
    if (!request.page.browserHash || !keyMatches(browser, request.page.browserHash)) return { state: 'elsewhere' };
    switch (request.state) {
      case 'verifying':
        return { state: request.page.retrievedAt ? 'retrieved' : 'waiting' };
      case 'awaiting-approval':
        return { state: 'approval' };
      case 'ready': {
        let answered = false;
        const result = await this.deps.issue(request, found.eTag, async (r, pass) => {
          await show(pass, r.shown?.validUntil ?? 0);
          answered = true;
          return undefined;
        });
        if (answered) return { state: 'shown' }; // the answer is already written
        return result.ok ? { state: 'shown' } : { state: 'not-shown' };
      }
      case 'issuing':
        return { state: 'waiting' };
      case 'issued':
        return { state: 'shown' };
      case 'failed': {
        const detail = request.detail ?? '';
        if (detail.startsWith('expired')) return { state: 'expired' };
        if (detail.startsWith('wrong-person')) return { state: 'failed', reason: 'wrong-person' };
        return { state: 'failed', reason: /face ?check/i.test(detail) ? 'face-check' : 'other' };
      }
      default:
        return { state: 'expired' };
    }
  }

  private async fail(request: PassRequest, why: string, audit: string, told: string): Promise<void> {
    const failed = await this.deps.ledger.move(
      request.id,
      (r) => r.state === 'verifying',
      (r) => ({ ...r, state: 'failed', detail: `${why}: ${audit}` }),
    );
    if (!failed) return;
    await this.deps.ledger.audit(failed, 'verification-failed', why === 'expired' ? 'expired' : 'refused', audit, {
      key: 'verification-failed',
      at: this.deps.ledger.now(),
    });
    const key: MessageKey = why === 'wrong-person' ? 'chat.tap.verifiedIdWrongPerson' : 'chat.tap.verifiedIdFailed';
    await this.deps
      .tellAgent(failed, key, { reason: told })
      .catch((err) => this.deps.logger.warn({ err, requestId: request.id }, 'the agent could not be told'));
  }
}

function refused(why: Extract<PageView, { kind: 'refused' }>['why']): PageView {
  return { kind: 'refused', why };
}

/** What the agent is told about a failed presentation: the service's error code, never claims or scores' evidence. */
function reasonOf(event: PresentationCallback): string {
  return event.error?.code ?? (event.requestStatus === 'presentation_verified' ? 'not accepted' : 'presentation_error');
}
