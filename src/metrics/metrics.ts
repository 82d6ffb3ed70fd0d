// Prometheus metrics (prom-client, text format on /metrics). One registry per app (tests run several apps in one
// process). Labels carry kinds, outcomes and reasons only: never a user, a chat, a number or a flow id.
import { Counter, Gauge, Registry } from 'prom-client';
import type { ReadinessSummary } from '../readiness/registration-report.js';

export class Metrics {
  readonly registry = new Registry();

  /** Activities received on /api/messages, by channel and what became of them. */
  readonly turns = new Counter({
    name: 'proofup_turns_total',
    help: 'Activities received on /api/messages, by channel and outcome (ok, duplicate, unauthorized, bad_request, failed, refused_shutting_down).',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });

  /** Turns that failed inside the bot and were answered with "something went wrong" (onTurnError). */
  readonly turnErrors = new Counter({
    name: 'proofup_turn_errors_total',
    help: 'Turns that failed inside the bot (the user was told, nothing changed), by error code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  /** The change funnel: started (sign-in begun) → verified → code_sent → confirmed → applied | failed, and exits. */
  readonly flowEvents = new Counter({
    name: 'proofup_flow_events_total',
    help: 'Flow events: started, verified, code-sent, code-failed, confirmed, applied, failed, cancelled, expired; reason for failures.',
    labelNames: ['event', 'reason'] as const,
    registers: [this.registry],
  });

  readonly graphRequests = new Counter({
    name: 'proofup_graph_requests_total',
    help: 'Requests to Microsoft Graph on the wire, by method, operation and HTTP status (0: no answer).',
    labelNames: ['method', 'operation', 'status'] as const,
    registers: [this.registry],
  });

  readonly messagesSent = new Counter({
    name: 'proofup_messages_sent_total',
    help: 'SMS and e-mail handed to the provider (codes and change notices), by kind and outcome (ok, failed).',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly escalations = new Counter({
    name: 'proofup_escalations_total',
    help: 'Requests for the helpdesk, by reason (lost-phone, wrong-codes, ...) and outcome (sent, failed, taken).',
    labelNames: ['reason', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly stepUpRefusals = new Counter({
    name: 'proofup_step_up_refusals_total',
    help: 'Step-up sign-ins refused, by reason (token-signature, mfa-denied, wrong-account, attempt-cancelled, ...).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly unhandledErrors = new Counter({
    name: 'proofup_unhandled_errors_total',
    help: 'Errors nobody handled (kind: rejection, exception), logged and survived: the process kept running.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly limitRefusals = new Counter({
    name: 'proofup_limit_refusals_total',
    help: 'Requests refused by a per-person limit (limit: flows-per-day, escalations-per-hour).',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  readonly helpdeskEvents = new Counter({
    name: 'proofup_helpdesk_events_total',
    help: "Temporary Access Pass events, the audit's fixed names: requested, verification-sent, verified, verification-failed, approved, issued, shown, hidden, deleted, expired.",
    labelNames: ['event'] as const,
    registers: [this.registry],
  });

  readonly reminders = new Counter({
    name: 'proofup_reminders_total',
    help: 'Reminder campaigns: what happened to each reminder (sent, unreachable, unknown — interrupted, not resent) and what people answered (passkey, snoozed, opted-out).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly readinessPeople = new Gauge({
    name: 'proofup_readiness_people',
    help: "People by how they sign in (readiness: phishing-resistant, phone-only, other-mfa, no-mfa; scope: everyone, or admins — Graph's isAdmin — for phone-only and no-mfa), from the latest tenant-wide readiness report this instance read.",
    labelNames: ['readiness', 'scope'] as const,
    registers: [this.registry],
  });

  readonly readinessReadAt = new Gauge({
    name: 'proofup_readiness_report_timestamp_seconds',
    help: 'When this instance last read the tenant-wide readiness report (Unix time).',
    registers: [this.registry],
  });

  readonly inflight: Gauge<string>;

  constructor(inflight: () => number = () => 0) {
    this.inflight = new Gauge({
      name: 'proofup_turns_in_flight',
      help: 'Turns being processed right now on this instance.',
      registers: [this.registry],
      collect() {
        this.set(inflight());
      },
    });
  }

  /** The latest tenant-wide readiness report, as gauges. */
  recordReadiness(summary: ReadinessSummary, at: number): void {
    for (const [readiness, n] of Object.entries(summary.counts))
      this.readinessPeople.set({ readiness, scope: 'everyone' }, n);
    this.readinessPeople.set({ readiness: 'phone-only', scope: 'admins' }, summary.admins.phoneOnly);
    this.readinessPeople.set({ readiness: 'no-mfa', scope: 'admins' }, summary.admins.noMfa);
    this.readinessReadAt.set(Math.floor(at / 1000));
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** Graph paths without ids: "/v1.0/users/{id}/authentication/phoneMethods/{id}". */
export function graphOperation(path: string): string {
  return path
    .split('?')[0]
    ?.replace(/\/users\/[^/]+/, '/users/{id}')
    .replace(/\/phoneMethods\/[^/]+/, '/phoneMethods/{id}') as string;
}
