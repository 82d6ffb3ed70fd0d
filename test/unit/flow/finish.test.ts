// The end of a change (src/flow/finish-steps.ts) as tables: what the result says for each outcome of the plan, which
// notices go out, how a notice that failed is tried again (backoff, limit), and the audit trail of a late notice.
import { describe, expect, it } from 'vitest';
import { forgotten, NOTICE_RETRY_LIMIT_MS } from '../../../src/flow/finish-steps.js';
import type { Effect, Flow, FlowInput } from '../../../src/flow/flow.js';
import { step } from '../../../src/flow/step.js';
import type { SecurityInfo } from '../../../src/graph/auth-methods.js';
import { newProgress } from '../../../src/graph/plan-progress.js';
import type { ChangeRequest } from '../../../src/graph/planner.js';
import { planChange } from '../../../src/graph/planner.js';

const NOW = 1_800_000_000_000;
const ID = '0c1e2d3f-0000-4000-8000-0000000000f1';
const BEFORE: SecurityInfo = {
  phones: { mobile: '+1 4255550100', office: '+1 2065550100' },
  others: ['microsoftAuthenticator'],
  defaultMethod: 'sms',
  systemPreferredEnabled: true,
};

function applying(request: ChangeRequest, extra: Partial<Flow> = {}): Flow {
  const plan = planChange(BEFORE, request);
  if (!plan.ok) throw new Error(plan.refusal);
  return {
    id: ID,
    chat: { channelId: 'msteams', userId: '29:alex', conversationId: 'a:1' },
    address: { conversation: { id: 'a:1' } },
    user: { oid: 'oid-alex', upn: 'alex@contoso.test', name: 'Alex Wilber' },
    stage: 'applying',
    info: BEFORE,
    request,
    plan: { steps: plan.steps, before: BEFORE, systemPreferredOverrides: plan.systemPreferredOverrides },
    panel: 'msg-1',
    outbox: [],
    seq: 3,
    startedAt: NOW - 60_000,
    updatedAt: NOW - 1000,
    ...extra,
  };
}

const NEW_MOBILE: ChangeRequest = { kind: 'setPhone', type: 'mobile', number: '+1 4255550177' };
const run = (flow: Flow | undefined, input: FlowInput, now = NOW) => step(flow, input, {}, now);
const kinds = (effects: Effect[]) => effects.map((e) => (e.kind === 'show' ? `show:${e.view.name}` : e.kind));
const texts = (effects: Effect[]) => JSON.stringify(effects);
const finished = (flow: Flow, status: 'done' | 'rolled-back' | 'rollback-failed', error?: object) =>
  run(flow, {
    type: 'planFinished',
    progress: {
      ...newProgress(),
      applied: status === 'done' ? flow.plan?.steps.length : 0,
      status,
      requestIds: ['r1'],
      ...(error ? { error } : {}),
    } as never,
  });
const auditOf = (effects: Effect[]) => {
  const audit = effects.find((e) => e.kind === 'audit');
  if (audit?.kind !== 'audit') throw new Error('no audit record');
  return audit.record;
};

describe('the plan finished', () => {
  it('a replaced mobile: e-mail, a text to the OLD number, the audit with the old number masked, no result yet', () => {
    const t = finished(applying(NEW_MOBILE), 'done');
    expect(kinds(t.effects)).toEqual(['notifyEmail', 'notifySms', 'audit', 'event']);
    expect(t.effects[1]).toMatchObject({ to: '+14255550100' });
    const record = auditOf(t.effects);
    expect(record).toMatchObject({ result: 'done', before: expect.stringMatching(/^\+1 ••• /) });
    expect(record.reason).toBeUndefined();
    expect(t.flow).toMatchObject({ stage: 'ended', endedAt: NOW, notified: { expectSms: true, expectRevoke: false } });
    expect(t.flow?.pendingResult?.message).toMatch(/^Your mobile phone changed from/);
  });

  it('a number that another person holds, allowed by policy: the audit says so', () => {
    expect(auditOf(finished(applying(NEW_MOBILE, { sharedNumber: true }), 'done').effects).reason).toBe(
      'shared-number-allowed',
    );
  });

  it('an office phone replaced: no text (a landline cannot take one); a new default: named, no text', () => {
    const office: ChangeRequest = { kind: 'setPhone', type: 'office', number: '+1 2065550111' };
    expect(kinds(finished(applying(office), 'done').effects)).toEqual(['notifyEmail', 'audit', 'event']);
    const byDefault = finished(applying({ kind: 'setDefault', method: 'push' }), 'done');
    expect(kinds(byDefault.effects)).toEqual(['notifyEmail', 'audit', 'event']);
    expect(auditOf(byDefault.effects).before).toBe('sms');
    // System-preferred MFA may still ask for the strongest method: said with a new default.
    expect(byDefault.flow?.pendingResult?.message).toMatch(/system-preferred MFA/);
  });

  it.each([
    [
      'rolled back, Graph said why',
      'rolled-back',
      { code: 'PROOFUP_GRAPH_UNAVAILABLE', status: 503 },
      /Everything was put back/,
      'rolled-back',
    ],
    [
      'rolled back, no reason',
      'rolled-back',
      undefined,
      /could not be applied.*Everything was put back/,
      'rolled-back',
    ],
    [
      'part could not be undone',
      'rollback-failed',
      { code: 'PROOFUP_GRAPH_UNAVAILABLE', status: 503 },
      /Part of the change could not be undone/,
      'rollback-failed',
    ],
  ] as const)(
    '%s: "Not changed", the truth, "Ask the helpdesk", audit %s, no notice',
    (_n, status, error, text, result) => {
      const t = finished(applying(NEW_MOBILE), status, error);
      expect(kinds(t.effects)).toEqual(['show:change-result', 'audit', 'event', 'forget']);
      expect(texts(t.effects)).toMatch(text);
      expect(t.effects[0]).toMatchObject({
        replace: 'msg-1',
        view: { model: { ok: false, title: 'Not changed', escalate: 'graph-failure' } },
      });
      expect(auditOf(t.effects)).toMatchObject({ result, ...(error ? { reason: error.code } : {}) });
      expect(t.effects[2]).toMatchObject({ kind: 'event', name: 'failed', detail: error?.code });
    },
  );
});

describe('a notice that failed is tried again', () => {
  const done = () => finished(applying(NEW_MOBILE), 'done');
  const email = (t: ReturnType<typeof done>) => t.effects[0] as Extract<Effect, { kind: 'notifyEmail' }>;
  const failedEmail = (flow: Flow, effect: Extract<Effect, { kind: 'notifyEmail' }>, now: number) =>
    run(
      flow,
      { type: 'notified', channel: 'email', ok: false, retry: { effect, requestId: 'req-1', firstSentAt: NOW } },
      now,
    );

  it('queued again with the same provider request, 30 s, then doubling, at most every 10 minutes', () => {
    const t = done();
    let flow = t.flow as Flow;
    let effect = email(t);
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      const at = NOW + i * 1000;
      const next = failedEmail(flow, effect, at);
      const again = next.effects.find((e) => e.kind === 'notifyEmail') as Extract<Effect, { kind: 'notifyEmail' }>;
      expect(again).toMatchObject({ requestId: 'req-1', firstSentAt: NOW, attempt: i + 2 });
      waits.push((again.notBefore as number) - at);
      flow = next.flow as Flow;
      effect = again;
    }
    expect(waits).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 600_000, 600_000]);
  });

  it('while the e-mail is pending the result is shown and says so; when it goes out: updated, audited, forgotten', () => {
    const t = done();
    const sms = run(t.flow, { type: 'notified', channel: 'sms', ok: true }).flow as Flow;
    const pending = failedEmail(sms, email(t), NOW + 1000);
    expect(kinds(pending.effects)).toEqual(['show:change-result', 'notifyEmail']);
    expect(texts(pending.effects)).toMatch(/could not be sent yet.*I keep trying/);
    expect(pending.flow?.shownResult).toBeDefined();
    const later = run(pending.flow, { type: 'notified', channel: 'email', ok: true }, NOW + 60_000);
    expect(kinds(later.effects)).toEqual(['show:change-result', 'audit', 'forget']);
    expect(auditOf(later.effects)).toMatchObject({
      action: 'notified',
      result: 'done',
      reason: 'email: delivered after retries',
    });
    expect(texts(later.effects)).toMatch(/We e-mailed you a notice and texted the old number/);
  });

  it('past the retry limit (DELIVERY_RETRY_HOURS): not sent, told, raised with the helpdesk', () => {
    const t = done();
    const late = failedEmail(t.flow as Flow, email(t), NOW + NOTICE_RETRY_LIMIT_MS);
    expect(late.flow?.notified?.email).toBe(false);
    expect(late.effects).toContainEqual({
      kind: 'event',
      name: 'notice-undelivered',
      at: NOW + NOTICE_RETRY_LIMIT_MS,
      detail: 'email',
    });
    expect(late.effects.some((e) => e.kind === 'notifyEmail')).toBe(false);
    const shorter = applying(NEW_MOBILE, {
      options: { voice: false, officePolicy: 'directory', deliveryRetryMs: 60_000 },
    });
    const t2 = finished(shorter, 'done');
    expect(failedEmail(t2.flow as Flow, email(t2), NOW + 60_000).flow?.notified?.email).toBe(false);
    expect(failedEmail(t2.flow as Flow, email(t2), NOW + 59_999).flow?.notified?.email).toBe('pending');
  });

  it('a pending notice that finally does not go out: audited as failed and raised', () => {
    const t = done();
    const sms = run(t.flow, { type: 'notified', channel: 'sms', ok: true }).flow as Flow;
    const pending = failedEmail(sms, email(t), NOW + 1000).flow as Flow;
    const gaveUp = run(pending, { type: 'notified', channel: 'email', ok: false }, NOW + 2000);
    expect(auditOf(gaveUp.effects)).toMatchObject({
      action: 'notified',
      result: 'failed',
      reason: 'email: not delivered within the retry limit',
    });
    expect(gaveUp.effects).toContainEqual(expect.objectContaining({ kind: 'event', name: 'notice-undelivered' }));
    expect(texts(gaveUp.effects)).toMatch(/the helpdesk can confirm this change/);
  });
});

describe('what stays of an ended flow', () => {
  it('no person, no address, no number: enough to answer a late press', () => {
    const ended = forgotten({ ...applying(NEW_MOBILE), stage: 'ended', endedAt: NOW });
    expect(ended).toEqual({
      id: ID,
      chat: { channelId: 'msteams', userId: '29:alex', conversationId: 'a:1' },
      address: undefined,
      user: { oid: '', upn: '', name: '' },
      stage: 'ended',
      outbox: [],
      seq: 3,
      startedAt: NOW - 60_000,
      updatedAt: NOW - 1000,
      endedAt: NOW,
    });
    expect(JSON.stringify(ended)).not.toMatch(/4255550|alex@/);
  });
});
