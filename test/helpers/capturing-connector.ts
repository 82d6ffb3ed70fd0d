// A local Bot Connector: records what the bot sends back (replies, updates, new conversations) and checks that
// every call carries a bearer token the bot obtained from its credentials factory.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import { type CryptoKey, jwtVerify } from 'jose';

export interface CapturedCall {
  method: string;
  path: string;
  conversationId?: string;
  body: Record<string, unknown>;
  authorized: boolean;
  /** The status the call was refused with (an injected outage), if it was. */
  refused?: number;
}

export interface CapturingConnector {
  serviceUrl: string;
  calls: CapturedCall[];
  /** Delay before answering, to keep turns in flight. */
  delayMs: number;
  /** Called for every call before it is answered: a test may hold it (e.g. kill the bot meanwhile). */
  hold?: (call: CapturedCall) => Promise<void>;
  /** A status to refuse the call with (an outage: 503), or undefined to answer it. Refused calls are recorded too. */
  refuse?: (call: CapturedCall) => number | undefined;
  activities(conversationId?: string): Partial<Activity>[];
  waitFor(predicate: (call: CapturedCall) => boolean, timeoutMs?: number): Promise<CapturedCall>;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export async function startCapturingConnector(verify: {
  key: CryptoKey;
  issuer: string;
  audience: string;
  /** false for the anonymous sandbox profile, whose replies carry no token. */
  requireAuth?: boolean;
  /** Checks a token instead of `key` and `issuer` (tokens another issuer signs, e.g. the simulated Entra ID). */
  check?: (token: string) => Promise<boolean>;
}): Promise<CapturingConnector> {
  const calls: CapturedCall[] = [];
  let seq = 0;
  const state: {
    delayMs: number;
    hold?: (call: CapturedCall) => Promise<void>;
    refuse?: (call: CapturedCall) => number | undefined;
  } = { delayMs: 0 };
  const server: Server = createServer(async (req, res) => {
    const body = await readJson(req);
    if (state.delayMs > 0) await new Promise((r) => setTimeout(r, state.delayMs));
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    let authorized = false;
    if (token) {
      authorized = verify.check
        ? await verify.check(token)
        : await jwtVerify(token, verify.key, { issuer: verify.issuer, audience: verify.audience }).then(
            () => true,
            () => false,
          );
    }
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const conversationId = /^\/v3\/conversations\/([^/]+)/.exec(path)?.[1];
    const call = { method: req.method ?? '', path, conversationId, body, authorized };
    calls.push(call);
    await state.hold?.(call);
    res.setHeader('content-type', 'application/json');
    const refused = state.refuse?.(call);
    if (refused) {
      (call as CapturedCall).refused = refused;
      res.statusCode = refused;
      res.end(JSON.stringify({ error: { code: 'ServiceUnavailable', message: 'The connector is unavailable.' } }));
      return;
    }
    if (!authorized && verify.requireAuth !== false) {
      res.statusCode = 401;
      res.end(JSON.stringify({ error: { code: 'Unauthorized' } }));
      return;
    }
    if (req.method === 'POST' && path === '/v3/conversations') {
      res.end(JSON.stringify({ id: `a:personal-${++seq}`, activityId: `act-${seq}` }));
      return;
    }
    res.end(JSON.stringify({ id: `act-${++seq}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  return {
    serviceUrl,
    calls,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    get hold() {
      return state.hold;
    },
    set hold(fn) {
      state.hold = fn;
    },
    get refuse() {
      return state.refuse;
    },
    set refuse(fn) {
      state.refuse = fn;
    },
    activities(conversationId) {
      return calls
        .filter((c) => c.path.includes('/activities') && (!conversationId || c.conversationId === conversationId))
        .map((c) => c.body as Partial<Activity>);
    },
    async waitFor(predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = calls.find(predicate);
        if (hit) return hit;
        if (Date.now() > deadline)
          throw new Error(`connector saw no matching call; saw ${JSON.stringify(calls.map((c) => c.path))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
