// In front of Bolt's HTTPReceiver: a request Bolt cannot handle safely never reaches it. Bolt 5.1 dereferences the
// parsed body without checking it (`body.ssl_check` on a JSON `null` throws inside an async closure: an unhandled
// rejection that ends the process), accepts request timestamps up to 5 minutes in the FUTURE, and routes an
// event_callback without an event or an interaction without a user to listeners that assume them. Here the body is
// read once (with a limit), parsed the way Bolt parses it, and answered 4xx when its shape is not one Slack sends;
// otherwise it is left on the request (`rawBody`, which Bolt reuses) and Bolt verifies the signature as usual.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';

export const SLACK_BODY_LIMIT_BYTES = 1_000_000;
/** Slack signs requests with its send time; one from more than a minute in the future is not Slack's. */
export const MAX_FUTURE_SKEW_SECONDS = 60;

export type GuardVerdict = { ok: true } | { ok: false; status: 400 | 401 | 413; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses like Bolt's parseHTTPRequestBody (form with `payload` JSON, other forms, JSON). Throws on bad JSON. */
export function parseSlackBody(raw: string, contentType: string | undefined): unknown {
  if (contentType === 'application/x-www-form-urlencoded') {
    const form = parseQuery(raw);
    return typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
  }
  return JSON.parse(raw);
}

/** Whether a parsed body has the shape of something Slack sends to the events/interactivity endpoint. */
export function checkSlackBody(body: unknown): GuardVerdict {
  if (!isObject(body)) return { ok: false, status: 400, reason: 'body is not an object' };
  if (body.ssl_check !== undefined || body.type === 'url_verification') return { ok: true };
  const user = body.user;
  const hasUser = isObject(user) && typeof user.id === 'string';
  switch (body.type) {
    case 'event_callback':
      return isObject(body.event) ? { ok: true } : { ok: false, status: 400, reason: 'event_callback without event' };
    case 'block_actions':
      return Array.isArray(body.actions) && body.actions.every(isObject) && hasUser
        ? { ok: true }
        : { ok: false, status: 400, reason: 'block_actions without actions or user' };
    case 'view_submission':
    case 'view_closed':
      return isObject(body.view) && hasUser
        ? { ok: true }
        : { ok: false, status: 400, reason: `${body.type} without view or user` };
    default:
      // Slash commands arrive as a plain form (no type); anything else typed is left to Bolt's own routing.
      return body.type === undefined && typeof body.command === 'string' && typeof body.user_id !== 'string'
        ? { ok: false, status: 400, reason: 'command without user' }
        : { ok: true };
  }
}

/** The request timestamp may be late (Bolt allows 5 minutes) but not from the future. */
export function checkTimestamp(header: string | string[] | undefined, nowMs: number): GuardVerdict {
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  if (Number.isFinite(seconds) && seconds > nowMs / 1000 + MAX_FUTURE_SKEW_SECONDS)
    return { ok: false, status: 401, reason: 'request timestamp in the future' };
  return { ok: true };
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Reads and checks the request; answers it (4xx, no body) and resolves false when Bolt must not see it, else leaves
 * the raw body on the request for Bolt and resolves true. Never rejects.
 */
export async function guardSlackRequest(
  req: IncomingMessage,
  res: ServerResponse,
  refused: (verdict: Extract<GuardVerdict, { ok: false }>) => void,
  now: () => number = Date.now,
): Promise<boolean> {
  let verdict: GuardVerdict = checkTimestamp(req.headers['x-slack-request-timestamp'], now());
  try {
    if (verdict.ok) {
      const raw = await readBody(req, SLACK_BODY_LIMIT_BYTES);
      if (!raw) verdict = { ok: false, status: 413, reason: 'body too large' };
      else {
        (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
        verdict = checkSlackBody(parseSlackBody(raw.toString('utf8'), req.headers['content-type']));
      }
    }
  } catch (err) {
    verdict = { ok: false, status: 400, reason: `unreadable body: ${(err as Error).message.slice(0, 80)}` };
  }
  if (verdict.ok) return true;
  refused(verdict);
  if (!res.headersSent) {
    res.writeHead(verdict.status);
    res.end();
  }
  return false;
}
