import { AppError, ErrorCodes } from '../errors.js';

type GraphErrorCode =
  | typeof ErrorCodes.GRAPH_THROTTLED
  | typeof ErrorCodes.GRAPH_UNAVAILABLE
  | typeof ErrorCodes.GRAPH_REFUSED
  | typeof ErrorCodes.GRAPH_NOT_FOUND
  | typeof ErrorCodes.GRAPH_FORBIDDEN
  | typeof ErrorCodes.GRAPH_CLAIMS_CHALLENGE
  | typeof ErrorCodes.GRAPH_AUTH_FAILED;

const USER_MESSAGES: Record<GraphErrorCode, string> = {
  PROOFUP_GRAPH_THROTTLED:
    'Microsoft is limiting requests right now. Nothing was changed; please try again in a few minutes.',
  PROOFUP_GRAPH_UNAVAILABLE:
    "Microsoft's security-info service didn't answer. Nothing was changed; please try again later.",
  PROOFUP_GRAPH_REFUSED: 'Microsoft refused this change.',
  PROOFUP_GRAPH_NOT_FOUND:
    "Microsoft couldn't find that security-info method any more; it may have just changed. Please start again.",
  PROOFUP_GRAPH_FORBIDDEN:
    "Proofup isn't allowed to change security info in your organisation. Please contact the helpdesk.",
  PROOFUP_GRAPH_CLAIMS_CHALLENGE: 'Microsoft asks for an extra sign-in check before this change. Please verify again.',
  PROOFUP_GRAPH_AUTH_FAILED: "Proofup couldn't sign in to Microsoft Graph. Please contact the helpdesk.",
};

/** A failed Graph call, with Graph's own code and request id (for the audit and for Microsoft support). */
export class GraphError extends AppError {
  constructor(
    code: GraphErrorCode,
    readonly status: number,
    readonly graphCode: string | undefined,
    readonly requestId: string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }

  get userMessage(): string {
    return USER_MESSAGES[this.code as GraphErrorCode];
  }

  static fromStatus(
    status: number,
    graphCode: string | undefined,
    requestId: string | undefined,
    message: string,
  ): GraphError {
    const code: GraphErrorCode =
      status === 429
        ? ErrorCodes.GRAPH_THROTTLED
        : status >= 500
          ? ErrorCodes.GRAPH_UNAVAILABLE
          : status === 404
            ? ErrorCodes.GRAPH_NOT_FOUND
            : status === 401
              ? ErrorCodes.GRAPH_AUTH_FAILED
              : status === 403 && /insufficient_claims|claims/i.test(message)
                ? ErrorCodes.GRAPH_CLAIMS_CHALLENGE
                : status === 403
                  ? ErrorCodes.GRAPH_FORBIDDEN
                  : ErrorCodes.GRAPH_REFUSED;
    return new GraphError(code, status, graphCode, requestId, `Graph ${status} ${graphCode ?? ''}: ${message}`);
  }
}
