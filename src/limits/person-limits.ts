// Per-person abuse limits (DESIGN §3): how many changes of security info one person may start per day (each is a
// fresh Graph read and, later, codes and writes) and how many requests for the helpdesk per hour (each is a ticket and
// a channel card). Counted per Entra object id across every instance (WindowCounter); a refusal is audited
// ('limitReached', the limit as reason) and counted in /metrics, and the caller tells the person when to try again.
import { randomUUID } from 'node:crypto';
import type { Storage } from 'botbuilder';
import type { AuditLog } from '../audit/audit-log.js';
import type { Retained } from '../storage/records.js';
import { WindowCounter } from '../storage/window-counter.js';

export type LimitName = 'flows-per-day' | 'escalations-per-hour';

const DAY = 24 * 3_600_000;
const HOUR = 3_600_000;
export const LIMIT_WINDOWS: Record<LimitName, number> = { 'flows-per-day': DAY, 'escalations-per-hour': HOUR };

export interface PersonLimitsDeps {
  storage: Storage;
  limits: { flowsPerDay: number; escalationsPerHour: number };
  audit: AuditLog;
  count?: (limit: LimitName) => void;
  now?: () => number;
}

export class PersonLimits {
  private readonly counters: Record<LimitName, WindowCounter>;
  private readonly now: () => number;

  constructor(private readonly deps: PersonLimitsDeps) {
    this.now = deps.now ?? Date.now;
    this.counters = {
      'flows-per-day': new WindowCounter(deps.storage, 'limit/flows', DAY, this.now),
      'escalations-per-hour': new WindowCounter(deps.storage, 'limit/escalations', HOUR, this.now),
    };
  }

  /** Takes one from `who`'s allowance; false (audited, counted) when it is used up. */
  async allow(limit: LimitName, who: { oid: string; channel: string }): Promise<boolean> {
    const max = limit === 'flows-per-day' ? this.deps.limits.flowsPerDay : this.deps.limits.escalationsPerHour;
    if (await this.counters[limit].take(who.oid, max)) return true;
    this.deps.count?.(limit);
    await this.deps.audit.append({
      id: randomUUID(),
      at: new Date(this.now()).toISOString(),
      flowId: '',
      actorOid: who.oid,
      channel: who.channel,
      action: 'limitReached',
      steps: [],
      result: 'refused',
      reason: limit,
    });
    return false;
  }
}

/** The limits' counters (src/retention.ts collects it). */
export const LIMIT_RECORDS: readonly Retained[] = [
  {
    prefix: 'limit/',
    lifetimeMs: DAY,
    holds: 'times of changes started (per day) and helpdesk requests (per hour) per person (oid)',
  },
];
