// A local HTTPS stand-in for Azure Communication Services SMS and Email: checks the HMAC request signature as ACS does,
// answers in ACS's shapes (accepted, rejected, async e-mail operation) and honours "repeatable requests" as ACS
// documents them: the same Repeatability-Request-Id (e-mail: header; SMS: per recipient in the body) within 5 minutes
// of its Repeatability-First-Sent is accepted once; older first-sent values are refused with 412.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { acsSignatureOk } from '../../src/sandbox/acs-hmac.js';
import type { TlsMaterial } from '../../src/sandbox/entra/tls.js';
import { type LoopbackHttpsServer, listenHttps } from '../../src/sandbox/https-server.js';

export const ACS_KEY = Buffer.from('offline-acs-access-key').toString('base64');
const WINDOW_MS = 5 * 60_000;

export interface AcsMessage {
  kind: 'sms' | 'email';
  to: string;
  text: string;
  repeatabilityId?: string;
  at: number;
}

export interface AcsStandIn {
  url: string;
  connectionString: string;
  /** Every request as received (path, parsed body, headers, whether the signature was right). */
  requests: { path: string; body: Record<string, unknown>; headers: IncomingMessage['headers']; signed: boolean }[];
  /** Messages accepted for delivery (a repeated request is not delivered twice). */
  messages: AcsMessage[];
  rejectSms: boolean;
  /** An outage: every request is answered 503 (nothing is accepted) while true. */
  unavailable?: boolean;
  /** Called once a message is accepted, before the answer: a test may hold it (e.g. to kill the sender meanwhile). */
  hold?: (message: AcsMessage) => Promise<void>;
  stop(): Promise<void>;
}

function signatureOk(req: IncomingMessage, body: string): boolean {
  return acsSignatureOk(req, body, ACS_KEY);
}

export async function startAcsStandIn(tls: TlsMaterial): Promise<AcsStandIn> {
  const seen = new Map<string, string>();
  const operations = new Set<string>();
  let server: LoopbackHttpsServer | undefined;

  /** undefined: deliver; a string: already accepted under this id; 412: first sent too long ago. */
  const repeat = (id: string | undefined, firstSent: string | undefined): string | 412 | undefined => {
    if (!id) return undefined;
    if (!firstSent || Date.now() - Date.parse(firstSent) > WINDOW_MS) return 412;
    return seen.get(id);
  };

  const standIn: AcsStandIn = {
    url: '',
    connectionString: '',
    requests: [],
    messages: [],
    rejectSms: false,
    stop: () => server?.stop() ?? Promise.resolve(),
  };

  async function accept(message: AcsMessage, resultId: string): Promise<void> {
    standIn.messages.push(message);
    if (message.repeatabilityId) seen.set(message.repeatabilityId, resultId);
    await standIn.hold?.(message);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const signed = signatureOk(req, raw);
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    standIn.requests.push({ path: req.url ?? '', body, headers: req.headers, signed });
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(value));
    };
    if (standIn.unavailable)
      return json(503, { error: { code: 'ServiceUnavailable', message: 'The service is temporarily unavailable.' } });
    if (!signed) return json(401, { error: { code: 'Denied', message: 'Denied by the resource provider.' } });
    if (req.url?.startsWith('/sms')) {
      const recipient = (body.smsRecipients as Record<string, string>[])[0] ?? {};
      const to = recipient.to ?? '';
      if (standIn.rejectSms)
        return json(202, {
          value: [{ to, httpStatusCode: 400, successful: false, errorMessage: 'Invalid To phone number format.' }],
        });
      const earlier = repeat(recipient.repeatabilityRequestId, recipient.repeatabilityFirstSent);
      if (earlier === 412)
        return json(202, {
          value: [{ to, httpStatusCode: 412, successful: false, errorMessage: 'Precondition failed' }],
        });
      const messageId = earlier ?? `sms-${randomUUID()}`;
      if (!earlier)
        await accept(
          {
            kind: 'sms',
            to,
            text: String(body.message),
            repeatabilityId: recipient.repeatabilityRequestId,
            at: Date.now(),
          },
          messageId,
        );
      return json(202, { value: [{ to, messageId, httpStatusCode: 202, successful: true }] });
    }
    if (req.url?.startsWith('/emails:send')) {
      const id = req.headers['repeatability-request-id'] as string | undefined;
      const earlier = repeat(id, req.headers['repeatability-first-sent'] as string | undefined);
      if (earlier === 412)
        return json(412, { error: { code: 'PreconditionFailed', message: 'First sent too long ago.' } });
      // ACS names the operation after the client's operation-id header when there is one (status read-back).
      const operation = earlier ?? (req.headers['operation-id'] as string | undefined) ?? randomUUID();
      if (!earlier) {
        operations.add(operation);
        const to = ((body.recipients as { to: { address: string }[] }).to[0] as { address: string }).address;
        await accept(
          {
            kind: 'email',
            to,
            text: String((body.content as { plainText?: string }).plainText),
            repeatabilityId: id,
            at: Date.now(),
          },
          operation,
        );
      }
      return json(
        202,
        { id: operation, status: 'Running' },
        {
          'operation-location': `${standIn.url}/emails/operations/${operation}?api-version=2025-09-01`,
          'retry-after': '0',
        },
      );
    }
    const op = /^\/emails\/operations\/([^?]+)/.exec(req.url ?? '')?.[1];
    if (op && operations.has(op)) return json(200, { id: op, status: 'Succeeded' });
    return json(404, {});
  }

  server = await listenHttps(tls, 0, (req, res) => void handle(req, res));
  standIn.url = server.url;
  standIn.connectionString = `endpoint=${server.url}/;accesskey=${ACS_KEY}`;
  return standIn;
}
