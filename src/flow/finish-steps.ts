// How a flow ends (pure): the outcome of the Graph plan, notifications, cancel, expiry. Every end stores, with the same
// transition, the result the user sees, the audit record, a flow event and the purge of the flow's personal data.
import type { AuditRecord } from '../audit/audit-log.js';
import { GraphError } from '../graph/graph-error.js';
import type { PlanProgress } from '../graph/plan-executor.js';
import type { ChangeRequest } from '../graph/planner.js';
import { displayPhone } from '../mask.js';
import { e164Of } from '../phone/phone-number.js';
import { auditOf } from './audit-records.js';
import type { Effect, Flow, FlowEventName, Transition, Via } from './flow.js';
import { commit, result, showOnPanel } from './present.js';
import { type ResultModel, summaryOf, TEXTS, type View } from './views.js';

export function endFlow(
  flow: Flow,
  now: number,
  via: Via,
  view: View,
  audit: AuditRecord['result'],
  event: FlowEventName,
  reason?: string,
): Transition {
  const shown = showOnPanel(flow, view, via);
  return commit(
    { ...shown.flow, stage: 'ended', endedAt: now },
    now,
    ...shown.effects,
    { kind: 'audit', record: auditOf(flow, audit, now, reason) },
    { kind: 'event', name: event, at: now, ...(reason ? { detail: reason } : {}) },
    { kind: 'forget' },
  );
}

export function cancel(flow: Flow, now: number, via: Via): Transition {
  const view = result({ ok: false, title: 'Cancelled', message: TEXTS.cancelled, detail: '' });
  return endFlow(flow, now, via, view, 'cancelled', 'cancelled');
}

export function expire(flow: Flow, now: number): Transition {
  const view = result({ ok: false, title: 'Expired', message: TEXTS.expired, detail: '' });
  return endFlow(flow, now, 'card', view, 'expired', 'expired');
}

export function grantExpired(flow: Flow, now: number, via: Via): Transition {
  const view = result({ ok: false, title: TEXTS.verifyAgainTitle, message: TEXTS.verifyAgain, detail: '' });
  return endFlow(flow, now, via, view, 'expired', 'expired', 'grant-expired');
}

/** The plan finished (or failed): tell the truth Graph holds. A change is notified before its result is shown. */
export function planFinished(flow: Flow, progress: PlanProgress, now: number): Transition {
  const request = flow.request as ChangeRequest;
  const before = flow.plan?.before ?? { phones: {}, others: [], systemPreferredEnabled: false };
  const steps = (flow.plan?.steps ?? []).map((s, i) => ({ op: s.operation.op, requestId: progress.requestIds[i] }));
  const done: Flow = { ...flow, progress, stage: 'ended', endedAt: now };
  if (progress.status !== 'done') {
    const error = progress.error;
    const message = error
      ? new GraphError(error.code as never, error.status, error.graphCode, undefined, '').userMessage
      : 'The change could not be applied.';
    const partial = progress.status === 'rollback-failed';
    const detail = partial
      ? 'Part of the change could not be undone. Please contact the helpdesk and mention this message.'
      : 'Everything was put back as it was.';
    const audit = { ...auditOf(flow, partial ? 'rollback-failed' : 'rolled-back', now, error?.code), steps };
    return commit(
      done,
      now,
      { kind: 'show', view: result({ ok: false, title: 'Not changed', message, detail }), replace: flow.panel },
      { kind: 'audit', record: audit },
      { kind: 'event', name: 'failed', at: now, detail: error?.code },
      { kind: 'forget' },
    );
  }
  // The old number hears about it too — unless it is an office landline, which cannot receive texts.
  const replaced = request.kind !== 'setDefault' && request.type !== 'office' ? before.phones[request.type] : undefined;
  const summary = summaryOf(request, before);
  const override = flow.plan?.systemPreferredOverrides && request.kind === 'setDefault' ? TEXTS.systemPreferred : '';
  const previous = request.kind === 'setDefault' ? before.defaultMethod : before.phones[request.type];
  const audit = {
    ...auditOf(flow, 'done', now, flow.sharedNumber ? 'shared-number-allowed' : undefined),
    before: request.kind === 'setDefault' ? previous : previous && displayPhone(previous),
    steps,
  };
  const notifications: Effect[] = [
    { kind: 'notifyEmail', to: flow.user.upn, name: flow.user.name, summary, at: now },
    ...(replaced ? [{ kind: 'notifySms' as const, to: e164Of(replaced), at: now }] : []),
  ];
  return commit(
    {
      ...done,
      notified: { expectSms: Boolean(replaced) },
      pendingResult: { ok: true, title: 'Done', message: `${summary}${override}`, detail: '' },
    },
    now,
    ...notifications,
    { kind: 'audit', record: audit, withNotified: true },
    { kind: 'event', name: 'applied', at: now },
  );
}

/** One notification reported; when all have, the result is shown (saying truthfully which went out) and the flow forgotten. */
export function notified(flow: Flow, channel: 'email' | 'sms', ok: boolean, now: number): Transition {
  const state = { ...(flow.notified ?? { expectSms: false }), [channel]: ok };
  const next = { ...flow, notified: state };
  const complete = state.email !== undefined && (!state.expectSms || state.sms !== undefined);
  if (!complete || !flow.pendingResult) return commit(next, now);
  const told = [state.email ? 'e-mailed you a notice' : '', state.sms ? 'texted the old number' : '']
    .filter(Boolean)
    .join(' and ');
  const missed = state.email === false || (state.expectSms && state.sms === false);
  const detail = `${told ? `We ${told}. ` : ''}${
    missed ? 'A notice could not be delivered; the helpdesk can confirm this change. ' : ''
  }If you didn't ask for this, contact the helpdesk.`;
  const model: ResultModel = { ...flow.pendingResult, detail };
  return commit(
    { ...next, pendingResult: undefined },
    now,
    { kind: 'show', view: result(model), replace: flow.panel },
    { kind: 'forget' },
  );
}

/** What stays of an ended flow once its effects are delivered: enough to answer a late submit, no personal data. */
export function forgotten(flow: Flow): Flow {
  return {
    id: flow.id,
    chat: flow.chat,
    address: undefined,
    user: { oid: '', upn: '', name: '' },
    stage: 'ended',
    outbox: [],
    seq: flow.seq,
    startedAt: flow.startedAt,
    updatedAt: flow.updatedAt,
    endedAt: flow.endedAt ?? flow.updatedAt,
  };
}
