// The sandbox directory behind the simulated Graph: the organisation's country, users' business phones and usage
// locations, group membership (transitive), and sign-outs (revokeSignInSessions) — with Graph's shapes, roles and
// errors.
import { demoBusinessPhones, demoGroups, demoUsageLocations } from './demo-methods.js';
import { HttpError, requireRole } from './http-error.js';

const ORGANIZATION_ROLES = ['Organization.Read.All', 'Directory.Read.All'];
const MEMBERSHIP_ROLES = ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All'];
const REVOKE_ROLES = ['User.RevokeSessions.All', 'Directory.ReadWrite.All', 'User.ReadWrite.All'];

export class SandboxDirectory {
  readonly businessPhones: Map<string, string[]> = demoBusinessPhones();
  readonly usageLocations: Map<string, string> = demoUsageLocations();
  /** Groups and their members (oids), transitive membership already resolved. */
  readonly groups: Map<string, Set<string>> = demoGroups();
  /** When each user was signed out everywhere (revokeSignInSessions). */
  readonly revokedAt = new Map<string, number>();
  /** organization.countryLetterCode of the simulated tenant (the default for SMS_ALLOWED_COUNTRIES). */
  tenantCountry = 'US';

  /** The answer to a directory request, or undefined when the path is not one (authentication methods are). */
  route(method: string, path: string, roles: string[]): { status: number; body: unknown } | undefined {
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
      return {
        status: 200,
        body: { id, businessPhones: this.businessPhones.get(id), usageLocation: this.usageLocations.get(id) ?? null },
      };
    }
    return undefined;
  }

  /** The oid in a path, when the directory has that user (else Graph's 404). */
  private knownUser(raw: string): string {
    const id = decodeURIComponent(raw);
    if (!this.businessPhones.has(id))
      throw new HttpError(404, 'Request_ResourceNotFound', `Resource '${raw}' does not exist.`);
    return id;
  }
}
