// "Sign in with Slack" (OpenID Connect): proves which Slack user holds the browser that opened a sign-in link, before
// the Entra step-up binds that Slack user to an Entra account. Slack's endpoints: /openid/connect/authorize,
// /api/openid.connect.token, /openid/connect/keys; the ID token is verified here with jose (signature from Slack's
// published keys, issuer, audience = our client id, lifetime, nonce), never trusted as it comes.
import { jwtVerify } from 'jose';
import type { HttpsClient } from './https-client.js';
import { mapJoseError } from './id-token-verifier.js';
import { RemoteKeySet } from './remote-key-set.js';
import { StepUpError } from './step-up-errors.js';

export interface SlackIdentityOptions {
  /** https://slack.com (the sandbox: its simulator). The issuer of the ID tokens, and the base of every endpoint. */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  now?: () => number;
  /** Told (to be logged) when Slack did not confirm the revocation of a user token. */
  onRevokeFailed?: (reason: string) => void;
}

export interface SlackPerson {
  team: string;
  user: string;
  /** The Slack user's name and the workspace's, as Slack's ID token gives them (shown on the confirm page). */
  name?: string;
  teamName?: string;
}

const USER_CLAIM = 'https://slack.com/user_id';
const TEAM_CLAIM = 'https://slack.com/team_id';
const TEAM_NAME_CLAIM = 'https://slack.com/team_name';
/** On Enterprise Grid: the org. Slack users of a Grid org are kept under it (user ids are unique across the org). */
const ENTERPRISE_CLAIM = 'https://slack.com/enterprise_id';

export class SlackIdentity {
  private readonly keys: RemoteKeySet;

  constructor(
    private readonly http: HttpsClient,
    private readonly options: SlackIdentityOptions,
  ) {
    this.keys = new RemoteKeySet(new URL(`${options.baseUrl}/openid/connect/keys`), http, options.now);
  }

  /** Where the browser goes first: Slack's sign-in, for this workspace. */
  authorizeUrl(params: { state: string; nonce: string; team: string }): string {
    const url = new URL(`${this.options.baseUrl}/openid/connect/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      // No `email`: the binding never rests on an e-mail address (the cross-check reads users.info instead).
      scope: 'openid profile',
      client_id: this.options.clientId,
      redirect_uri: this.options.redirectUri,
      state: params.state,
      nonce: params.nonce,
      // A workspace preselects itself on Slack's page; a Grid org's id is not a workspace (the user picks theirs).
      ...(params.team.startsWith('T') ? { team: params.team } : {}),
    }).toString();
    return url.toString();
  }

  /**
   * Redeems Slack's code and verifies the ID token; resolves who signed in at Slack. The user token that comes with
   * it is never used: it is revoked (auth.revoke) as soon as the answer is read, whatever the ID token says.
   */
  async redeem(code: string, nonce: string): Promise<SlackPerson> {
    const res = await this.http.request(`${this.options.baseUrl}/api/openid.connect.token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
        code,
        redirect_uri: this.options.redirectUri,
      }).toString(),
    });
    let answer: { ok?: boolean; id_token?: unknown; access_token?: unknown; error?: unknown };
    try {
      answer = JSON.parse(res.body) as typeof answer;
    } catch {
      throw new StepUpError('sign-in-error', { detail: `Slack token endpoint answered HTTP ${res.status}` });
    }
    if (typeof answer.access_token === 'string') await this.revoke(answer.access_token);
    if (!answer.ok || typeof answer.id_token !== 'string')
      throw new StepUpError('sign-in-error', { detail: `Slack: ${String(answer.error ?? res.status)}` });
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(answer.id_token, this.keys.getKey, {
        issuer: this.options.baseUrl,
        audience: this.options.clientId,
        algorithms: ['RS256'],
        clockTolerance: 120,
        requiredClaims: ['exp', 'iat'],
        ...(this.options.now ? { currentDate: new Date(this.options.now()) } : {}),
      }));
    } catch (err) {
      throw mapJoseError(err);
    }
    if (payload.nonce !== nonce) throw new StepUpError('token-nonce');
    const user = payload[USER_CLAIM];
    // The same key as the events': the Grid org when there is one, else the workspace (slack-workspaces.ts).
    const enterprise = payload[ENTERPRISE_CLAIM];
    const team = typeof enterprise === 'string' && enterprise ? enterprise : payload[TEAM_CLAIM];
    if (typeof user !== 'string' || typeof team !== 'string')
      throw new StepUpError('token-malformed', { detail: 'no Slack user or team' });
    const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    const name = text(payload.name);
    const teamName = text(payload[TEAM_NAME_CLAIM]);
    return { team, user, ...(name ? { name } : {}), ...(teamName ? { teamName } : {}) };
  }

  /** auth.revoke with the user token itself (Slack's documented way to give a token back). */
  private async revoke(token: string): Promise<void> {
    let answer: { ok?: boolean; error?: unknown } | undefined;
    try {
      const res = await this.http.request(`${this.options.baseUrl}/api/auth.revoke`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
      });
      answer = JSON.parse(res.body) as typeof answer;
    } catch (err) {
      this.options.onRevokeFailed?.(String((err as Error)?.message ?? err));
      return;
    }
    if (!answer?.ok) this.options.onRevokeFailed?.(String(answer?.error ?? 'not ok'));
  }
}
