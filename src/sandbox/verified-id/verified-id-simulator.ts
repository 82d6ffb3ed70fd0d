// Microsoft Entra Verified ID's Request Service, simulated, with a stand-in for Microsoft Authenticator's wallet:
// - POST /v1.0/verifiableCredentials/createPresentationRequest — app-only bearer token for the Request Service
//   (audience 3db474b9-…), the verifier's authority, a callback, one requested credential with Face Check's
//   threshold (50..100); answers 201 { requestId, url (openid-vc://…), expiry (seconds), qrCode } as the service does,
//   and 401/400 with the service's error shape otherwise.
// - GET/POST /wallet/:requestId — the sandbox's Authenticator: whose VerifiedEmployee credential is shared, whether the
//   face matches; then the callbacks the service sends: request_retrieved, then presentation_verified (the credential's
//   claims, its state, faceCheck.matchConfidenceScore) or presentation_error (the face did not match, or cancelled),
//   each with the callback's headers (the api-key) exactly as given.
// Differences from the real service, on purpose: it accepts an http:// callback on loopback (the sandbox bot has no
// TLS); a failed face check is sent as presentation_error code "faceCheckFailed" (the real service's wording is not
// documented — Proofup refuses both that and a low score in a verified presentation).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEMO_USERS } from '../entra/demo-directory.js';
import { escapeHtml } from '../entra/html.js';
import type { TlsMaterial } from '../entra/tls.js';
import { type LoopbackHttpsServer, listenHttps } from '../https-server.js';

const LIFETIME_S = 300;

interface PendingPresentation {
  requestId: string;
  callback: { url: string; state: string; headers: Record<string, string> };
  threshold: number;
  issuer: string;
  expiresAt: number;
  done: boolean;
}

export interface WalletChoice {
  /** Whose VerifiedEmployee credential the wallet holds (their UPN). */
  upn: string;
  /** Face Check's match confidence (0..100): at or above the request's threshold passes. */
  score: number;
  cancel?: boolean;
}

export class VerifiedIdSimulator {
  private server?: LoopbackHttpsServer;
  readonly presentations = new Map<string, PendingPresentation>();
  /** Every callback sent: status, what Proofup answered. */
  readonly callbacks: { requestStatus: string; answered: number }[] = [];

  constructor(
    private readonly tls: TlsMaterial,
    private readonly verifyToken: (token: string) => Promise<string[] | undefined>,
    private readonly options: {
      authority: string;
      /** Rewrites a callback URL (tests: to the in-process bot). */
      route?: (url: string) => string;
      now?: () => number;
    },
  ) {}

  get url(): string {
    return this.server?.url ?? '';
  }

  async start(port = 0): Promise<string> {
    this.server = await listenHttps(this.tls, port, (req, res) => {
      this.handle(req, res).catch(() => send(res, 500, { error: { code: 'internalError', message: 'sandbox' } }));
    });
    return this.server.url;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://x');
    const body = await readBody(req);
    if (req.method === 'POST' && url.pathname === '/v1.0/verifiableCredentials/createPresentationRequest')
      return this.create(req, body, res);
    const wallet = /^\/wallet\/([0-9a-f-]{36})$/.exec(url.pathname);
    if (wallet && req.method === 'GET') return this.walletPage(wallet[1] as string, res);
    if (wallet && req.method === 'POST') {
      const form = new URLSearchParams(body);
      const match = form.get('face') !== 'no';
      const outcome = await this.present(wallet[1] as string, {
        upn: form.get('upn') ?? '',
        score: match ? 93.4 : 28.1,
        cancel: form.get('decision') === 'cancel',
      });
      return html(res, 200, `<h1>Microsoft Authenticator (sandbox)</h1><p id="outcome">${escapeHtml(outcome)}</p>`);
    }
    send(res, 404, { error: { code: 'notFound', message: 'No such endpoint.' } });
  }

  private async create(req: IncomingMessage, raw: string, res: ServerResponse): Promise<void> {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !(await this.verifyToken(bearer)))
      return send(res, 401, { error: { code: 'Unauthorized', message: 'The access token is missing or invalid.' } });
    let body: {
      authority?: string;
      callback?: { url?: string; state?: string; headers?: Record<string, string> };
      requestedCredentials?: {
        type?: string;
        acceptedIssuers?: string[];
        configuration?: { validation?: { faceCheck?: { matchConfidenceThreshold?: number } } };
      }[];
    };
    try {
      body = JSON.parse(raw);
    } catch {
      return badField(res, 'body');
    }
    if (body.authority !== this.options.authority) return badField(res, 'authority');
    const callback = body.callback;
    if (!callback?.url || !callback.state || !/^(https:|http:\/\/127\.0\.0\.1[:/])/.test(callback.url))
      return badField(res, 'callback');
    const credential = body.requestedCredentials?.[0];
    if (!credential?.type) return badField(res, 'requestedCredentials');
    const threshold = credential.configuration?.validation?.faceCheck?.matchConfidenceThreshold;
    if (threshold !== undefined && (threshold < 50 || threshold > 100))
      return badField(res, 'faceCheck.matchConfidenceThreshold');
    const requestId = randomUUID();
    const expiry = Math.floor(this.now() / 1000) + LIFETIME_S;
    this.presentations.set(requestId, {
      requestId,
      callback: { url: callback.url, state: callback.state, headers: callback.headers ?? {} },
      threshold: threshold ?? 70,
      issuer: credential.acceptedIssuers?.[0] ?? this.options.authority,
      expiresAt: expiry * 1000,
      done: false,
    });
    const requestUri = `${this.url}/v1.0/verifiableCredentials/presentationRequests/${requestId}`;
    send(res, 201, {
      requestId,
      url: `openid-vc://?request_uri=${encodeURIComponent(requestUri)}`,
      expiry,
      qrCode: `data:image/svg+xml;base64,${Buffer.from(qrStandIn(requestId)).toString('base64')}`,
    });
  }

  /** What the wallet does for a request: the callbacks, as the service sends them. Resolves a line for the page. */
  async present(requestId: string, choice: WalletChoice): Promise<string> {
    const p = this.presentations.get(requestId);
    if (!p || p.done) return 'This request is unknown or already answered.';
    if (p.expiresAt <= this.now()) return 'This request has expired.';
    p.done = true;
    await this.callback(p, { requestStatus: 'request_retrieved' });
    if (choice.cancel) {
      await this.callback(p, { requestStatus: 'presentation_error', error: { code: 'userCanceled', message: 'x' } });
      return 'Cancelled: nothing was shared.';
    }
    if (choice.score < p.threshold) {
      await this.callback(p, {
        requestStatus: 'presentation_error',
        error: { code: 'faceCheckFailed', message: 'The face check did not reach the match confidence threshold.' },
      });
      return 'The face check did not pass.';
    }
    const person = DEMO_USERS.find((u) => u.upn === choice.upn);
    const [givenName, ...rest] = (person?.name ?? 'Unknown Person').split(' ');
    await this.callback(p, {
      requestStatus: 'presentation_verified',
      subject: `did:web:wallet.sandbox:${randomUUID()}`,
      verifiedCredentialsData: [
        {
          issuer: p.issuer,
          type: ['VerifiableCredential', 'VerifiedEmployee'],
          claims: {
            displayName: person?.name ?? 'Unknown Person',
            givenName: givenName ?? '',
            surname: rest.join(' '),
            mail: choice.upn,
            revocationId: choice.upn,
            jobTitle: 'Employee',
            preferredLanguage: 'en-US',
          },
          credentialState: { revocationStatus: 'VALID' },
          faceCheck: { matchConfidenceScore: choice.score },
        },
      ],
    });
    return 'Shared: your VerifiedEmployee credential was presented.';
  }

  private async callback(p: PendingPresentation, event: Record<string, unknown>): Promise<void> {
    const target = this.options.route ? this.options.route(p.callback.url) : p.callback.url;
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...p.callback.headers },
      body: JSON.stringify({ requestId: p.requestId, state: p.callback.state, ...event }),
    }).catch(() => undefined);
    this.callbacks.push({ requestStatus: String(event.requestStatus), answered: res?.status ?? 0 });
  }

  private walletPage(requestId: string, res: ServerResponse): void {
    const p = this.presentations.get(requestId);
    if (!p || p.done || p.expiresAt <= this.now())
      return html(
        res,
        410,
        '<h1>Microsoft Authenticator (sandbox)</h1><p>This request has expired or was answered.</p>',
      );
    const people = DEMO_USERS.map((u) => `<option value="${escapeHtml(u.upn)}">${escapeHtml(u.name)}</option>`);
    html(
      res,
      200,
      `<h1>Microsoft Authenticator (sandbox)</h1>
<p>A verifier asks for your <b>VerifiedEmployee</b> credential, with a Face Check.</p>
<form method="post">
<p><label>Whose wallet is this? <select name="upn" id="upn">${people.join('')}</select></label></p>
<p><label><input type="radio" name="face" value="yes" checked> My face matches the credential's photo</label><br>
<label><input type="radio" name="face" value="no" id="face-no"> My face does not match</label></p>
<p><button type="submit" name="decision" value="share" id="share">Share</button>
<button type="submit" name="decision" value="cancel">Cancel</button></p>
</form>`,
    );
  }
}

/** Not a real QR code (the sandbox has no encoder): a framed label; the page's link opens the sandbox wallet. */
function qrStandIn(requestId: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240"><rect width="240" height="240" fill="#fff" stroke="#000" stroke-width="8"/><text x="120" y="110" font-size="16" text-anchor="middle">Sandbox QR</text><text x="120" y="135" font-size="10" text-anchor="middle">${requestId.slice(0, 8)}</text></svg>`;
}

function badField(res: ServerResponse, field: string): void {
  send(res, 400, {
    error: {
      code: 'badRequest',
      message: 'The request is invalid.',
      innererror: { code: 'badOrMissingField', message: `${field} is missing or invalid.`, target: field },
    },
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authenticator (sandbox)</title></head><body>${body}</body></html>`,
  );
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      data += chunk;
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}
