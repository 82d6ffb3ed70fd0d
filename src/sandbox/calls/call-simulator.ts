// The sandbox's Azure Communication Services Call Automation: the REST calls the real SDK makes (create call, play,
// hang up), checked with the ACS access-key signature like the service does, and the webhook events ACS would send
// back, each signed with a JWT whose keys this simulator publishes (OpenID configuration + JWKS), so the bot's event
// verification runs exactly as in production. Callees behave by the last four digits of their number:
//   …0404 never answers, …0486 is busy, …0500 fails; any other number answers, and what is "read" lands in the outbox.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import type { Logger } from '../../logging.js';
import { DTMF_TONES } from '../../voice/code-caller.js';
import { acsSignatureOk } from '../acs-hmac.js';
import type { TlsMaterial } from '../entra/tls.js';
import { type LoopbackHttpsServer, listenHttps } from '../https-server.js';
import type { Outbox } from '../outbox/outbox.js';

/** How a simulated callee behaves, by the last four digits of the number called. */
export const SIMULATED_CALLEES = {
  '0404': { outcome: 'no-answer', code: 408, subCode: 10004, message: 'The call was not answered.' },
  '0486': { outcome: 'busy', code: 486, subCode: 10486, message: 'The callee is busy.' },
  '0500': { outcome: 'failed', code: 500, subCode: 10500, message: 'The call could not be completed.' },
} as const;

export interface SimulatedCall {
  id: string;
  to: string;
  from: string;
  callbackUri: string;
  state: 'connecting' | 'connected' | 'disconnected' | 'failed';
  /** Digits dialled as DTMF after the call connected (an office extension). */
  extension?: string;
  /** The createCall request's operation context. */
  operationContext?: string;
}

export interface CallSimulatorOptions {
  tls: TlsMaterial;
  port: number;
  accessKey: string;
  /** The simulated resource's immutable id: the audience of every event token. */
  resourceId: string;
  outbox: Outbox;
  logger: Logger;
  /** Ringing and speaking time (ms). */
  delayMs?: number;
  /** Where an event for this callback URI is really delivered (tests: a tunnel from the public URL to the bot). */
  route?: (callbackUri: string) => string;
}

interface EventData {
  resultInformation?: { code: number; subCode: number; message: string };
  operationContext?: string;
}

export class CallSimulator {
  readonly calls = new Map<string, SimulatedCall>();
  /** Every event posted, and how the bot answered it (tests read it). */
  readonly posted: { type: string; callId: string; status: number }[] = [];
  private server: LoopbackHttpsServer | undefined;
  private keys: { privateKey: CryptoKey; jwk: JWK } | undefined;
  private readonly kid = randomUUID();

  constructor(private readonly options: CallSimulatorOptions) {}

  get url(): string {
    return this.server?.url ?? '';
  }

  /** The issuer of its event tokens (as Call Automation's OpenID configuration names its own). */
  get issuer(): string {
    return `${this.url}/calling`;
  }

  async start(): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    this.keys = { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: this.kid, alg: 'RS256', use: 'sig' } };
    this.server = await listenHttps(this.options.tls, this.options.port, (req, res) => {
      this.handle(req, res).catch((err) => {
        this.options.logger.error({ err }, 'call simulator failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    return this.url;
  }

  stop(): Promise<void> {
    return this.server?.stop() ?? Promise.resolve();
  }

  /** A token as Call Automation signs its webhook events (tests also mint forged ones with other keys). */
  async token(overrides: { audience?: string; expiresIn?: string } = {}): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(overrides.audience ?? this.options.resourceId)
      .setIssuedAt()
      .setExpirationTime(overrides.expiresIn ?? '5m')
      .sign((this.keys as { privateKey: CryptoKey }).privateKey);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    const json = (status: number, value?: unknown) => {
      res.writeHead(status, value === undefined ? {} : { 'content-type': 'application/json' });
      res.end(value === undefined ? undefined : JSON.stringify(value));
    };
    if (req.method === 'GET' && path === '/calling/.well-known/acsopenidconfiguration')
      return json(200, { issuer: this.issuer, jwks_uri: `${this.url}/calling/keys` });
    if (req.method === 'GET' && path === '/calling/keys') return json(200, { keys: [this.keys?.jwk] });
    if (!acsSignatureOk(req, raw, this.options.accessKey))
      return json(401, { error: { code: 'Denied', message: 'Denied by the resource provider.' } });
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    if (req.method === 'POST' && path === '/calling/callConnections') return json(201, this.create(body));
    const action = /^\/calling\/callConnections\/([^/:]+):(play|terminate|sendDtmfTones)$/.exec(path);
    const call = action ? this.calls.get(action[1] as string) : undefined;
    if (!action || !call) return json(404, { error: { code: '8522', message: 'Call not found.' } });
    if (action[2] === 'play') {
      json(202);
      return this.play(call, body);
    }
    if (action[2] === 'sendDtmfTones') {
      json(202, { operationContext: body.operationContext });
      return this.dial(call, body);
    }
    json(204);
    return this.hangUp(call);
  }

  private create(body: Record<string, unknown>) {
    const target = (body.targets as { phoneNumber?: { value?: string } }[] | undefined)?.[0]?.phoneNumber?.value ?? '';
    const from = (body.sourceCallerIdNumber as { value?: string } | undefined)?.value ?? '';
    const call: SimulatedCall = {
      id: randomUUID(),
      to: target,
      from,
      callbackUri: String(body.callbackUri ?? ''),
      state: 'connecting',
      // Like ACS: the call's own operation context comes back on its call-level events.
      ...(typeof body.operationContext === 'string' ? { operationContext: body.operationContext } : {}),
    };
    this.calls.set(call.id, call);
    const callee = SIMULATED_CALLEES[target.slice(-4) as keyof typeof SIMULATED_CALLEES];
    this.later(async () => {
      if (callee) {
        call.state = 'failed';
        this.options.outbox.recordCall(call.to, `(${callee.outcome}: ${callee.message})`, '');
        await this.post(call, 'CreateCallFailed', {
          operationContext: call.operationContext,
          resultInformation: { code: callee.code, subCode: callee.subCode, message: callee.message },
        });
        return;
      }
      call.state = 'connected';
      await this.post(call, 'CallConnected', { operationContext: call.operationContext });
    });
    return {
      callConnectionId: call.id,
      serverCallId: randomUUID(),
      correlationId: randomUUID(),
      targets: [{ rawId: `4:${target}`, kind: 'phoneNumber', phoneNumber: { value: target } }],
      sourceCallerIdNumber: { value: from },
      callConnectionState: 'connecting',
      callbackUri: call.callbackUri,
    };
  }

  private play(call: SimulatedCall, body: Record<string, unknown>): void {
    const source = (body.playSources as { text?: { text?: string; sourceLocale?: string } }[] | undefined)?.[0];
    const text = source?.text?.text ?? '';
    const to = call.extension ? `${call.to} ext. ${call.extension}` : call.to;
    this.options.outbox.recordCall(to, text, source?.text?.sourceLocale ?? '');
    this.later(() =>
      this.post(call, text ? 'PlayCompleted' : 'PlayFailed', {
        operationContext: String(body.operationContext ?? ''),
        resultInformation: text
          ? { code: 200, subCode: 0, message: 'Action completed successfully.' }
          : { code: 400, subCode: 8535, message: 'Nothing to play.' },
      }),
    );
  }

  /** An extension dialled after the switchboard answered: remembered, and shown with what is read next. */
  private dial(call: SimulatedCall, body: Record<string, unknown>): void {
    const tones = (body.tones as string[] | undefined) ?? [];
    const digits = tones.map((t) => (DTMF_TONES as readonly string[]).indexOf(t)).join('');
    call.extension = digits;
    this.later(() =>
      this.post(call, digits.includes('-') ? 'SendDtmfTonesFailed' : 'SendDtmfTonesCompleted', {
        operationContext: String(body.operationContext ?? ''),
      }),
    );
  }

  private hangUp(call: SimulatedCall): void {
    call.state = 'disconnected';
    this.later(() => this.post(call, 'CallDisconnected', { operationContext: call.operationContext }));
  }

  private later(work: () => Promise<void>): void {
    setTimeout(() => {
      work().catch((err) => this.options.logger.warn({ err }, 'call simulator could not post an event'));
    }, this.options.delayMs ?? 300);
  }

  /** Posts one event to the call's callback URI, signed as Call Automation signs them. */
  private async post(call: SimulatedCall, type: string, data: EventData): Promise<void> {
    const event = {
      id: randomUUID(),
      source: `calling/callConnections/${call.id}`,
      type: `Microsoft.Communication.${type}`,
      specversion: '1.0',
      datacontenttype: 'application/json',
      time: new Date().toISOString(),
      subject: `calling/callConnections/${call.id}`,
      data: {
        version: '2025-05-15',
        callConnectionId: call.id,
        serverCallId: call.id,
        correlationId: call.id,
        publicEventType: `Microsoft.Communication.${type}`,
        ...data,
      },
    };
    const res = await fetch(this.options.route?.(call.callbackUri) ?? call.callbackUri, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await this.token()}` },
      body: JSON.stringify([event]),
    });
    this.posted.push({ type, callId: call.id, status: res.status });
  }
}
