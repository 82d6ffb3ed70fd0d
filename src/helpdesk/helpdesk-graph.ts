// What the helpdesk asks of Microsoft Graph, app-only: find a person, install the bot for them and find the 1:1 chat
// (Teams' proactive-install steps), whether they hold a privileged directory role, and a Temporary Access Pass.
// Every call goes through the authentication-methods client (same token, retries, GraphError mapping).
import type { AuthMethodsClient } from '../graph/auth-methods-client.js';
import { GraphError } from '../graph/graph-error.js';

export interface DirectoryPerson {
  oid: string;
  name: string;
  upn: string;
}

export type InstallOutcome = 'installed' | 'already-installed' | 'blocked';

/** Built-in directory roles whose holders never get a pass from the helpdesk (roleTemplateId → name). */
export const PRIVILEGED_ROLE_TEMPLATES: Record<string, string> = {
  '62e90394-69f5-4237-9190-012177145e10': 'Global Administrator',
  'e8611ab8-c189-46e8-94e1-60213ab1f814': 'Privileged Role Administrator',
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13': 'Privileged Authentication Administrator',
  'c4e39bd9-1100-46d3-8c65-fb160da0071f': 'Authentication Administrator',
  '194ae4cb-b126-40b2-bd5b-6091b380977d': 'Security Administrator',
  '29232cdf-9323-42fd-ade2-1d097af3e4de': 'Exchange Administrator',
  'f28a1f50-f6e7-4571-818b-6a12f2af6b6c': 'SharePoint Administrator',
  'fe930be7-5e62-47db-91af-98c3a49a38b1': 'User Administrator',
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3': 'Application Administrator',
  '158c047a-c907-4556-b7ef-446551a6b5f7': 'Cloud Application Administrator',
  '966707d0-3269-4727-9be2-8c3a10f19b9d': 'Password Administrator',
  '729827e3-9c14-49f7-bb1b-9608f156bbb8': 'Helpdesk Administrator',
  'b0f54661-2d74-4c50-afa3-1ec803f12efe': 'Billing Administrator',
  '3a2c62db-5318-420d-8d74-23affee5d9d5': 'Intune Administrator',
  'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9': 'Conditional Access Administrator',
};

const PERSON_FIELDS = '$select=id,displayName,userPrincipalName';
const EMAIL = /^[^\s@'"]+@[^\s@'"]+\.[^\s@'"]+$/;

function person(raw: unknown): DirectoryPerson | undefined {
  const u = raw as { id?: unknown; displayName?: unknown; userPrincipalName?: unknown };
  return typeof u?.id === 'string'
    ? { oid: u.id, name: String(u.displayName ?? ''), upn: String(u.userPrincipalName ?? '') }
    : undefined;
}

export class HelpdeskGraph {
  constructor(
    private readonly graph: Pick<AuthMethodsClient, 'call'>,
    /** The bot's id in the organisation's Teams app catalog (TEAMS_APP_CATALOG_ID), for the proactive install. */
    private readonly teamsAppId: string,
  ) {}

  /** Whether the bot can install itself for people (TEAMS_APP_CATALOG_ID is set). */
  get canInstall(): boolean {
    return this.teamsAppId !== '';
  }

  /** By e-mail/UPN exactly, or by the start of a name (at most 5). User.Read.All. */
  async findPeople(query: string): Promise<DirectoryPerson[]> {
    const q = query.trim();
    if (!q) return [];
    if (EMAIL.test(q)) {
      try {
        const res = await this.graph.call('GET', `/v1.0/users/${encodeURIComponent(q)}?${PERSON_FIELDS}`);
        const found = person(res.body);
        return found ? [found] : [];
      } catch (err) {
        if (err instanceof GraphError && err.status === 404) return [];
        throw err;
      }
    }
    const literal = q.replace(/'/g, "''");
    const filter = `startswith(displayName,'${literal}') or startswith(givenName,'${literal}') or startswith(surname,'${literal}')`;
    const res = await this.graph.call(
      'GET',
      `/v1.0/users?$filter=${encodeURIComponent(filter)}&${PERSON_FIELDS}&$top=5`,
    );
    const value = (res.body as { value?: unknown[] })?.value ?? [];
    return value.map(person).filter((p): p is DirectoryPerson => Boolean(p));
  }

  async person(oid: string): Promise<DirectoryPerson | undefined> {
    try {
      return person((await this.graph.call('GET', `/v1.0/users/${encodeURIComponent(oid)}?${PERSON_FIELDS}`)).body);
    } catch (err) {
      if (err instanceof GraphError && err.status === 404) return undefined;
      throw err;
    }
  }

  /**
   * Installs the bot in the person's personal scope (TeamsAppInstallation.ReadWriteSelfForUser.All): 201 installed,
   * 409 already there, 403 blocked by the organisation's app permission policy.
   */
  async install(oid: string): Promise<InstallOutcome> {
    try {
      await this.graph.call('POST', `/v1.0/users/${encodeURIComponent(oid)}/teamwork/installedApps`, {
        'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${this.teamsAppId}`,
      });
      return 'installed';
    } catch (err) {
      if (err instanceof GraphError && err.status === 409) return 'already-installed';
      if (err instanceof GraphError && err.status === 403) return 'blocked';
      throw err;
    }
  }

  /** The 1:1 chat between the person and the bot (its id is the Teams conversation id), once installed. */
  async personalChatId(oid: string): Promise<string | undefined> {
    const user = `/v1.0/users/${encodeURIComponent(oid)}/teamwork/installedApps`;
    const filter = encodeURIComponent(`teamsApp/id eq '${this.teamsAppId}'`);
    const res = await this.graph.call('GET', `${user}?$expand=teamsApp&$filter=${filter}`);
    const installation = ((res.body as { value?: { id?: unknown }[] })?.value ?? [])[0];
    if (typeof installation?.id !== 'string') return undefined;
    const chat = await this.graph.call('GET', `${user}/${encodeURIComponent(installation.id)}/chat`);
    const id = (chat.body as { id?: unknown })?.id;
    return typeof id === 'string' ? id : undefined;
  }

  /** The privileged built-in roles the person holds, directly or through groups (RoleManagement.Read.Directory). */
  async privilegedRoles(oid: string): Promise<string[]> {
    const res = await this.graph.call(
      'GET',
      `/v1.0/users/${encodeURIComponent(oid)}/transitiveMemberOf/microsoft.graph.directoryRole?$select=roleTemplateId,displayName`,
    );
    const roles = (res.body as { value?: { roleTemplateId?: unknown; displayName?: unknown }[] })?.value ?? [];
    return roles
      .filter((r) => typeof r.roleTemplateId === 'string' && r.roleTemplateId in PRIVILEGED_ROLE_TEMPLATES)
      .map((r) => String(r.displayName ?? PRIVILEGED_ROLE_TEMPLATES[r.roleTemplateId as string]));
  }

  /** The person's manager (User.Read.All), or undefined when the directory names none (Graph: 404). */
  async managerOf(oid: string): Promise<DirectoryPerson | undefined> {
    try {
      const res = await this.graph.call(
        'GET',
        `/v1.0/users/${encodeURIComponent(oid)}/manager?$select=id,displayName,userPrincipalName`,
      );
      return person(res.body);
    } catch (err) {
      if (err instanceof GraphError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** The person's Temporary Access Passes as Graph lists them (never their value): id and creation time. */
  async temporaryAccessPasses(oid: string): Promise<{ id: string; createdAt: number }[]> {
    const res = await this.graph.call(
      'GET',
      `/v1.0/users/${encodeURIComponent(oid)}/authentication/temporaryAccessPassMethods`,
    );
    const value = (res.body as { value?: { id?: unknown; createdDateTime?: unknown }[] })?.value ?? [];
    return value
      .filter((p) => typeof p.id === 'string')
      .map((p) => ({ id: p.id as string, createdAt: Date.parse(String(p.createdDateTime ?? '')) || 0 }));
  }

  async deleteTemporaryAccessPass(oid: string, id: string): Promise<void> {
    await this.graph.call(
      'DELETE',
      `/v1.0/users/${encodeURIComponent(oid)}/authentication/temporaryAccessPassMethods/${encodeURIComponent(id)}`,
    );
  }

  /** A one-time Temporary Access Pass (UserAuthMethod-TAP.ReadWrite.All). The value exists only in this answer. */
  async createTemporaryAccessPass(
    oid: string,
    lifetimeInMinutes: number,
  ): Promise<{ id: string; pass: string; startsAt: string; lifetimeInMinutes: number; requestId?: string }> {
    const res = await this.graph.call(
      'POST',
      `/v1.0/users/${encodeURIComponent(oid)}/authentication/temporaryAccessPassMethods`,
      { lifetimeInMinutes, isUsableOnce: true },
    );
    const body = res.body as {
      id?: unknown;
      temporaryAccessPass?: unknown;
      startDateTime?: unknown;
      lifetimeInMinutes?: unknown;
    };
    if (typeof body?.temporaryAccessPass !== 'string' || !body.temporaryAccessPass)
      throw new GraphError('PROOFUP_GRAPH_REFUSED', res.status, 'noPass', res.requestId, 'Graph returned no pass');
    return {
      id: typeof body.id === 'string' ? body.id : '',
      pass: body.temporaryAccessPass,
      startsAt: typeof body.startDateTime === 'string' ? body.startDateTime : new Date().toISOString(),
      lifetimeInMinutes: typeof body.lifetimeInMinutes === 'number' ? body.lifetimeInMinutes : lifetimeInMinutes,
      ...(res.requestId ? { requestId: res.requestId } : {}),
    };
  }
}
