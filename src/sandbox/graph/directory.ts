// The sandbox directory behind the simulated Graph: the organisation's country, users' business phones and usage
// locations, group membership (transitive), and sign-outs (revokeSignInSessions) — with Graph's shapes, roles and
// errors.
import { DEMO_USERS } from '../entra/demo-directory.js';
import { demoBusinessPhones, demoDirectoryRoles, demoGroups, demoUsageLocations } from './demo-methods.js';
import { HttpError, requireRole } from './http-error.js';

const ORGANIZATION_ROLES = ['Organization.Read.All', 'Directory.Read.All'];
const MEMBERSHIP_ROLES = ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All'];
const REVOKE_ROLES = ['User.RevokeSessions.All', 'Directory.ReadWrite.All', 'User.ReadWrite.All'];
const USER_READ_ROLES = ['User.Read.All', 'User.ReadBasic.All', 'Directory.Read.All'];
const ROLE_READ_ROLES = ['RoleManagement.Read.Directory', 'RoleManagement.Read.All', 'Directory.Read.All'];

export class SandboxDirectory {
  readonly businessPhones: Map<string, string[]> = demoBusinessPhones();
  readonly usageLocations: Map<string, string> = demoUsageLocations();
  /** Groups and their members (oids), transitive membership already resolved. */
  readonly groups: Map<string, Set<string>> = demoGroups();
  /** Built-in directory roles held by each user (transitive). */
  readonly directoryRoles = demoDirectoryRoles();
  /** Each person's manager (oid → oid): Adele's and Patti's is Megan, Megan's is Alex; Alex has none (Graph: 404). */
  readonly managers = new Map<string, string>([
    [DEMO_USERS[2]?.oid as string, DEMO_USERS[1]?.oid as string],
    [DEMO_USERS[4]?.oid as string, DEMO_USERS[1]?.oid as string],
    [DEMO_USERS[1]?.oid as string, DEMO_USERS[0]?.oid as string],
  ]);
  /** When each user was signed out everywhere (revokeSignInSessions). */
  readonly revokedAt = new Map<string, number>();
  /** Whether an id is one of the generated workforce's (the readiness report's people; set by the Graph simulator). */
  isGenerated: (id: string) => boolean = () => false;
  /** organization.countryLetterCode of the simulated tenant (the default for SMS_ALLOWED_COUNTRIES). */
  tenantCountry = 'US';

  /** The answer to a directory request, or undefined when the path is not one (authentication methods are). */
  route(
    method: string,
    path: string,
    roles: string[],
    query = new URLSearchParams(),
  ): { status: number; body: unknown } | undefined {
    if (path === '/v1.0/users' && method === 'GET') {
      requireRole(roles, USER_READ_ROLES);
      return { status: 200, body: { value: this.search(query.get('$filter') ?? '') } };
    }
    const directoryRoles = /^\/v1\.0\/users\/([^/]+)\/transitiveMemberOf\/microsoft\.graph\.directoryRole$/.exec(path);
    if (directoryRoles && method === 'GET') {
      requireRole(roles, ROLE_READ_ROLES);
      const id = this.knownUser(directoryRoles[1] as string);
      const held = (this.directoryRoles.get(id) ?? []).map((r) => ({ id: `role-${r.roleTemplateId}`, ...r }));
      return { status: 200, body: { value: held } };
    }
    const manager = /^\/v1\.0\/users\/([^/]+)\/manager$/.exec(path);
    if (manager && method === 'GET') {
      requireRole(roles, USER_READ_ROLES);
      const boss = DEMO_USERS.find((u) => u.oid === this.managers.get(this.knownUser(manager[1] as string)));
      if (!boss) throw new HttpError(404, 'Request_ResourceNotFound', "Resource 'manager' does not exist.");
      return {
        status: 200,
        body: {
          '@odata.type': '#microsoft.graph.user',
          id: boss.oid,
          displayName: boss.name,
          userPrincipalName: boss.upn,
        },
      };
    }
    if (path === '/v1.0/organization' && method === 'GET') {
      requireRole(roles, ORGANIZATION_ROLES);
      return { status: 200, body: { value: [{ id: 'sandbox-tenant', countryLetterCode: this.tenantCountry }] } };
    }
    const revoke = /^\/v1\.0\/users\/([^/]+)\/revokeSignInSessions$/.exec(path);
    if (revoke && method === 'POST') {
      requireRole(roles, REVOKE_ROLES);
      this.revokedAt.set(this.knownUser(revoke[1] as string), Date.now());
      return { status: 200, body: { '@odata.context': '$metadata#Edm.Boolean', value: true } };
    }
    const memberOf = /^\/v1\.0\/users\/([^/]+)\/transitiveMemberOf\/microsoft\.graph\.group$/.exec(path);
    if (memberOf && method === 'GET') {
      requireRole(roles, MEMBERSHIP_ROLES);
      const id = this.knownUser(memberOf[1] as string);
      const groups = [...this.groups].filter(([, members]) => members.has(id)).map(([gid]) => ({ id: gid }));
      return { status: 200, body: { value: groups } };
    }
    const user = /^\/(?:v1\.0|beta)\/users\/([^/]+)$/.exec(path);
    if (user && method === 'GET') {
      const id = this.knownUser(user[1] as string);
      const person = DEMO_USERS.find((u) => u.oid === id);
      return {
        status: 200,
        body: {
          id,
          displayName: person?.name ?? null,
          userPrincipalName: person?.upn ?? null,
          businessPhones: this.businessPhones.get(id),
          usageLocation: this.usageLocations.get(id) ?? null,
        },
      };
    }
    return undefined;
  }

  /** `startswith(displayName,'x') or startswith(givenName,'x') …`: the people whose name (or a part) starts so. */
  private search(filter: string): { id: string; displayName: string; userPrincipalName: string }[] {
    const prefixes = [...filter.matchAll(/startswith\((\w+),'((?:[^']|'')*)'\)/g)].map((m) =>
      (m[2] as string).replace(/''/g, "'").toLowerCase(),
    );
    if (prefixes.length === 0)
      throw new HttpError(400, 'Request_UnsupportedQuery', 'Unsupported or invalid query filter clause specified.');
    return DEMO_USERS.filter((u) => {
      const parts = [u.name, ...u.name.split(' ')].map((p) => p.toLowerCase());
      return prefixes.some((prefix) => parts.some((p) => p.startsWith(prefix)));
    })
      .slice(0, 5)
      .map((u) => ({ id: u.oid, displayName: u.name, userPrincipalName: u.upn }));
  }

  /** The oid for an oid or UPN in a path, when the directory has that user (else Graph's 404). */
  knownUser(raw: string): string {
    const decoded = decodeURIComponent(raw);
    const id = DEMO_USERS.find((u) => u.upn.toLowerCase() === decoded.toLowerCase())?.oid ?? decoded;
    if (!this.businessPhones.has(id) && !this.isGenerated(id))
      throw new HttpError(404, 'Request_ResourceNotFound', `Resource '${raw}' does not exist.`);
    return id;
  }
}
