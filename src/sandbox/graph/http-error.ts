// How the Graph simulator answers an error: Graph's status, code and message (and headers such as Retry-After); and
// reading a request's body as Graph does (a body that is not JSON is Graph's 400).
import type { IncomingMessage } from 'node:http';

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

export async function readRaw(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

export function parseJson(raw: string): Record<string, unknown> {
  try {
    return JSON.parse(raw || '{}') as Record<string, unknown>;
  } catch {
    throw new HttpError(400, 'BadRequest', 'Unable to read JSON request payload.');
  }
}
