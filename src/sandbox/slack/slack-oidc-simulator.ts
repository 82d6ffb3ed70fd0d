// "Sign in with Slack" for the sandbox and tests: Slack's OpenID Connect endpoints (authorize with a page where you
// pick which Slack user you are, the token endpoint with Slack's {ok, id_token} envelope and errors, the JWKS), on
// loopback HTTPS with the sandbox certificate; ID tokens RS256 with Slack's claims (https://slack.com/user_id,
// https://slack.com/team_id, https://slack.com/team_name, name, email, nonce); the user token that comes with them
// answers auth.revoke like Slack's ({ok, revoked}). Never loaded in production.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml } from '../entra/html.js';
import type { TlsMaterial } from '../entra/tls.js';
import { TokenSigner } from '../entra/token-signer.js';
import { type LoopbackHttpsServer, listenHttps } from '../https-server.js';
import type { SlackUser } from './slack-api-simulator.js';

interface Pending {
  clientId: string;
  redirectUri: string;
  state: string;
  nonce: string;
  team: string;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString());
}

export class SlackOidcSimulator {
  private readonly signer = new TokenSigner();
  private readonly interactions = new Map<string, Pending>();
  private readonly codes = new Map<string, Pending & { user: SlackUser; until: number }>();
  /** User tokens issued with an ID token and not yet revoked. */
  readonly liveUserTokens = new Set<string>();
  /** Tokens given back through auth.revoke (newest last). */
  readonly revokedUserTokens: string[] = [];
  private server: LoopbackHttpsServer | undefined;
  url = '';

  constructor(
    private readonly tls: TlsMaterial,
    private readonly client: { clientId: string; clientSecret: string },
    private readonly users: () => SlackUser[],
    private readonly teamName = 'Proofup Sandbox',
  ) {}

  async start(port = 0): Promise<string> {
    await this.signer.init();
    this.server = await listenHttps(this.tls, port, (req, res) => void this.handle(req, res));
    this.url = this.server.url;
    return this.url;
  }

  stop(): Promise<void> {
    return this.server?.stop() ?? Promise.resolve();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'GET' && url.pathname === '/openid/connect/keys') return this.json(res, this.signer.jwks());
    if (req.method === 'GET' && url.pathname === '/openid/connect/authorize')
      return this.authorize(url.searchParams, res);
    if (req.method === 'POST' && url.pathname === '/openid/connect/authorize')
      return this.decide(await readForm(req), res);
    if (req.method === 'POST' && url.pathname === '/api/openid.connect.token')
      return this.token(await readForm(req), res);
    if (req.method === 'POST' && url.pathname === '/api/auth.revoke') return this.revoke(req, await readForm(req), res);
    // Not chained: restify (same process) patches writeHead without returning `this`.
    res.writeHead(404);
    res.end();
  }

  private authorize(q: URLSearchParams, res: ServerResponse): void {
    if (q.get('client_id') !== this.client.clientId || q.get('response_type') !== 'code' || !q.get('redirect_uri'))
      return this.page(res, 400, '<p>invalid_client_id</p>');
    const interaction = randomUUID();
    const team = q.get('team') ?? '';
    this.interactions.set(interaction, {
      clientId: this.client.clientId,
      redirectUri: q.get('redirect_uri') as string,
      state: q.get('state') ?? '',
      nonce: q.get('nonce') ?? '',
      team,
    });
    const rows = this.users()
      .filter((u) => !team || u.team_id === team)
      .map(
        (u, i) =>
          `<label><input type="radio" name="user" value="${escapeHtml(u.id)}"${i === 0 ? ' checked' : ''}> ${escapeHtml(u.real_name)} (${escapeHtml(u.id)})</label><br>`,
      )
      .join('\n');
    this.page(
      res,
      200,
      `<h1>Sign in with Slack (sandbox)</h1><p>No real workspace: pick which Slack user you are.</p>
<form method="post"><input type="hidden" name="interaction" value="${interaction}">${rows}
<p><button type="submit">Continue with Slack</button></p></form>`,
    );
  }

  private decide(form: URLSearchParams, res: ServerResponse): void {
    const pending = this.interactions.get(form.get('interaction') ?? '');
    const user = this.users().find((u) => u.id === form.get('user'));
    if (!pending || !user) return this.page(res, 400, '<p>invalid_request</p>');
    this.interactions.delete(form.get('interaction') ?? '');
    const code = randomUUID();
    this.codes.set(code, { ...pending, user, until: Date.now() + 10 * 60_000 });
    const back = new URL(pending.redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', pending.state);
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  private async token(form: URLSearchParams, res: ServerResponse): Promise<void> {
    if (form.get('client_id') !== this.client.clientId || form.get('client_secret') !== this.client.clientSecret)
      return this.json(res, { ok: false, error: 'invalid_client_id' });
    const issued = this.codes.get(form.get('code') ?? '');
    this.codes.delete(form.get('code') ?? '');
    if (!issued || issued.until < Date.now()) return this.json(res, { ok: false, error: 'invalid_code' });
    if (form.get('redirect_uri') !== issued.redirectUri)
      return this.json(res, { ok: false, error: 'bad_redirect_uri' });
    const idToken = await this.signer.idToken({
      iss: this.url,
      sub: issued.user.id,
      aud: this.client.clientId,
      nonce: issued.nonce,
      email: issued.user.email,
      name: issued.user.real_name,
      'https://slack.com/user_id': issued.user.id,
      'https://slack.com/team_id': issued.user.team_id,
      ...(issued.user.enterprise_id ? { 'https://slack.com/enterprise_id': issued.user.enterprise_id } : {}),
      'https://slack.com/team_name': this.teamName,
    });
    const accessToken = `xoxp-${randomUUID()}`;
    this.liveUserTokens.add(accessToken);
    this.json(res, { ok: true, access_token: accessToken, token_type: 'Bearer', id_token: idToken });
  }

  /** auth.revoke: the token to revoke is the one that authenticates the call (Bearer or `token`). */
  private revoke(req: IncomingMessage, form: URLSearchParams, res: ServerResponse): void {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? form.get('token') ?? '';
    if (!this.liveUserTokens.delete(token)) return this.json(res, { ok: false, error: 'invalid_auth' });
    this.revokedUserTokens.push(token);
    this.json(res, { ok: true, revoked: true });
  }

  private json(res: ServerResponse, body: unknown): void {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }

  private page(res: ServerResponse, status: number, body: string): void {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in with Slack (sandbox)</title></head><body>${body}</body></html>`,
    );
  }
}
