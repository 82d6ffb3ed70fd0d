// The Graph endpoints behind the helpdesk, simulated: installing the bot for a person (installedApps, with Graph's
// 201 / 409 already installed / 403 blocked by app permission policy), the installation's 1:1 chat, and Temporary
// Access Passes (policy disabled → 400, privileged user → 403, lifetime outside the policy → 400). Never in production.
import { randomBytes } from 'node:crypto';
import { SANDBOX_TEAMS_APP_ID } from '../../config-model.js';
import type { SecurityInfo } from '../../graph/auth-methods.js';
import { DEMO_USERS, sandboxPersonalChatId } from '../entra/demo-directory.js';
import type { SandboxDirectory } from './directory.js';
import { HttpError, requireRole } from './http-error.js';

const INSTALL_ROLES = ['TeamsAppInstallation.ReadWriteSelfForUser.All', 'TeamsAppInstallation.ReadWriteForUser.All'];
const INSTALL_READ_ROLES = [...INSTALL_ROLES, 'TeamsAppInstallation.ReadForUser.All'];
const TAP_ROLES = ['UserAuthMethod-TAP.ReadWrite.All', 'UserAuthenticationMethod.ReadWrite.All'];
/** TAP policy of the sandbox tenant (Entra's defaults: 1 h to 8 h). */
export const SANDBOX_TAP_POLICY = { minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480, defaultLength: 8 };
const PASS_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789@#$%';

type Json = () => Promise<Record<string, unknown>>;

export class SandboxHelpdeskEndpoints {
  /** oid → installation id: where the bot is installed (the Playground's people Alex and Megan at start). */
  readonly installations = new Map<string, string>(
    DEMO_USERS.slice(0, 2).map((u) => [u.oid, `inst-${u.oid.slice(-4)}`] as [string, string]),
  );
  /** People for whom the organisation's app permission policy blocks the bot (Patti in the sandbox). */
  readonly blocked = new Set<string>([DEMO_USERS[4]?.oid as string]);
  /** Whether the Temporary Access Pass policy is enabled. */
  tapPolicyEnabled = true;
  /** Passes issued (as Graph keeps them; the bot never does): for tests to compare what the agent was shown. */
  readonly passes: {
    id: string;
    oid: string;
    pass: string;
    at: number;
    lifetimeInMinutes: number;
    deleted?: boolean;
  }[] = [];

  constructor(
    private readonly directory: SandboxDirectory,
    private readonly users: Map<string, SecurityInfo>,
  ) {}

  async route(
    method: string,
    path: string,
    roles: string[],
    query: URLSearchParams,
    json: Json,
  ): Promise<{ status: number; body?: unknown } | undefined> {
    const apps = /^\/v1\.0\/users\/([^/]+)\/teamwork\/installedApps(?:\/([^/]+)(\/chat)?)?$/.exec(path);
    if (apps) return this.installedApps(method, apps, roles, query, json);
    const tap = /^\/(?:v1\.0|beta)\/users\/([^/]+)\/authentication\/temporaryAccessPassMethods(?:\/([^/]+))?$/.exec(
      path,
    );
    if (!tap) return undefined;
    const oid = this.directory.knownUser(tap[1] as string);
    if (method === 'POST' && !tap[2]) return this.createPass(oid, roles, json);
    requireRole(roles, TAP_ROLES);
    // One usable pass per user (the newest); listed without its value, as Graph does after creation.
    const live = this.passes.filter((p) => p.oid === oid && !p.deleted).slice(-1);
    if (method === 'GET' && !tap[2])
      return {
        status: 200,
        body: {
          value: live.map((p) => ({
            id: p.id,
            createdDateTime: new Date(p.at).toISOString(),
            startDateTime: new Date(p.at).toISOString(),
            lifetimeInMinutes: p.lifetimeInMinutes,
            isUsableOnce: true,
            isUsable: true,
          })),
        },
      };
    if (method === 'DELETE' && tap[2]) {
      const found = this.passes.find(
        (p) => p.oid === oid && p.id === decodeURIComponent(tap[2] as string) && !p.deleted,
      );
      if (!found) throw new HttpError(404, 'itemNotFound', 'The pass does not exist.');
      found.deleted = true;
      const info = this.users.get(oid);
      if (info)
        this.users.set(oid, { ...info, listed: (info.listed ?? []).filter((m) => m.kind !== 'temporaryAccessPass') });
      return { status: 204 };
    }
    return undefined;
  }

  private async installedApps(
    method: string,
    match: RegExpExecArray,
    roles: string[],
    query: URLSearchParams,
    json: Json,
  ): Promise<{ status: number; body?: unknown }> {
    const oid = this.directory.knownUser(match[1] as string);
    const installationId = match[2] ? decodeURIComponent(match[2]) : undefined;
    if (!installationId && method === 'POST') {
      requireRole(roles, INSTALL_ROLES);
      const bind = String((await json())['teamsApp@odata.bind'] ?? '');
      if (!bind.endsWith(`/appCatalogs/teamsApps/${SANDBOX_TEAMS_APP_ID}`))
        throw new HttpError(404, 'NotFound', 'The app was not found in the catalog.');
      if (this.blocked.has(oid)) throw new HttpError(403, 'Forbidden', 'App is blocked by app permission policy.');
      if (this.installations.has(oid)) throw new HttpError(409, 'Conflict', 'App is already installed.');
      this.installations.set(oid, `inst-${oid.slice(-4)}`);
      return { status: 201 };
    }
    if (method !== 'GET') throw new HttpError(405, 'Request_BadRequest', `${method} is not supported.`);
    requireRole(roles, INSTALL_READ_ROLES);
    const mine = this.installations.get(oid);
    if (!installationId) {
      const wanted = /teamsApp\/id eq '([^']+)'/.exec(query.get('$filter') ?? '')?.[1];
      const listed = mine && (!wanted || wanted === SANDBOX_TEAMS_APP_ID) ? [this.installation(mine)] : [];
      return { status: 200, body: { value: listed } };
    }
    if (installationId !== mine) throw new HttpError(404, 'NotFound', `Installation '${installationId}' not found.`);
    if (!match[3]) return { status: 200, body: this.installation(mine) };
    return {
      status: 200,
      body: { id: sandboxPersonalChatId(oid), chatType: 'oneOnOne', tenantId: 'sandbox', webUrl: null },
    };
  }

  private installation(id: string) {
    return {
      id,
      teamsApp: {
        id: SANDBOX_TEAMS_APP_ID,
        externalId: 'proofup',
        displayName: 'Proofup',
        distributionMethod: 'organization',
      },
    };
  }

  private async createPass(oid: string, roles: string[], json: Json): Promise<{ status: number; body: unknown }> {
    requireRole(roles, TAP_ROLES);
    if (!this.tapPolicyEnabled)
      throw new HttpError(
        400,
        'badRequest',
        'Converged UserCredentialPolicy does not allow creating or updating this authentication method. AuthMethodType [TemporaryAccessPass].',
      );
    if ((this.directory.directoryRoles.get(oid) ?? []).length > 0)
      throw new HttpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    const body = await json();
    const lifetime = body.lifetimeInMinutes === undefined ? 60 : Number(body.lifetimeInMinutes);
    const { minimumLifetimeInMinutes: min, maximumLifetimeInMinutes: max } = SANDBOX_TAP_POLICY;
    if (!Number.isInteger(lifetime) || lifetime < min || lifetime > max)
      throw new HttpError(400, 'badRequest', `lifetimeInMinutes must be between ${min} and ${max} (policy).`);
    const bytes = randomBytes(SANDBOX_TAP_POLICY.defaultLength);
    const pass = [...bytes].map((b) => PASS_ALPHABET[b % PASS_ALPHABET.length]).join('');
    const at = Date.now();
    const id = `tap-${at}-${randomBytes(4).toString('hex')}`;
    this.passes.push({ id, oid, pass, at, lifetimeInMinutes: lifetime });
    const info = this.users.get(oid);
    if (info) {
      // One usable pass per user: a new one replaces the old.
      const listed = (info.listed ?? info.others.map((kind) => ({ kind }))).filter(
        (m) => m.kind !== 'temporaryAccessPass',
      );
      this.users.set(oid, {
        ...info,
        listed: [...listed, { kind: 'temporaryAccessPass', until: at + lifetime * 60_000 }],
      });
    }
    return {
      status: 201,
      body: {
        '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${oid}')/authentication/temporaryAccessPassMethods/$entity`,
        id,
        isUsable: true,
        methodUsabilityReason: 'EnabledByPolicy',
        isUsableOnce: body.isUsableOnce !== false,
        lifetimeInMinutes: lifetime,
        startDateTime: new Date(at).toISOString(),
        createdDateTime: new Date(at).toISOString(),
        temporaryAccessPass: pass,
      },
    };
  }
}
