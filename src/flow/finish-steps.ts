// How a flow ends (pure): the outcome of the Graph plan, notifications, cancel, expiry. Every end stores, with the same
// transition, the result the user sees, the audit record, a flow event and the purge of the flow's personal data.
import type { AuditRecord } from '../audit/audit-log.js';
import { GraphError } from '../graph/graph-error.js';
import type { PlanProgress } from '../graph/plan-progress.js';
import type { ChangeRequest } from '../graph/planner.js';
import { displayPhone } from '../mask.js';
import { e164Of } from '../phone/phone-number.js';
import { auditOf } from './audit-records.js';
import type { Effect, Flow, FlowEventName, FlowInput, Transition, Via } from './flow.js';
import { commit, result, showOnPanel } from './present.js';
import { type ResultModel, speechOf, summaryOf, type View } from './views.js';

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
  const say = speechOf(flow).say;
  const view = result({ ok: false, title: say('result.cancelled'), message: say('flow.cancelled'), detail: '' });
  return endFlow(flow, now, via, view, 'cancelled', 'cancelled');
}

export function expire(flow: Flow, now: number): Transition {
  const say = speechOf(flow).say;
  const view = result({ ok: false, title: say('result.expired'), message: say('flow.expired'), detail: '' });
  return endFlow(flow, now, 'card', view, 'expired', 'expired');
}

export function grantExpired(flow: Flow, now: number, via: Via): Transition {
  const say = speechOf(flow).say;
  const view = result({ ok: false, title: say('flow.verifyAgainTitle'), message: say('flow.verifyAgain'), detail: '' });
  return endFlow(flow, now, via, view, 'expired', 'expired', 'grant-expired');
}

/** The plan finished (or failed): tell the truth Graph holds. A change is notified before its result is shown. */
export function planFinished(flow: Flow, progress: PlanProgress, now: number): Transition {
  const request = flow.request as ChangeRequest;
  const before = flow.plan?.before ?? { phones: {}, others: [], systemPreferredEnabled: false };
  const steps = (flow.plan?.steps ?? []).map((s, i) => ({ op: s.operation.op, requestId: progress.requestIds[i] }));
  const done: Flow = { ...flow, progress, stage: 'ended', endedAt: now };
  const sp = speechOf(flow);
  const say = sp.say;
  if (progress.status !== 'done') {
    const error = progress.error;
    const message = error
      ? new GraphError(error.code as never, error.status, error.graphCode, undefined, '').userMessageIn(sp.lang)
      : say('result.couldNotApply');
    const partial = progress.status === 'rollback-failed';
    const detail = say(partial ? 'result.partial' : 'result.putBack');
    const audit = { ...auditOf(flow, partial ? 'rollback-failed' : 'rolled-back', now, error?.code), steps };
    return commit(
      done,
      now,
      {
        kind: 'show',
        view: result({
          ok: false,
          title: say('result.notChanged'),
          message,
          detail,
          escalate: 'graph-failure',
          flowId: flow.id,
        }),
        replace: flow.panel,
      },
      { kind: 'audit', record: audit },
      { kind: 'event', name: 'failed', at: now, detail: error?.code },
      { kind: 'forget' },
    );
  }
  // The old number hears about it too — unless it is an office landline, which cannot receive texts.
  const replaced = request.kind !== 'setDefault' && request.type !== 'office' ? before.phones[request.type] : undefined;
  const summary = summaryOf(request, before, sp);
  const override =
    flow.plan?.systemPreferredOverrides && request.kind === 'setDefault' ? ` ${say('flow.systemPreferred')}` : '';
  const previous = request.kind === 'setDefault' ? before.defaultMethod : before.phones[request.type];
  const audit = {
    ...auditOf(flow, 'done', now, flow.sharedNumber ? 'shared-number-allowed' : undefined),
    before: request.kind === 'setDefault' ? previous : previous && displayPhone(previous),
    steps,
  };
  const notifications: Effect[] = [
    { kind: 'notifyEmail', to: flow.user.upn, name: flow.user.name, summary, at: now },
    ...(replaced ? [{ kind: 'notifySms' as const, to: e164Of(replaced), at: now }] : []),
    // Last: signing out everywhere ends the user's Teams session too.
    ...(flow.revokeSessions ? [{ kind: 'revokeSessions' as const }] : []),
  ];
  return commit(
    {
      ...done,
      notified: { expectSms: Boolean(replaced), expectRevoke: flow.revokeSessions === true },
      pendingResult: { ok: true, title: say('result.done'), message: `${summary}${override}`, detail: '' },
    },
    now,
    ...notifications,
    { kind: 'audit', record: audit, withNotified: true },
    { kind: 'event', name: 'applied', at: now },
  );
}

/** Backoff between tries of a notice that failed: 30 s, doubling, at most every 10 minutes. */
const NOTICE_RETRY_BASE_MS = 30_000;
const NOTICE_RETRY_MAX_MS = 10 * 60_000;
/** How long a notice is tried (DELIVERY_RETRY_HOURS reaches the flow through its options). */
export const NOTICE_RETRY_LIMIT_MS = 24 * 3_600_000;

/**
 * One notification reported. A notice that failed but may be tried again is 'pending': queued again (backoff, up to
 * the retry limit from its first send). Once every notice has reported — sent, not sent, or pending — the result is
 * shown, saying truthfully which went out and which are still being tried; a pending one that goes out later (or
 * finally does not) updates that card. The flow is forgotten only when nothing is pending any more.
 */
export function notified(flow: Flow, input: Extract<FlowInput, { type: 'notified' }>, now: number): Transition {
  const { channel, ok, retry } = input;
  const limit = flow.options?.deliveryRetryMs ?? NOTICE_RETRY_LIMIT_MS;
  const retryable = !ok && retry !== undefined && now - retry.effect.at < limit;
  const value = ok ? true : retryable ? ('pending' as const) : false;
  const state = { ...(flow.notified ?? { expectSms: false }), [channel]: value };
  const next = { ...flow, notified: state };
  const again: Effect[] = [...noticeOutcome(flow, channel, value, now)];
  if (retryable && retry) {
    const attempt = (retry.effect.attempt ?? 1) + 1;
    const wait = Math.min(NOTICE_RETRY_BASE_MS * 2 ** (attempt - 2), NOTICE_RETRY_MAX_MS);
    again.push({
      ...retry.effect,
      attempt,
      notBefore: now + wait,
      requestId: retry.requestId,
      firstSentAt: retry.firstSentAt,
    });
  }
  const complete =
    state.email !== undefined &&
    (!state.expectSms || state.sms !== undefined) &&
    (!state.expectRevoke || state.revoke !== undefined);
  const shown = flow.pendingResult ?? flow.shownResult;
  if (!complete || !shown) return commit(next, now, ...again);
  const pending = state.email === 'pending' || state.sms === 'pending';
  const model: ResultModel = { ...shown, detail: resultDetail(flow, state) };
  return commit(
    { ...next, pendingResult: undefined, shownResult: pending ? model : undefined },
    now,
    { kind: 'show', view: result(model), replace: flow.panel },
    ...again,
    ...(pending ? [] : [{ kind: 'forget' as const }]),
  );
}

/**
 * What a notice's end adds: a notice that was pending and went out (or finally did not) gets its own audit record —
 * the change's record said "not sent" — and one that was not delivered at all is raised with the helpdesk (a change
 * nobody was told about is what the notice exists to catch; the event's listener escalates it).
 */
function noticeOutcome(flow: Flow, channel: string, value: boolean | 'pending', now: number): Effect[] {
  if (value === 'pending' || (channel !== 'email' && channel !== 'sms')) return [];
  const wasPending = flow.notified?.[channel] === 'pending';
  const effects: Effect[] = [];
  if (wasPending) {
    const reason = `${channel}: ${value ? 'delivered after retries' : 'not delivered within the retry limit'}`;
    effects.push({
      kind: 'audit',
      record: { ...auditOf(flow, value ? 'done' : 'failed', now, reason), action: 'notified' },
    });
  }
  if (!value) effects.push({ kind: 'event', name: 'notice-undelivered', at: now, detail: channel });
  return effects;
}

function resultDetail(flow: Flow, state: NonNullable<Flow['notified']>): string {
  const say = speechOf(flow).say;
  const told = say('result.told', {
    email: state.email === true ? 'yes' : 'no',
    sms: state.sms === true ? 'yes' : 'no',
  });
  const pending = state.email === 'pending' || state.sms === 'pending';
  const missed = state.email === false || (state.expectSms && state.sms === false);
  const signedOut = state.expectRevoke ? say(state.revoke ? 'result.signedOut' : 'result.signOutFailed') : '';
  return [
    told,
    pending ? say('result.pending') : '',
    missed ? say('result.missed') : '',
    signedOut,
    say('result.ifNotYou'),
  ]
    .filter(Boolean)
    .join(' ');
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
