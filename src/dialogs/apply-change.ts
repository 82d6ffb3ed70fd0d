// The "Confirm" step: re-plan against Graph's current state, run the plan, notify independently, and describe the
// outcome (result card + audit record). No chat I/O here; the dialog shows the result.
import type { AuditRecord } from '../audit/audit-log.js';
import type { AuthMethodsClient } from '../graph/auth-methods-client.js';
import { GraphError } from '../graph/graph-error.js';
import type { PlanExecutor, PlanRecord } from '../graph/plan-executor.js';
import { type ChangeRequest, planChange, REFUSAL_MESSAGES } from '../graph/planner.js';
import type { Grant } from '../identity/step-up-service.js';
import type { Logger } from '../logging.js';
import { maskPhone } from '../mask.js';
import type { ChangeNotifier } from '../notify/change-notifier.js';
import { auditRecordFor, type ChangeFlow, e164Of } from './change-flow.js';
import { summaryOf } from './security-info-views.js';

export interface ApplyDeps {
  graph: AuthMethodsClient;
  executor: PlanExecutor;
  notifier: ChangeNotifier;
  logger: Logger;
}

export interface ApplyOutcome {
  card: { ok: boolean; title: string; message: string; detail: string };
  audit: AuditRecord;
}

const notChanged = (message: string, detail = '') => ({ ok: false, title: 'Not changed', message, detail });

export async function applyChange(
  deps: ApplyDeps,
  flow: ChangeFlow & { request: ChangeRequest },
  grant: Grant,
  channel: string,
  now: number,
): Promise<ApplyOutcome> {
  const audit = (result: AuditRecord['result'], reason?: string) => auditRecordFor(channel, flow, result, now, reason);
  const before = await deps.graph.securityInfo(flow.oid);
  const plan = planChange(before, flow.request);
  if (!plan.ok) return { card: notChanged(REFUSAL_MESSAGES[plan.refusal]), audit: audit('refused', plan.refusal) };

  let record: PlanRecord;
  try {
    record = await deps.executor.execute(flow.id, flow.oid, plan.steps, before);
  } catch (err) {
    deps.logger.error({ err, flowId: flow.id }, 'plan execution failed');
    return {
      card: notChanged('Something went wrong while applying the change. Please contact the helpdesk.'),
      audit: audit('failed', 'executor-error'),
    };
  }
  const steps = plan.steps.map((s, i) => ({ op: s.operation.op, requestId: record.requestIds[i] }));
  if (record.status !== 'done') {
    const error = record.error;
    const message = error
      ? new GraphError(error.code as never, error.status, error.graphCode, undefined, '').userMessage
      : 'The change could not be applied.';
    const failedRollback = record.status === 'rollback-failed';
    const detail = failedRollback
      ? 'Part of the change could not be undone. The helpdesk has been alerted; please contact them.'
      : 'Everything was put back as it was.';
    return {
      card: notChanged(message, detail),
      audit: { ...audit(failedRollback ? 'rollback-failed' : 'rolled-back', error?.code), steps },
    };
  }

  const request = flow.request;
  // The old number hears about it too — unless it is an office landline, which cannot receive texts.
  const replaced = request.kind !== 'setDefault' && request.type !== 'office' ? before.phones[request.type] : undefined;
  const notified = await deps.notifier.notify({
    email: grant.upn,
    name: grant.name,
    summary: summaryOf(request, before),
    at: new Date(now),
    oldNumber: replaced ? e164Of(replaced) : undefined,
  });
  const override =
    plan.systemPreferredOverrides && request.kind === 'setDefault'
      ? ' Your organisation uses system-preferred MFA, so Microsoft may still ask for your strongest method first.'
      : '';
  const previous = request.kind === 'setDefault' ? before.defaultMethod : before.phones[request.type];
  return {
    card: {
      ok: true,
      title: 'Done',
      message: `${summaryOf(request, before)}${override}`,
      detail: `We e-mailed you a notice${replaced ? ' and texted the old number' : ''}. If you didn't ask for this, contact the helpdesk.`,
    },
    audit: {
      ...audit('done'),
      before: request.kind === 'setDefault' ? previous : previous && maskPhone(previous),
      steps,
      notified: { email: notified.email, sms: notified.sms },
    },
  };
}
