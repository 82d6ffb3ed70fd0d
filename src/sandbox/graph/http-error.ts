// How the Graph simulator answers an error: Graph's status, code and message (and headers such as Retry-After).
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Graph's answer when the app's token lacks every role that would allow the call. */
export function requireRole(roles: string[], allowed: string[]): void {
  if (!roles.some((r) => allowed.includes(r)))
    throw new HttpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
}
