// Slack's Web API for the sandbox and the tests: the methods Proofup calls, with Slack's envelope ({ok, error}), its
// token check (invalid_auth), its form or JSON bodies, trigger_ids that expire after 3 seconds (expired_trigger_id),
// and every call recorded. Several workspaces and Enterprise Grid orgs can install the app through OAuth v2
// (slack-oauth.ts: the authorize page, oauth.v2.access, token rotation): each install gets its own bot token, and a
// call is recorded with the workspace its token belongs to. Never loaded in production.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SANDBOX_SLACK_TEAM } from '../../config-model.js';
import { type Install, keyOf, type SandboxWorkspace, SlackOAuth } from './slack-oauth.js';
import { blockProblem, SCOPE_OF, viewProblem } from './slack-rules.js';

export type { SandboxWorkspace };

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
  /** Whom the token spoke for: the Grid org (E…) of an org-wide install, else the workspace (T…). */
  workspace: string;
}

export interface SlackUser {
  id: string;
  team_id: string;
  /** On Enterprise Grid: the org the user belongs to. */
  enterprise_id?: string;
  name: string;
  real_name: string;
  locale: string;
  email: string;
}

const TRIGGER_LIFETIME_MS = 3000;

function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const form = Object.fromEntries(new URLSearchParams(raw));
  // The Web API client sends objects (blocks, view) as JSON strings inside the form.
  for (const key of ['blocks', 'view', 'attachments', 'metadata'])
    if (typeof form[key] === 'string') (form as Record<string, unknown>)[key] = JSON.parse(form[key] as string);
  return form;
}

export class SlackApiSimulator {
  readonly calls: SlackCall[] = [];
  readonly users = new Map<string, SlackUser>();
  /** Messages as they stand now (after chat.update), by channel and ts. */
  readonly messages = new Map<string, Record<string, unknown>>();
  private readonly triggers = new Map<string, number>();
  /** Delay before every answer (a slow Slack), for tests. */
  latencyMs = 0;
  /** Slack unreachable in the worst way: requests are read and never answered (until set back to false). */
  hang = false;
  /** Slack unreachable: every connection is dropped at once (until set back to false); counted in droppedWhileDown. */
  down = false;
  droppedWhileDown = 0;
  /** The bot token's scopes (the Slack app manifest's bot scopes, as an install grants them). */
  scopes: ReadonlySet<string>;
  /** The next `times` calls are answered 429 ratelimited with Retry-After (seconds), as Slack does. */
  rateLimited?: { times: number; retryAfterSeconds: number };
  /** The tokens in force and how they are issued (OAuth v2, token rotation). */
  readonly oauth: SlackOAuth;
  private server: Server | undefined;
  private seq = 0;
  url = '';

  constructor(
    botToken: string | undefined,
    readonly teamId = SANDBOX_SLACK_TEAM,
    readonly botUserId = 'U0PROOFUP',
    scopes: Iterable<string> = Object.values(SCOPE_OF),
  ) {
    this.scopes = new Set(scopes);
    this.oauth = new SlackOAuth(botUserId);
    if (botToken) this.oauth.add(botToken, { team: { id: teamId, name: 'Sandbox' }, orgWide: false });
  }

  /** Workspaces and orgs the OAuth authorize page offers. */
  get installable(): Map<string, SandboxWorkspace> {
    return this.oauth.installable;
  }

  /** The app's OAuth client (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET). */
  get oauthClient(): { clientId: string; clientSecret: string } | undefined {
    return this.oauth.oauthClient;
  }

  set oauthClient(client: { clientId: string; clientSecret: string } | undefined) {
    this.oauth.oauthClient = client;
  }

  /** Slack's side of an uninstall: every token of that workspace or org stops working. */
  uninstall(workspace: string): void {
    this.oauth.uninstall(workspace);
  }

  /** The workspaces and orgs that hold a working token now. */
  installed(): string[] {
    return this.oauth.installed();
  }

  /** A trigger_id as Slack puts in an interaction payload (valid 3 seconds for views.open). */
  trigger(lifetimeMs = TRIGGER_LIFETIME_MS): string {
    const id = `${Date.now()}.${++this.seq}.${randomUUID().slice(0, 8)}`;
    this.triggers.set(id, Date.now() + lifetimeMs);
    return id;
  }

  /** Calls of one method (newest last). */
  of(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
    return this.url;
  }

  stop(): Promise<void> {
    // A hung request would hold server.close() open: its connection is closed first.
    this.server?.closeAllConnections();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.down) {
      this.droppedWhileDown++;
      req.socket.destroy();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    // Sandbox inspection (not Slack): what the bot called, and a fresh trigger_id, for scripts/slack-play.ts.
    if (req.method === 'GET' && path === '/_sandbox/calls') return this.send(res, { ok: true, calls: this.calls });
    if (req.method === 'GET' && path === '/_sandbox/trigger')
      return this.send(res, { ok: true, trigger_id: this.trigger() });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (path === '/oauth/v2/authorize')
      return req.method === 'POST'
        ? this.oauth.approve(new URLSearchParams(Buffer.concat(chunks).toString()), res)
        : this.oauth.authorizePage(new URL(req.url ?? '/', 'http://x').searchParams, res);
    const method = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/api\//, '');
    let args: Record<string, unknown>;
    try {
      args = parseBody(Buffer.concat(chunks).toString(), req.headers['content-type'] ?? '');
    } catch {
      return this.send(res, { ok: false, error: 'invalid_json' });
    }
    if (method === 'oauth.v2.access') return this.send(res, this.oauth.exchange(args));
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? (args.token as string | undefined);
    const checked = this.oauth.check(token);
    if ('error' in checked) return this.send(res, { ok: false, error: checked.error });
    const { install } = checked;
    this.calls.push({ method, args, at: Date.now(), workspace: keyOf(install) });
    if (this.hang) return; // never answered: the caller's deadline must end it
    if (this.rateLimited && this.rateLimited.times > 0) {
      this.rateLimited.times--;
      res.writeHead(429, {
        'content-type': 'application/json',
        'retry-after': String(this.rateLimited.retryAfterSeconds),
      });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
    this.send(res, this.refusal(method, args) ?? this.answer(method, args, install));
  }

  /** What Slack checks first: the token's scope for the method, then the blocks or the view against Block Kit. */
  private refusal(method: string, args: Record<string, unknown>): Record<string, unknown> | undefined {
    const needed = SCOPE_OF[method];
    if (needed && !this.scopes.has(needed))
      return { ok: false, error: 'missing_scope', needed, provided: [...this.scopes].join(',') };
    const problem = method.startsWith('views.') ? viewProblem(args.view) : blockProblem(args.blocks);
    return problem
      ? { ok: false, error: method.startsWith('views.') ? 'invalid_arguments' : 'invalid_blocks', errors: [problem] }
      : undefined;
  }

  private answer(method: string, args: Record<string, unknown>, install: Install): Record<string, unknown> {
    const ts = () => `${Math.floor(Date.now() / 1000)}.${String(++this.seq).padStart(6, '0')}`;
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://sandbox.slack.com/',
          team: install.team?.name ?? install.enterprise?.name,
          team_id: install.team?.id ?? '',
          user_id: this.botUserId,
          bot_id: 'B0PROOFUP',
          ...(install.enterprise
            ? { enterprise_id: install.enterprise.id, is_enterprise_install: install.orgWide }
            : {}),
        };
      case 'apps.uninstall':
        // Like Slack: the app's own credentials with a token of the install to remove; all its tokens stop working.
        if (args.client_id !== this.oauthClient?.clientId || args.client_secret !== this.oauthClient?.clientSecret)
          return { ok: false, error: 'invalid_client_id' };
        this.uninstall(keyOf(install));
        return { ok: true };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users ?? '').replace(/^U/, '')}` } };
      case 'chat.postMessage': {
        if (!args.channel) return { ok: false, error: 'channel_not_found' };
        const message = { ...args, ts: ts() };
        this.messages.set(`${args.channel}/${message.ts}`, message);
        return { ok: true, channel: args.channel, ts: message.ts, message };
      }
      case 'conversations.history': {
        // Like Slack: newest first, from `oldest` on, at most `limit`; metadata only with include_all_metadata.
        const channel = String(args.channel ?? '');
        const oldest = Number(args.oldest ?? 0);
        const limit = Math.min(Number(args.limit ?? 100) || 100, 999);
        const withMetadata = String(args.include_all_metadata) === 'true';
        const found = [...this.messages.entries()]
          .filter(([key, m]) => key.startsWith(`${channel}/`) && Number(m.ts) >= oldest)
          .map(([, m]) => m)
          .sort((a, b) => Number(b.ts) - Number(a.ts))
          .slice(0, limit)
          .map(({ metadata, channel: _c, token: _t, ...m }) => ({
            type: 'message',
            bot_id: 'B0PROOFUP',
            ...m,
            ...(withMetadata && metadata ? { metadata } : {}),
          }));
        return { ok: true, messages: found, has_more: false };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: ts() };
      case 'chat.update': {
        const key = `${args.channel}/${args.ts}`;
        if (!this.messages.has(key)) return { ok: false, error: 'message_not_found' };
        this.messages.set(key, { ...args });
        return { ok: true, channel: args.channel, ts: args.ts };
      }
      case 'users.info': {
        const user = this.users.get(String(args.user));
        if (!user) return { ok: false, error: 'user_not_found' };
        // Like Slack: the locale only when asked for (include_locale).
        const { locale, ...rest } = user;
        const withLocale = String(args.include_locale) === 'true' ? { locale } : {};
        return {
          ok: true,
          user: { ...rest, ...withLocale, profile: { email: user.email, real_name: user.real_name } },
        };
      }
      case 'views.open': {
        const until = this.triggers.get(String(args.trigger_id));
        // Like Slack: a trigger opens one view (used again: exchanged), within 3 seconds (later: expired).
        if (until === 0) return { ok: false, error: 'exchanged_trigger_id' };
        if (!until) return { ok: false, error: 'invalid_trigger_id' };
        if (Date.now() > until) return { ok: false, error: 'expired_trigger_id' };
        this.triggers.set(String(args.trigger_id), 0);
        return { ok: true, view: { id: `V${++this.seq}`, ...(args.view as object) } };
      }
      case 'views.publish': {
        // Like Slack: a Home tab view for one user.
        const view = args.view as { type?: string } | undefined;
        if (!args.user_id) return { ok: false, error: 'invalid_arguments' };
        if (view?.type !== 'home') return { ok: false, error: 'invalid_arguments' };
        return { ok: true, view: { id: `V${++this.seq}`, ...view } };
      }
      case 'views.update':
        return { ok: true, view: { id: args.view_id, ...(args.view as object) } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private send(res: ServerResponse, body: Record<string, unknown>): void {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}
