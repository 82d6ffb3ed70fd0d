import { AppError, ErrorCodes } from '../errors.js';
import { DEFAULT_LANG, type Lang, t } from '../i18n/i18n.js';
import type { StepUpAttempt } from './step-up-types.js';

/** Why a step-up was refused. Stable names: they are logged, tested and mapped to what the user is told. */
export type StepUpReason =
  | 'token-signature'
  | 'token-algorithm'
  | 'token-expired'
  | 'token-not-yet-valid'
  | 'token-audience'
  | 'token-issuer'
  | 'token-tenant'
  | 'token-nonce'
  | 'token-malformed'
  | 'auth-too-old'
  | 'mfa-context-missing'
  | 'mfa-denied'
  | 'sign-in-error'
  | 'sign-in-busy'
  | 'state-unknown'
  | 'state-used'
  | 'state-expired'
  | 'attempt-cancelled'
  | 'attempt-replaced'
  | 'wrong-account'
  | 'code-wrong'
  | 'code-attempts-exhausted'
  | 'nothing-pending'
  | 'binding-method-not-allowed'
  | 'no-chat-identity'
  | 'channel-not-supported'
  | 'slack-user-mismatch'
  /** A Slack sign-in step came from a browser other than the one that opened the link (no or another cookie). */
  | 'browser-mismatch'
  /** The Entra account holder answered "This wasn't me" on the page naming the Slack user to be linked. */
  | 'binding-refused'
  /** The Entra account is bound to another Slack user; its owner or the helpdesk removes that binding first. */
  | 'entra-bound-elsewhere';

export class StepUpError extends AppError {
  /** For 'sign-in-busy': how long Entra asked us to wait (0: try again now). */
  readonly retryAfterSeconds?: number;

  constructor(
    readonly reason: StepUpReason,
    options?: { cause?: unknown; detail?: string; retryAfterSeconds?: number },
  ) {
    super(
      ErrorCodes.STEP_UP_REFUSED,
      `step-up refused: ${reason}${options?.detail ? ` (${options.detail})` : ''}`,
      options,
    );
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  /** What the user is told, in English (chat and pages use userMessageIn with the user's language). */
  get userMessage(): string {
    return this.userMessageIn(DEFAULT_LANG);
  }

  userMessageIn(lang: Lang): string {
    return t(lang, `stepUp.${this.reason}`, { wait: Math.max(0, this.retryAfterSeconds ?? 0) });
  }
}

/** An attempt the chat cancelled or replaced says so, whatever step the browser is at. */
export function endedByChat(attempt: StepUpAttempt): void {
  if (attempt.phase === 'failed' && (attempt.failure === 'attempt-cancelled' || attempt.failure === 'attempt-replaced'))
    throw new StepUpError(attempt.failure);
}
