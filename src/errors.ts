/** Stable error codes. Each has a message a user can act on; the code is what operators search logs for. */
export const ErrorCodes = {
  STORAGE_CONFLICT: 'PROOFUP_STORAGE_CONFLICT',
  STORAGE_UNAVAILABLE: 'PROOFUP_STORAGE_UNAVAILABLE',
  STORAGE_LOCKED: 'PROOFUP_STORAGE_LOCKED',
  CARD_TEMPLATE_MISSING: 'PROOFUP_CARD_TEMPLATE_MISSING',
  BOT_AUTH_REJECTED: 'PROOFUP_BOT_AUTH_REJECTED',
  BAD_ACTIVITY: 'PROOFUP_BAD_ACTIVITY',
  TURN_FAILED: 'PROOFUP_TURN_FAILED',
  SANDBOX_START_FAILED: 'PROOFUP_SANDBOX_START_FAILED',
  STEP_UP_REFUSED: 'PROOFUP_STEP_UP_REFUSED',
  STEP_UP_UNAVAILABLE: 'PROOFUP_STEP_UP_UNAVAILABLE',
  GRAPH_THROTTLED: 'PROOFUP_GRAPH_THROTTLED',
  GRAPH_UNAVAILABLE: 'PROOFUP_GRAPH_UNAVAILABLE',
  GRAPH_REFUSED: 'PROOFUP_GRAPH_REFUSED',
  GRAPH_NOT_FOUND: 'PROOFUP_GRAPH_NOT_FOUND',
  GRAPH_FORBIDDEN: 'PROOFUP_GRAPH_FORBIDDEN',
  GRAPH_CLAIMS_CHALLENGE: 'PROOFUP_GRAPH_CLAIMS_CHALLENGE',
  GRAPH_AUTH_FAILED: 'PROOFUP_GRAPH_AUTH_FAILED',
  MESSAGE_NOT_SENT: 'PROOFUP_MESSAGE_NOT_SENT',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

export function isAppError(err: unknown, code?: ErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}
