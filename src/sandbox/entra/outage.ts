// Entra's token endpoint failing as it does in real outages, for tests: a status (500, 503, 429 with an optional
// Retry-After), or 'reset' — the connection dropped before any answer, as a server closing a keep-alive socket just as
// a request arrives (optionally only on a socket that already carried a request).
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface TokenFault {
  status: number | 'reset';
  retryAfterSeconds?: number;
  onReusedSocketOnly?: boolean;
}

export class TokenOutage {
  /** Played in order, one per token request. */
  readonly faults: TokenFault[] = [];

  /** Answers the request with the next fault, if one applies; true when it did. */
  async answer(req: IncomingMessage, res: ServerResponse, reusedSocket: boolean): Promise<boolean> {
    const fault = this.faults[0];
    if (!fault || (fault.onReusedSocketOnly && !reusedSocket)) return false;
    this.faults.shift();
    for await (const _chunk of req); // the body is read, as a server would
    if (fault.status === 'reset') {
      req.socket.destroy();
      return true;
    }
    const headers = fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
    res.writeHead(fault.status, { 'content-type': 'application/json', ...headers });
    res.end(
      JSON.stringify({
        error: fault.status === 429 ? 'temporarily_unavailable' : 'server_error',
        error_description: `AADSTS90033: A transient error has occurred. Please try again. (HTTP ${fault.status})`,
        error_codes: [90033],
      }),
    );
    return true;
  }
}
