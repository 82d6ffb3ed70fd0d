// Which Slack installation a Web API call speaks for. One deployment can serve several workspaces and Enterprise Grid
// orgs (OAuth installs), each with its own bot token; code that posts never chooses a token. Work for an incoming
// event runs in that event's workspace (slack-edge.ts sets it for every listener); work started elsewhere — a flow
// step, the browser's return from a sign-in, a helpdesk action — runs in the workspace of the Slack user it is for
// (`in(address.team, …)`); anything else speaks for the helpdesk's workspace. With SLACK_BOT_TOKEN there is one token
// and no choice to make.
//
// A workspace here is the key Slack users are kept under: the Grid org's id (E…) for a user of an Enterprise Grid org
// (user ids are unique across the org, and Sign in with Slack names the org), the workspace's id (T…) otherwise.
import { AsyncLocalStorage } from 'node:async_hooks';
import { webApi } from '@slack/bolt';

/** The workspace key of a Slack payload's ids (Bolt's context, an event body, a Sign in with Slack token). */
export function workspaceOf(ids: { enterpriseId?: string | undefined; teamId?: string | undefined }): string {
  return ids.enterpriseId || ids.teamId || '';
}

/** A Web API call with no workspace to speak for, in installs mode. */
export class NoWorkspaceError extends Error {
  constructor(method: string) {
    super(`Slack ${method}: no workspace to speak for (no event, no Slack user, no SLACK_HELPDESK_WORKSPACE)`);
  }
}

export class SlackWorkspaces {
  private readonly scope = new AsyncLocalStorage<{ workspace: string; token?: string | undefined }>();

  /** `token(workspace)`: that installation's bot token (rejects when it has none). */
  constructor(
    private readonly token: (workspace: string) => Promise<string>,
    private readonly fallback?: string,
  ) {}

  /**
   * Runs `work` for `workspace`: every Web API call in it, awaited or not, uses that installation's token — `token`
   * when the caller holds it already (Bolt authorized the event with it), else the one stored for the workspace.
   */
  in<T>(workspace: string, work: () => Promise<T>, token?: string): Promise<T> {
    return workspace ? this.scope.run({ workspace, token }, work) : work();
  }

  /** The bot token for a call made now. */
  async tokenFor(method: string): Promise<string> {
    const at = this.scope.getStore();
    if (at?.token) return at.token;
    const workspace = at?.workspace ?? this.fallback;
    if (!workspace) throw new NoWorkspaceError(method);
    return this.token(workspace);
  }
}

/**
 * One Web API client for every installation: each call goes out with the token of the workspace it runs for, in the
 * Authorization header (a plain WebClient per token does the sending; a token never goes into a request body).
 */
export class WorkspaceWebClient extends webApi.WebClient {
  private readonly pinnedTo = new Map<string, WorkspaceWebClient>();

  constructor(
    private readonly workspaces: SlackWorkspaces,
    private readonly clientOptions: webApi.WebClientOptions,
    private readonly pinned?: string,
    private readonly byToken = new Map<string, webApi.WebClient>(),
  ) {
    super(undefined, clientOptions);
  }

  /** The same client, speaking for `workspace` wherever it is called from (a DM reference's team, a binding's). */
  for(workspace: string | undefined): WorkspaceWebClient {
    if (!workspace || this.pinned) return this;
    let pinned = this.pinnedTo.get(workspace);
    if (!pinned) {
      pinned = new WorkspaceWebClient(this.workspaces, this.clientOptions, workspace, this.byToken);
      this.pinnedTo.set(workspace, pinned);
    }
    return pinned;
  }

  override async apiCall(method: string, options: Record<string, unknown> = {}): Promise<webApi.WebAPICallResult> {
    if (options.token) return super.apiCall(method, options);
    const call = async () => this.sender(await this.workspaces.tokenFor(method)).apiCall(method, options);
    return this.pinned ? this.workspaces.in(this.pinned, call) : call();
  }

  private sender(token: string): webApi.WebClient {
    let client = this.byToken.get(token);
    if (!client) {
      // Rotated tokens leave old senders behind: bounded.
      if (this.byToken.size >= 1000) this.byToken.clear();
      client = new webApi.WebClient(token, this.clientOptions);
      this.byToken.set(token, client);
    }
    return client;
  }
}

/**
 * `client` speaking for the workspace of a Slack conversation reference (slackReference keeps the team in
 * conversation.tenantId); a reference without one (the helpdesk channel) speaks for the default.
 */
export function clientAt(
  client: webApi.WebClient,
  reference: { conversation?: { tenantId?: string | undefined } } | undefined,
): webApi.WebClient {
  return client instanceof WorkspaceWebClient ? client.for(reference?.conversation?.tenantId) : client;
}
