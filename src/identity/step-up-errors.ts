import { AppError, ErrorCodes } from '../errors.js';

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
  | 'channel-not-supported';

const USER_MESSAGES: Record<StepUpReason, string> = {
  'token-signature': "The sign-in response could not be verified, so I didn't accept it.",
  'token-algorithm': "The sign-in response could not be verified, so I didn't accept it.",
  'token-expired': 'The sign-in response had already expired.',
  'token-not-yet-valid': 'The sign-in response is not valid yet (check the server clock).',
  'token-audience': 'The sign-in was made for a different application.',
  'token-issuer': 'The sign-in came from an unexpected identity provider.',
  'token-tenant': 'You signed in with an account from another organisation.',
  'token-nonce': "The sign-in response doesn't belong to this sign-in attempt.",
  'token-malformed': 'The sign-in response was incomplete.',
  'auth-too-old': 'That sign-in was not fresh: you need to sign in again, just now, with MFA.',
  'mfa-context-missing': 'The sign-in did not include the MFA check this change requires.',
  'mfa-denied': 'The MFA request was denied, so you were not signed in.',
  'sign-in-error': 'The sign-in did not complete.',
  'sign-in-busy':
    "Microsoft's sign-in service had a temporary problem, so the sign-in did not complete. Nothing was changed.",
  'state-unknown': "This sign-in link isn't one I issued.",
  'state-used': 'This sign-in link was already used. Each link works once.',
  'state-expired': 'This sign-in link has expired (links last 10 minutes).',
  'attempt-cancelled': 'You cancelled this sign-in in the chat, so this link no longer works.',
  'attempt-replaced':
    'You started a newer sign-in in the chat, so this link no longer works. Use the latest "Sign in" button there.',
  'wrong-account': 'You signed in with a different account than the one you are chatting with.',
  'code-wrong': "That code doesn't match.",
  'code-attempts-exhausted': 'Too many wrong codes, so I ended this sign-in attempt.',
  'nothing-pending': 'There is no sign-in waiting for a code in this chat.',
  'binding-method-not-allowed': 'In Teams, sign-in finishes in the Teams sign-in window, not with a typed code.',
  'no-chat-identity': "This chat can't tell me who you are, so I can't link a sign-in to it.",
  'channel-not-supported': "Verifying who you are isn't supported in this chat app yet. Please use Microsoft Teams.",
};

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

  get userMessage(): string {
    if (this.reason !== 'sign-in-busy') return USER_MESSAGES[this.reason];
    const wait = this.retryAfterSeconds ?? 0;
    return `${USER_MESSAGES[this.reason]} ${wait > 0 ? `Please try again in ${wait} seconds.` : 'Please try again now.'}`;
  }
}
