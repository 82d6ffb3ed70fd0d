// Local stand-ins for the ticket systems escalations go to: a webhook receiver that checks Proofup's HMAC signature as
// the README tells receivers to, and ServiceNow's Table API (basic auth, POST /api/now/table/incident).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface Received {
  body: Record<string, unknown>;
  raw: string;
  headers: IncomingMessage['headers'];
  /** The webhook signature matched and the timestamp was fresh; ServiceNow: the credentials matched. */
  authentic: boolean;
}

export interface StandIn {
  url: string;
  received: Received[];
  /** Called for each request once it is recorded, before the answer: a test may hold it (kill the sender meanwhile). */
  hold?: (received: Received) => Promise<void>;
  close(): Promise<void>;
}

/** HTTP on loopback, or HTTPS with `tls` (what production requires of a webhook URL). */
async function listen(
  handler: (req: IncomingMessage, raw: string) => { status: number; body: unknown },
  tls?: { key: string; cert: string },
): Promise<StandIn> {
  const stand: StandIn = { url: '', received: [], close: async () => {} };
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const answer = handler(req, raw);
    const last = stand.received.at(-1);
    if (last) await stand.hold?.(last);
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  };
  const server: Server = tls ? createHttpsServer(tls, serve) : createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stand.url = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stand.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    });
  return stand;
}

/** Refuses (401) a request whose signature does not match or whose timestamp is more than 5 minutes off. */
export async function startWebhookStandIn(secret: string, tls?: { key: string; cert: string }): Promise<StandIn> {
  let n = 0;
  const tickets = new Map<string, string>();
  const stand = await listen((req, raw) => {
    const timestamp = String(req.headers['x-proofup-timestamp'] ?? '');
    const given = Buffer.from(String(req.headers['x-proofup-signature'] ?? '').replace(/^sha256=/, ''), 'hex');
    const expected = createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest();
    const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300;
    const authentic = fresh && given.length === expected.length && timingSafeEqual(given, expected);
    stand.received.push({ body: JSON.parse(raw || '{}'), raw, headers: req.headers, authentic });
    if (!authentic) return { status: 401, body: { error: 'bad signature' } };
    // As receivers are asked to: the same Idempotency-Key is the same ticket.
    const key = String(req.headers['idempotency-key'] ?? '');
    const reference = (key && tickets.get(key)) || `WH-${++n}`;
    if (key) tickets.set(key, reference);
    return { status: 200, body: { reference } };
  }, tls);
  return stand;
}

export async function startServiceNowStandIn(user: string, password: string): Promise<StandIn> {
  let n = 10000;
  const stand = await listen((req, raw) => {
    const authentic =
      req.headers.authorization === `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` &&
      req.method === 'POST' &&
      req.url === '/api/now/table/incident';
    stand.received.push({ body: JSON.parse(raw || '{}'), raw, headers: req.headers, authentic });
    if (!authentic) return { status: 401, body: { error: { message: 'User Not Authenticated' }, status: 'failure' } };
    n += 1;
    return { status: 201, body: { result: { number: `INC00${n}`, sys_id: `sys-${n}` } } };
  });
  return stand as StandIn;
}
