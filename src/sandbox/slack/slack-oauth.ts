// Slack's OAuth v2 for the sandbox and the tests: the authorize page where an admin picks a workspace or Grid org,
// oauth.v2.access (the code exchange, and with token rotation the refresh grant), and the bot tokens in force — whom
// each speaks for, and when it expires. With rotation on (`rotation`), as Slack documents it: the access token
// expires after `expires_in` seconds (Slack: 43,200) and is then refused with token_expired; a refresh token works
// once (used again: invalid_refresh_token) and brings a new access token and a new refresh token. Never loaded in
// production.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { escapeHtml } from '../entra/html.js';

/** What a bot token belongs to. */
export interface Install {
  team?: { id: string; name: string };
  enterprise?: { id: string; name: string };
  orgWide: boolean;
}

/** A workspace or Grid org that can install the app in the sandbox (the authorize page lists them). */
export interface SandboxWorkspace {
  id: string;
  name: string;
  /** A Grid org (E…): installed org-wide. */
  org?: boolean;
}

const installOf = (w: SandboxWorkspace): Install =>
  w.org
    ? { enterprise: { id: w.id, name: w.name }, orgWide: true }
    : { team: { id: w.id, name: w.name }, orgWide: false };

export const keyOf = (install: Install) => (install.orgWide ? install.enterprise?.id : install.team?.id) ?? '';

export class SlackOAuth {
  /** Workspaces and orgs the OAuth authorize page offers. */
  readonly installable = new Map<string, SandboxWorkspace>();
  /** The app's OAuth client (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET); without it oauth.v2.access says invalid_client_id. */
  oauthClient?: { clientId: string; clientSecret: string };
  /** Token rotation, as the app's settings turn it on: access tokens expire after this many seconds. */
  rotation?: { expiresInSeconds: number };
  /** Moves this Slack's clock (tests: a token's 12 hours pass at once). */
  clockOffsetMs = 0;
  /** Refresh grants answered, and refused (a refresh token used again, or unknown): tests count them. */
  refreshes = 0;
  refusedRefreshes = 0;
  private readonly access = new Map<string, Install & { expiresAt?: number }>();
  private readonly refreshTokens = new Map<string, Install>();
  private readonly codes = new Map<string, { install: SandboxWorkspace; redirectUri: string; scope: string }>();

  constructor(private readonly botUserId: string) {}

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** A bot token that never expires (the one-workspace mode's SLACK_BOT_TOKEN). */
  add(token: string, install: Install): void {
    this.access.set(token, install);
  }

  /** Whom a call's token speaks for, or Slack's error for it. */
  check(token: string | undefined): { install: Install } | { error: 'not_authed' | 'invalid_auth' | 'token_expired' } {
    // Like Slack: no token at all is not_authed; one Slack does not know (revoked, uninstalled) is invalid_auth.
    if (!token) return { error: 'not_authed' };
    const install = this.access.get(token);
    if (!install) return { error: 'invalid_auth' };
    if (install.expiresAt !== undefined && this.now() >= install.expiresAt) return { error: 'token_expired' };
    return { install };
  }

  /** Slack's side of an uninstall: every token of that workspace or org stops working, refresh tokens included. */
  uninstall(workspace: string): void {
    for (const [token, install] of this.access) if (keyOf(install) === workspace) this.access.delete(token);
    for (const [token, install] of this.refreshTokens)
      if (keyOf(install) === workspace) this.refreshTokens.delete(token);
  }

  /** The workspaces and orgs that hold a working token now. */
  installed(): string[] {
    return [...new Set([...this.access.values()].map(keyOf))];
  }

  /** Slack's install page: an admin picks the workspace (or Grid org) to install into and allows the scopes. */
  authorizePage(q: URLSearchParams, res: ServerResponse): void {
    if (!this.oauthClient || q.get('client_id') !== this.oauthClient.clientId)
      return html(res, 400, '<p>invalid_client_id</p>');
    const hidden = ['state', 'redirect_uri', 'scope']
      .map((n) => `<input type="hidden" name="${n}" value="${escapeHtml(q.get(n) ?? '')}">`)
      .join('');
    const rows = [...this.installable.values()]
      .map(
        (w, i) =>
          `<label><input type="radio" name="workspace" value="${escapeHtml(w.id)}"${i === 0 ? ' checked' : ''}> ${escapeHtml(w.name)}</label><br>`,
      )
      .join('\n');
    html(
      res,
      200,
      `<h1>Install Proofup (sandbox)</h1><form method="post">${hidden}${rows}<button>Allow</button></form>`,
    );
  }

  approve(form: URLSearchParams, res: ServerResponse): void {
    const install = this.installable.get(form.get('workspace') ?? '');
    const redirectUri = form.get('redirect_uri') ?? '';
    if (!install || !redirectUri) return html(res, 400, '<p>invalid_request</p>');
    const code = randomUUID();
    this.codes.set(code, { install, redirectUri, scope: form.get('scope') ?? '' });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', form.get('state') ?? '');
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  /** oauth.v2.access: the code of an install for the app's own client, once, with the same redirect_uri; or a refresh. */
  exchange(args: Record<string, unknown>): Record<string, unknown> {
    if (
      !this.oauthClient ||
      args.client_id !== this.oauthClient.clientId ||
      args.client_secret !== this.oauthClient.clientSecret
    )
      return { ok: false, error: 'invalid_client_id' };
    if (args.grant_type === 'refresh_token') return this.refresh(String(args.refresh_token ?? ''));
    const issued = this.codes.get(String(args.code ?? ''));
    this.codes.delete(String(args.code ?? ''));
    if (!issued) return { ok: false, error: 'invalid_code' };
    if (args.redirect_uri !== undefined && args.redirect_uri !== issued.redirectUri)
      return { ok: false, error: 'bad_redirect_uri' };
    return { ...this.issue(installOf(issued.install)), scope: issued.scope, authed_user: { id: 'U0INSTALLER' } };
  }

  /** Tests: the pair an install of `workspace` (one the authorize page offers) gets from oauth.v2.access. */
  grantForTests(workspace: string): { token: string; refreshToken?: string } {
    const w = this.installable.get(workspace);
    if (!w) throw new Error(`${workspace} is not installable`);
    const issued = this.issue(installOf(w));
    return { token: issued.access_token as string, refreshToken: issued.refresh_token as string | undefined };
  }

  /** The refresh grant: the refresh token works once; a new access token and a new refresh token come back. */
  private refresh(token: string): Record<string, unknown> {
    const install = this.refreshTokens.get(token);
    if (!install || !this.rotation) {
      this.refusedRefreshes++;
      return { ok: false, error: 'invalid_refresh_token' };
    }
    this.refreshTokens.delete(token);
    this.refreshes++;
    return this.issue(install);
  }

  private issue(install: Install): Record<string, unknown> {
    const id = keyOf(install);
    const rotation = this.rotation;
    const token = `${rotation ? 'xoxe.' : ''}xoxb-${id}-${randomUUID()}`;
    this.access.set(token, {
      ...install,
      ...(rotation ? { expiresAt: this.now() + rotation.expiresInSeconds * 1000 } : {}),
    });
    const refreshToken = rotation ? `xoxe-1-${id}-${randomUUID()}` : undefined;
    if (refreshToken) this.refreshTokens.set(refreshToken, install);
    return {
      ok: true,
      access_token: token,
      token_type: 'bot',
      bot_user_id: this.botUserId,
      app_id: 'A0PROOFUP',
      team: install.team ?? null,
      enterprise: install.enterprise ?? null,
      is_enterprise_install: install.orgWide,
      ...(rotation ? { refresh_token: refreshToken, expires_in: rotation.expiresInSeconds } : {}),
    };
  }
}

export function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Slack (sandbox)</title></head><body>${body}</body></html>`,
  );
}
