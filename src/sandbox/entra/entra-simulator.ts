// A small Entra ID look-alike for the sandbox and the tests: real OIDC over HTTPS (discovery, JWKS, authorize with a
// login page, token with PKCE), Entra-shaped issuer (…/{tid}/v2.0) and claims (tid, oid, preferred_username, name,
// nonce, auth_time, acrs), and Entra's error shapes (AADSTS codes). Generic OIDC providers do not model the tenant
// paths, the `acrs` claims request or these errors, hence this file. Never loaded in production.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLocalJWKSet, importX509, jwtVerify } from 'jose';
import { type LoopbackHttpsServer, listenHttps } from '../https-server.js';
import { DEMO_USERS, type DemoUser } from './demo-directory.js';
import { errorPage, loginPage } from './login-page.js';
import { discoveryDocument, requestedAcrs } from './oidc-documents.js';
import { type TokenFault, TokenOutage } from './outage.js';
import type { TlsMaterial } from './tls.js';
import { type IdTokenFault, TokenSigner } from './token-signer.js';

export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** Application permissions granted (admin consent) to this client, put in app-only tokens as `roles`. */
  appRoles?: string[];
  /** A certificate credential (PEM): the client may authenticate with a signed client assertion instead. */
  certificatePem?: string;
}

interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  state: string;
  nonce?: string;
  codeChallenge?: string;
  requestedAcrs: string[];
  loginHint?: string;
}

interface IssuedCode {
  request: AuthorizeRequest;
  user: DemoUser;
  authTime: number;
  acrs: string[];
  expiresAt: number;
  redeemed: boolean;
}

const sha256b64url = (v: string) => createHash('sha256').update(v).digest('base64url');

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString());
}

export class EntraSimulator {
  readonly tenantId: string;
  /** The directory: who can sign in (the demo people unless a test brings its own). */
  readonly users: DemoUser[];
  readonly signer = new TokenSigner();
  /** The next ID token gets this fault (tests: forged signature, wrong audience, old auth_time, …). Used once. */
  nextIdTokenFault: IdTokenFault | undefined;
  /** Token-endpoint outages to play (tests): see outage.ts. */
  readonly outage = new TokenOutage();
  get tokenFaults(): TokenFault[] {
    return this.outage.faults;
  }
  /** Cache-Control of the JWKS answer (tests change it). */
  keysCacheControl = 'max-age=86400, private';
  /** Sockets that already carried a request (to tell a reused keep-alive socket from a new one). */
  private readonly usedSockets = new WeakSet<object>();
  private readonly interactions = new Map<string, AuthorizeRequest>();
  private readonly codes = new Map<string, IssuedCode>();
  private server: LoopbackHttpsServer | undefined;
  private base = '';

  constructor(
    private readonly tls: TlsMaterial,
    private readonly client: RegisteredClient,
    options: { tenantId: string; users?: DemoUser[] },
  ) {
    this.tenantId = options.tenantId;
    this.users = options.users ?? DEMO_USERS;
  }

  get authorityHost(): string {
    return this.base;
  }

  get issuer(): string {
    return `${this.base}/${this.tenantId}/v2.0`;
  }

  async start(port = 0): Promise<string> {
    await this.signer.init();
    this.server = await listenHttps(this.tls, port, (req, res) => {
      this.handle(req, res).catch((err: Error) =>
        this.json(res, 500, { error: 'server_error', error_description: err.message }),
      );
    });
    this.base = this.server.url;
    return this.base;
  }

  stop(): Promise<void> {
    return this.server?.stop() ?? Promise.resolve();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reused = this.usedSockets.has(req.socket);
    this.usedSockets.add(req.socket);
    const url = new URL(req.url ?? '/', this.base);
    const prefix = `/${this.tenantId}`;
    const route = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : undefined;
    if (route === undefined) {
      return this.json(res, 400, {
        error: 'invalid_tenant',
        error_description: `AADSTS90002: Tenant '${url.pathname.split('/')[1]}' not found.`,
      });
    }
    if (req.method === 'GET' && route === '/v2.0/.well-known/openid-configuration')
      return this.json(res, 200, discoveryDocument(`${this.base}/${this.tenantId}`, this.issuer));
    if (req.method === 'GET' && route === '/discovery/v2.0/keys') {
      // As Entra answers its keys: cacheable for a day (the bot caps that at an hour).
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': this.keysCacheControl });
      res.end(JSON.stringify(this.signer.jwks()));
      return;
    }
    if (req.method === 'GET' && route === '/oauth2/v2.0/authorize') return this.authorize(url.searchParams, res);
    if (req.method === 'POST' && route === '/oauth2/v2.0/authorize') return this.decide(await readForm(req), res);
    if (req.method === 'POST' && route === '/oauth2/v2.0/token') {
      if (await this.outage.answer(req, res, reused)) return;
      return this.token(await readForm(req), res);
    }
    return this.json(res, 404, { error: 'not_found' });
  }

  private authorize(q: URLSearchParams, res: ServerResponse): void {
    if (q.get('client_id') !== this.client.clientId) {
      return this.html(
        res,
        400,
        errorPage(
          'AADSTS700016',
          `Application with identifier '${q.get('client_id')}' was not found in the directory.`,
        ),
      );
    }
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!this.client.redirectUris.includes(redirectUri)) {
      return this.html(
        res,
        400,
        errorPage(
          'AADSTS50011',
          'The redirect URI specified in the request does not match the redirect URIs configured for the application.',
        ),
      );
    }
    if (q.get('response_type') !== 'code') {
      return this.redirect(res, redirectUri, {
        error: 'unsupported_response_type',
        error_description: 'AADSTS700054: response_type is not enabled for the application.',
        state: q.get('state') ?? '',
      });
    }
    if (q.get('code_challenge_method') && q.get('code_challenge_method') !== 'S256') {
      return this.redirect(res, redirectUri, {
        error: 'invalid_request',
        error_description: 'AADSTS501491: Invalid code_challenge_method.',
        state: q.get('state') ?? '',
      });
    }
    const interaction = randomUUID();
    this.interactions.set(interaction, {
      clientId: this.client.clientId,
      redirectUri,
      state: q.get('state') ?? '',
      nonce: q.get('nonce') ?? undefined,
      codeChallenge: q.get('code_challenge') ?? undefined,
      requestedAcrs: requestedAcrs(q.get('claims')),
      loginHint: q.get('login_hint') ?? undefined,
    });
    const action = `/${this.tenantId}/oauth2/v2.0/authorize`;
    this.html(
      res,
      200,
      loginPage({
        action,
        interaction,
        users: this.users,
        loginHint: q.get('login_hint') ?? undefined,
        uiLocales: q.get('ui_locales') ?? undefined,
      }),
    );
  }

  private decide(form: URLSearchParams, res: ServerResponse): void {
    const interactionId = form.get('interaction') ?? '';
    const request = this.interactions.get(interactionId);
    this.interactions.delete(interactionId);
    if (!request)
      return this.html(
        res,
        400,
        errorPage('AADSTS90014', 'The sign-in session was not found or has already been used.'),
      );
    const user = this.users.find((u) => u.oid === form.get('oid'));
    if (!user)
      return this.html(res, 400, errorPage('AADSTS50034', 'The user account does not exist in this directory.'));
    const decision = form.get('decision');
    if (decision === 'deny') {
      return this.redirect(res, request.redirectUri, {
        error: 'access_denied',
        error_description: 'AADSTS500121: Authentication failed during strong authentication request.',
        state: request.state,
      });
    }
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, {
      request,
      user,
      authTime: Math.floor(Date.now() / 1000),
      acrs: decision === 'approve' ? request.requestedAcrs : [],
      expiresAt: Date.now() + 10 * 60_000,
      redeemed: false,
    });
    this.redirect(res, request.redirectUri, { code, state: request.state, session_state: randomUUID() });
  }

  private async token(form: URLSearchParams, res: ServerResponse): Promise<void> {
    const fail = (status: number, error: string, description: string) =>
      this.json(res, status, {
        error,
        error_description: description,
        error_codes: [Number(description.slice(6, description.indexOf(':')))],
        timestamp: new Date().toISOString(),
        trace_id: randomUUID(),
        correlation_id: randomUUID(),
      });
    const clientProblem = await this.clientProblem(form);
    if (clientProblem) return fail(401, 'invalid_client', clientProblem);
    if (form.get('grant_type') === 'client_credentials') return this.appToken(form, res, fail);
    if (form.get('grant_type') !== 'authorization_code') {
      return fail(400, 'unsupported_grant_type', 'AADSTS70003: The app requested an unsupported grant type.');
    }
    const issued = this.codes.get(form.get('code') ?? '');
    if (!issued) return fail(400, 'invalid_grant', 'AADSTS9002313: Invalid request. Request is malformed or invalid.');
    if (issued.redeemed)
      return fail(400, 'invalid_grant', 'AADSTS54005: OAuth2 Authorization code was already redeemed.');
    if (Date.now() > issued.expiresAt)
      return fail(400, 'invalid_grant', 'AADSTS70008: The provided authorization code has expired.');
    if (form.get('redirect_uri') !== issued.request.redirectUri) {
      return fail(
        400,
        'invalid_grant',
        'AADSTS50148: The redirect_uri does not match the one used in the authorization request.',
      );
    }
    if (
      issued.request.codeChallenge &&
      sha256b64url(form.get('code_verifier') ?? '') !== issued.request.codeChallenge
    ) {
      return fail(
        400,
        'invalid_grant',
        'AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.',
      );
    }
    issued.redeemed = true;
    const fault = this.nextIdTokenFault;
    this.nextIdTokenFault = undefined;
    const idToken = await this.signer.idToken(
      {
        iss: this.issuer,
        aud: this.client.clientId,
        tid: this.tenantId,
        oid: issued.user.oid,
        sub: sha256b64url(`${issued.user.oid}:${this.client.clientId}`).slice(0, 43),
        preferred_username: issued.user.upn,
        name: issued.user.name,
        nonce: issued.request.nonce,
        auth_time: issued.authTime,
        ...(issued.acrs.length ? { acrs: issued.acrs } : {}),
        ver: '2.0',
      },
      fault,
    );
    const clientInfo = Buffer.from(JSON.stringify({ uid: issued.user.oid, utid: this.tenantId })).toString('base64url');
    this.json(res, 200, {
      token_type: 'Bearer',
      scope: form.get('scope') ?? 'openid profile',
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: await this.signer.accessToken({
        iss: `${this.base}/${this.tenantId}/`,
        aud: '00000003-0000-0000-c000-000000000000',
        tid: this.tenantId,
        oid: issued.user.oid,
      }),
      id_token: idToken,
      client_info: clientInfo,
    });
  }

  /** Why the client is not authenticated (secret or certificate assertion, as Entra checks them), or undefined. */
  private async clientProblem(form: URLSearchParams): Promise<string | undefined> {
    if (form.get('client_id') !== this.client.clientId)
      return `AADSTS700016: Application with identifier '${form.get('client_id')}' was not found.`;
    const assertion = form.get('client_assertion');
    if (!assertion) {
      return form.get('client_secret') === this.client.clientSecret
        ? undefined
        : 'AADSTS7000215: Invalid client secret provided.';
    }
    if (
      form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' ||
      !this.client.certificatePem
    ) {
      return 'AADSTS700027: Client assertion contains an invalid signature.';
    }
    const tokenEndpoint = `${this.base}/${this.tenantId}/oauth2/v2.0/token`;
    for (const alg of ['PS256', 'RS256']) {
      try {
        const key = await importX509(this.client.certificatePem, alg);
        // Entra tolerates 5 minutes of clock skew on client assertions.
        await jwtVerify(assertion, key, {
          algorithms: [alg],
          audience: tokenEndpoint,
          issuer: this.client.clientId,
          subject: this.client.clientId,
          clockTolerance: 300,
        });
        return undefined;
      } catch {
        // try the next algorithm
      }
    }
    return 'AADSTS700027: Client assertion contains an invalid signature.';
  }

  /** Client-credential (app-only) token, e.g. for Graph: `scope` must be `<resource>/.default`. */
  private async appToken(
    form: URLSearchParams,
    res: ServerResponse,
    fail: (status: number, error: string, description: string) => void,
  ): Promise<void> {
    const scope = (form.get('scope') ?? '').split(' ').find((s) => s.endsWith('/.default'));
    if (!scope)
      return fail(
        400,
        'invalid_scope',
        'AADSTS1002012: The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.',
      );
    const resource = scope.slice(0, -'/.default'.length);
    const token = await this.signer.accessToken({
      iss: `${this.base}/${this.tenantId}/`,
      aud: resource,
      tid: this.tenantId,
      appid: this.client.clientId,
      idtyp: 'app',
      oid: sha256b64url(`sp:${this.client.clientId}`).slice(0, 36),
      roles: this.client.appRoles ?? [],
    });
    this.json(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
  }

  /** For resource simulators (Graph): checks an app-only token this tenant issued for `audience`; returns its roles. */
  async verifyAppToken(token: string, audience: string): Promise<string[] | undefined> {
    try {
      const { payload } = await jwtVerify(token, createLocalJWKSet(this.signer.jwks()), {
        issuer: `${this.base}/${this.tenantId}/`,
        audience,
        algorithms: ['RS256'],
      });
      return Array.isArray(payload.roles) ? (payload.roles as string[]) : [];
    } catch {
      return undefined;
    }
  }

  private redirect(res: ServerResponse, target: string, params: Record<string, string>): void {
    const url = new URL(target);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    res.writeHead(302, { location: url.toString(), 'cache-control': 'no-store' });
    res.end();
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    // Not chained: restify (same process) patches writeHead without returning `this`.
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  }

  private html(res: ServerResponse, status: number, body: string): void {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body);
  }
}
