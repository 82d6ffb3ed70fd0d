// The tenant's readiness for the end of Microsoft's SMS and voice codes, from Graph's userRegistrationDetails report
// (application permission AuditLog.Read.All), every page followed (@odata.nextLink), optionally for one group's
// members (GroupMember.Read.All). The counts go anywhere; the names of those who sign in only by phone are for the
// agent's personal chat only (readiness-dialog.ts asks for them by page). Cached per scope for CACHE_MS: the
// report is itself refreshed by Microsoft only every few hours, and a busy helpdesk asking twice should not page
// through 10,000 people twice.
import type { AuthMethodsClient } from '../graph/auth-methods-client.js';
import { type ReadinessSummary, ReadinessTally, type RegistrationDetail } from '../readiness/registration-report.js';

export const READINESS_CACHE_MS = 10 * 60_000;

/** Who signs in only by phone, sorted by name: for the agent's personal chat only, a page at a time. */
export interface PhoneOnlyPerson {
  oid: string;
  name: string;
  upn: string;
}

export type ReadinessResult =
  | { ok: true; summary: ReadinessSummary; asOf: number; group?: string; phoneOnly: PhoneOnlyPerson[] }
  | { ok: false; why: 'no-group' | 'many-groups'; group: string };

export class ReadinessReports {
  private readonly cache = new Map<string, { at: number; result: ReadinessResult }>();

  constructor(
    private readonly graph: Pick<AuthMethodsClient, 'call'>,
    private readonly now: () => number = Date.now,
    /** Each fresh tenant-wide report (the /metrics gauges). */
    private readonly onTenantReport: (summary: ReadinessSummary, at: number) => void = () => {},
  ) {}

  /** The counts for everyone, or for the members of the group named `group` (its display name). */
  async report(group?: string): Promise<ReadinessResult> {
    const key = group?.trim().toLowerCase() ?? '';
    const cached = this.cache.get(key);
    if (cached && cached.at + READINESS_CACHE_MS > this.now()) return cached.result;
    const result = await this.fresh(group?.trim());
    if (result.ok) this.cache.set(key, { at: result.asOf, result });
    if (result.ok && !key) this.onTenantReport(result.summary, result.asOf);
    return result;
  }

  private async fresh(group: string | undefined): Promise<ReadinessResult> {
    let members: Set<string> | undefined;
    if (group) {
      const found = await this.graph.call(
        'GET',
        `/v1.0/groups?$filter=${encodeURIComponent(`displayName eq '${group.replace(/'/g, "''")}'`)}&$select=id,displayName`,
      );
      const groups = (found.body as { value?: { id?: string; displayName?: string }[] }).value ?? [];
      if (groups.length === 0) return { ok: false, why: 'no-group', group };
      if (groups.length > 1) return { ok: false, why: 'many-groups', group };
      members = new Set();
      for await (const m of this.pages<{ id?: string }>(
        `/v1.0/groups/${encodeURIComponent(groups[0]?.id ?? '')}/transitiveMembers/microsoft.graph.user?$select=id`,
      ))
        if (m.id) members.add(m.id);
      group = groups[0]?.displayName ?? group;
    }
    const asOf = this.now();
    const tally = new ReadinessTally();
    const phoneOnly: PhoneOnlyPerson[] = [];
    for await (const d of this.pages<RegistrationDetail>('/v1.0/reports/authenticationMethods/userRegistrationDetails'))
      if ((!members || members.has(d.id)) && tally.add(d) === 'phone-only')
        phoneOnly.push({ oid: d.id, name: d.userDisplayName ?? '', upn: d.userPrincipalName ?? d.id });
    phoneOnly.sort((a, b) => a.name.localeCompare(b.name) || a.upn.localeCompare(b.upn));
    return { ok: true, summary: tally.summary(), asOf, phoneOnly, ...(group ? { group } : {}) };
  }

  /** Every item of a paged collection, following @odata.nextLink (absolute URLs of the same Graph). */
  private async *pages<T>(first: string): AsyncGenerator<T> {
    let path: string | undefined = first;
    while (path) {
      const res = await this.graph.call('GET', path);
      const body = res.body as { value?: T[]; '@odata.nextLink'?: string };
      for (const item of body.value ?? []) yield item;
      const next = body['@odata.nextLink'];
      path = next ? `${new URL(next).pathname}${new URL(next).search}` : undefined;
    }
  }
}
