import { AppError, ErrorCodes } from '../errors.js';
import { DEFAULT_LANG, type Lang, t } from '../i18n/i18n.js';

type GraphErrorCode =
  | typeof ErrorCodes.GRAPH_THROTTLED
  | typeof ErrorCodes.GRAPH_UNAVAILABLE
  | typeof ErrorCodes.GRAPH_REFUSED
  | typeof ErrorCodes.GRAPH_NOT_FOUND
  | typeof ErrorCodes.GRAPH_FORBIDDEN
  | typeof ErrorCodes.GRAPH_CLAIMS_CHALLENGE
  | typeof ErrorCodes.GRAPH_AUTH_FAILED;

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

  /** What the user is told, in English (the flow uses userMessageIn with the user's language). */
  get userMessage(): string {
    return this.userMessageIn(DEFAULT_LANG);
  }

  userMessageIn(lang: Lang): string {
    return t(lang, `graph.${this.code as GraphErrorCode}`);
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
