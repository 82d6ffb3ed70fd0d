// The readiness side of the simulated Graph: GET /reports/authenticationMethods/userRegistrationDetails (application
// permission AuditLog.Read.All; paged with @odata.nextLink and $skiptoken, 100 per page as Graph's default; $filter
// on isAdmin), groups by display name (GET /groups?$filter=displayName eq '…') and their members
// (GET /groups/{id}/transitiveMembers/microsoft.graph.user, paged). The directory is the five sandbox people — their
// registrations derived live from their methods, so a passkey added in the sandbox moves the count — and a generated
// workforce (SANDBOX_WORKFORCE people, seeded: the same every start) across departments, with mixed readiness and
// some admins. Never in production.
import type { SecurityInfo } from '../../graph/auth-methods.js';
import { DEMO_USERS } from '../entra/demo-directory.js';
import { HttpError, requireRole } from './http-error.js';

const REPORT_ROLES = ['AuditLog.Read.All'];
const GROUP_READ_ROLES = ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All'];
const PAGE = 100;
export const SANDBOX_DEPARTMENTS = ['Sales', 'Engineering', 'Finance', 'Operations', 'People'] as const;

interface Worker {
  id: string;
  userPrincipalName: string;
  userDisplayName: string;
  department: string;
  isAdmin: boolean;
  methodsRegistered: string[];
}

/** Methods by readiness, as Graph names them: what a generated person has registered. */
const PROFILES: string[][] = [
  ['passKeyDeviceBoundAuthenticator', 'microsoftAuthenticatorPush'],
  ['windowsHelloForBusiness', 'mobilePhone'],
  ['mobilePhone'],
  ['mobilePhone', 'officePhone'],
  ['microsoftAuthenticatorPush', 'mobilePhone'],
  ['softwareOneTimePasscode'],
  [],
  ['email'],
];
/** How often each profile occurs (per 100): ~35 % phishing-resistant, ~30 % phone only, ~25 % other, ~10 % none. */
const WEIGHTS = [20, 15, 20, 10, 20, 5, 6, 4];

/** A small seeded generator (mulberry32): the same workforce every start, no Math.random. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateWorkforce(count: number): Worker[] {
  const random = seeded(20270201);
  const pick = () => {
    let roll = random() * 100;
    for (const [i, w] of WEIGHTS.entries()) {
      if (roll < w) return PROFILES[i] as string[];
      roll -= w;
    }
    return PROFILES[0] as string[];
  };
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(5, '0');
    return {
      id: `5a7d0000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      userPrincipalName: `worker${n}@contoso.test`,
      userDisplayName: `Worker ${n}`,
      department: SANDBOX_DEPARTMENTS[i % SANDBOX_DEPARTMENTS.length] as string,
      isAdmin: random() < 0.03,
      methodsRegistered: [...pick()],
    };
  });
}

/** The sandbox person's registrations as the report would list them, from their live methods. */
function registeredOf(info: SecurityInfo | undefined): string[] {
  if (!info) return [];
  const phones = Object.entries(info.phones)
    .filter(([, number]) => Boolean(number))
    .map(([type]) =>
      type === 'mobile' ? 'mobilePhone' : type === 'alternateMobile' ? 'alternateMobilePhone' : 'officePhone',
    );
  const NAMES: Record<string, string> = {
    microsoftAuthenticator: 'microsoftAuthenticatorPush',
    softwareOath: 'softwareOneTimePasscode',
    hardwareOath: 'hardwareOneTimePasscode',
    fido2: 'passKeyDeviceBound',
    windowsHelloForBusiness: 'windowsHelloForBusiness',
    platformCredential: 'macOsSecureEnclaveKey',
    email: 'email',
    temporaryAccessPass: 'temporaryAccessPass',
  };
  const listed = (info.listed ?? info.others.map((kind) => ({ kind }))).map((m) => NAMES[m.kind]).filter(Boolean);
  return [...new Set([...phones, ...(listed as string[])])];
}

export class SandboxRegistrationEndpoints {
  readonly workforce: Worker[];

  constructor(
    private readonly users: Map<string, SecurityInfo>,
    private readonly baseUrl: () => string,
    size: number,
  ) {
    this.workforce = generateWorkforce(size);
  }

  private everyone(): Worker[] {
    const demo = DEMO_USERS.map((u, i) => ({
      id: u.oid,
      userPrincipalName: u.upn,
      userDisplayName: u.name,
      department: i < 2 ? 'IT' : (SANDBOX_DEPARTMENTS[i % SANDBOX_DEPARTMENTS.length] as string),
      isAdmin: i === 3, // Isaiah holds an admin role in the sandbox
      methodsRegistered: registeredOf(this.users.get(u.oid)),
    }));
    return [...demo, ...this.workforce];
  }

  route(
    method: string,
    path: string,
    roles: string[],
    query: URLSearchParams,
  ): { status: number; body: unknown } | undefined {
    if (method !== 'GET') return undefined;
    if (path === '/v1.0/reports/authenticationMethods/userRegistrationDetails') {
      requireRole(roles, REPORT_ROLES);
      const filter = query.get('$filter');
      let rows = this.everyone();
      if (filter) {
        const admin = /^isAdmin eq (true|false)$/.exec(filter);
        if (!admin) throw new HttpError(400, 'BadRequest', `Invalid filter clause: ${filter}`);
        rows = rows.filter((r) => r.isAdmin === (admin[1] === 'true'));
      }
      return this.page(path, query, rows, ({ department: _d, ...row }) => ({ ...row, userType: 'member' }));
    }
    if (path === '/v1.0/groups') {
      requireRole(roles, GROUP_READ_ROLES);
      const name = /^displayName eq '((?:[^']|'')*)'$/.exec(query.get('$filter') ?? '')?.[1]?.replace(/''/g, "'");
      if (name === undefined) throw new HttpError(400, 'BadRequest', 'Only $filter=displayName eq is simulated.');
      const found = [...SANDBOX_DEPARTMENTS, 'IT'].filter((d) => d.toLowerCase() === name.toLowerCase());
      return { status: 200, body: { value: found.map((d) => ({ id: groupIdOf(d), displayName: d })) } };
    }
    const members = /^\/v1\.0\/groups\/([^/]+)\/transitiveMembers\/microsoft\.graph\.user$/.exec(path);
    if (members) {
      requireRole(roles, GROUP_READ_ROLES);
      const department = [...SANDBOX_DEPARTMENTS, 'IT'].find((d) => groupIdOf(d) === members[1]);
      if (!department) throw new HttpError(404, 'Request_ResourceNotFound', `Resource '${members[1]}' does not exist.`);
      const rows = this.everyone().filter((w) => w.department === department);
      return this.page(path, query, rows, (w) => ({ id: w.id }));
    }
    return undefined;
  }

  /** Graph's paging: a page of PAGE, and @odata.nextLink (absolute, with $skiptoken) while there is more. */
  private page(
    path: string,
    query: URLSearchParams,
    rows: Worker[],
    shape: (w: Worker) => unknown,
  ): { status: number; body: unknown } {
    const skip = Number(query.get('$skiptoken') ?? '0');
    if (!Number.isInteger(skip) || skip < 0) throw new HttpError(400, 'BadRequest', 'Invalid $skiptoken.');
    const value = rows.slice(skip, skip + PAGE).map(shape);
    const body: Record<string, unknown> = { value };
    if (skip + PAGE < rows.length) {
      const next = new URLSearchParams(query);
      next.set('$skiptoken', String(skip + PAGE));
      body['@odata.nextLink'] = `${this.baseUrl()}${path}?${next.toString()}`;
    }
    return { status: 200, body };
  }
}

function groupIdOf(department: string): string {
  const hex = Buffer.from(department.toLowerCase()).toString('hex').padEnd(12, '0').slice(0, 12);
  return `9a0d0000-0000-4000-8000-${hex}`;
}
