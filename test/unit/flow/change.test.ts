// The change steps (src/flow/change-steps.ts) as tables, beyond the stage table in step.test.ts: the first step from
// what the person asked for, the code card for texts and calls, a code typed right / wrong / malformed / late, the
// confirm card's warnings, and the fresh plan on confirm.
import { describe, expect, it } from 'vitest';
import { callEnded, codeView, confirm, firstStep, prepareConfirm, submitCode } from '../../../src/flow/change-steps.js';
import type { Effect, Flow } from '../../../src/flow/flow.js';
import type { SecurityInfo } from '../../../src/graph/auth-methods.js';
import type { ChangeRequest } from '../../../src/graph/planner.js';
import { codeStateFor } from '../../../src/possession/code-check.js';

const NOW = 1_800_000_000_000;
const ID = '5e7f0c1d-0000-4000-8000-0000000000c4';
const INFO: SecurityInfo = {
  phones: { mobile: '+1 4255550100' },
  others: ['microsoftAuthenticator'],
  defaultMethod: 'sms',
  systemPreferredEnabled: false,
};
const NEW_MOBILE: ChangeRequest = { kind: 'setPhone', type: 'mobile', number: '+1 4255550177' };

function flowAt(stage: Flow['stage'], extra: Partial<Flow> = {}): Flow {
  return {
    id: ID,
    chat: { channelId: 'msteams', userId: '29:alex', conversationId: 'a:1' },
    address: {},
    user: { oid: 'oid-alex', upn: 'alex@contoso.test', name: 'Alex Wilber' },
    stage,
    info: INFO,
    panel: 'msg-1',
    outbox: [],
    seq: 0,
    startedAt: NOW - 60_000,
    updatedAt: NOW - 1000,
    ...extra,
  };
}
const codeStage = (extra: Partial<Flow> = {}) =>
  flowAt('code', {
    phoneType: 'mobile',
    request: NEW_MOBILE,
    number: { graph: '+1 4255550177', e164: '+14255550177', country: 'US' },
    code: codeStateFor('123456', NOW - 1000),
    channel: 'sms',
    ...extra,
  });
const kinds = (effects: Effect[]) => effects.map((e) => (e.kind === 'show' ? `show:${e.view.name}` : e.kind));
const texts = (effects: Effect[]) => JSON.stringify(effects);
const MASKED = /\+1 ••• ••• 01 77/;

describe('the first step after the sign-in, from what was asked', () => {
  it.each([
    ['"set up a passkey"', { passkey: true }, 'passkey', 'show:passkey'],
    [
      '"remove my mobile": straight to the confirm card',
      { phone: 'mobile', action: 'remove' },
      'confirm',
      'show:confirm-change',
    ],
    ['"change my office phone": its number card', { phone: 'office', action: 'change' }, 'number', 'show:phone-entry'],
    [
      '"add an alternate phone": its number card',
      { phone: 'alternateMobile', action: 'add' },
      'number',
      'show:phone-entry',
    ],
    ['"my mobile" without a verb: the menu, the mobile selected', { phone: 'mobile' }, 'menu', 'show:security-info'],
    ['nothing in particular: the menu', undefined, 'menu', 'show:security-info'],
  ] as const)('%s', (_name, wish, stage, shown) => {
    const t = firstStep(flowAt('menu', { info: undefined }), INFO, wish as never, NOW);
    expect(t.flow?.stage).toBe(stage);
    expect(kinds(t.effects)[0]).toBe(shown);
    expect(t.flow?.info).toEqual(INFO);
  });

  it('"remove my mobile" when it is the only method: refused on the menu, with the reason, audited', () => {
    const only: SecurityInfo = {
      phones: { mobile: '+1 4255550100' },
      others: [],
      defaultMethod: 'sms',
      systemPreferredEnabled: false,
    };
    const t = firstStep(flowAt('menu'), only, { phone: 'mobile', action: 'remove' } as never, NOW);
    expect(t.flow?.stage).toBe('menu');
    // Asked in words: a new card below the words, the old one retired.
    expect(kinds(t.effects)).toEqual(['show:security-info', 'retire', 'audit']);
    expect(t.effects[2]).toMatchObject({ record: { result: 'refused', reason: 'would-leave-no-method' } });
    expect(texts(t.effects)).toMatch(/That is your last sign-in method/);
  });
});

describe('the code card', () => {
  it('a text: where it went (masked) and "Send a new code"', () => {
    const { model } = codeView(codeStage());
    expect(model.sentText).toMatch(/^We texted a 6-digit code to \+1 ••• ••• 01 77\./);
    expect(model.resendTitle).toBe('Send a new code');
    expect(model.error).toBe('');
  });

  it.each([
    [undefined, /^We are calling \+1 ••• ••• 01 77 and will read out/],
    ['answered', /^The call to \+1 ••• ••• 01 77 was answered/],
    ['no-answer', /^Nobody answered the call/],
    ['busy', /^The line \+1 ••• ••• 01 77 was busy/],
    ['failed', /^The call to \+1 ••• ••• 01 77 failed before the code was read out/],
  ] as const)('a call, outcome %s', (outcome, text) => {
    const flow = codeStage({ channel: 'voice', ...(outcome ? { call: { sends: 1, outcome } } : {}) });
    const { model } = codeView(flow, 'an error');
    expect(model.sentText).toMatch(text);
    expect(model.resendTitle).toBe('Call me again');
    expect(model.error).toBe('an error');
  });

  it('a call’s end is shown once, for the current call only; never for a text', () => {
    const calling = codeStage({ channel: 'voice' });
    const shown = callEnded(calling, { type: 'callEnded', sends: 1, outcome: 'busy' }, NOW);
    expect(shown.flow?.call).toEqual({ sends: 1, outcome: 'busy' });
    expect(kinds(shown.effects)).toEqual(['show:code-entry']);
    for (const [flow, sends] of [
      [shown.flow as Flow, 1], // a second report of the same call
      [calling, 2], // news of a call that is not the current one
      [codeStage({ channel: 'sms' }), 1], // a text has no call
      [{ ...calling, stage: 'confirm' as const }, 1], // moved on
    ] as const) {
      const t = callEnded(flow, { type: 'callEnded', sends, outcome: 'answered' }, NOW);
      expect([t.changed, t.effects]).toEqual([false, []]);
    }
  });
});

describe('a code typed', () => {
  const typed = (flow: Flow, code: string, now = NOW) =>
    submitCode(flow, { type: 'submitCode', code, via: 'card' }, now);

  it('right: the confirm card, the code gone from the flow', () => {
    const t = typed(codeStage(), '123456');
    expect(t.flow).toMatchObject({ stage: 'confirm', code: undefined });
    expect(kinds(t.effects)).toEqual(['show:confirm-change']);
  });

  it('not six digits: told on the code card, not counted as a try, nothing stored', () => {
    const flow = codeStage();
    const t = typed(flow, '12345');
    expect(t.changed).toBe(false);
    expect(t.flow?.code).toEqual(flow.code);
    expect(texts(t.effects)).toMatch(/exactly 6 digits/);
  });

  it('wrong: the tries left, counted in the stored code', () => {
    const t = typed(codeStage(), '000000');
    expect(t.flow?.code?.tries).toBe(1);
    expect(t.flow?.stage).toBe('code');
    expect(texts(t.effects)).toMatch(/doesn't match\. 4 tries left/);
  });

  it('too late: "not confirmed", the flow ends, no helpdesk offer', () => {
    const t = typed(codeStage(), '123456', NOW + 11 * 60_000);
    expect(t.flow?.stage).toBe('ended');
    expect(texts(t.effects)).toMatch(/The code expired/);
    expect(texts(t.effects)).not.toMatch(/wrong-codes/);
  });

  it('the fifth wrong code: ended, the helpdesk offered (someone may be guessing), audited', () => {
    const t = typed(codeStage({ code: { ...codeStateFor('123456', NOW - 1000), tries: 4 } }), '000000');
    expect(t.flow?.stage).toBe('ended');
    expect(texts(t.effects)).toMatch(/Too many wrong codes/);
    expect(t.effects.find((e) => e.kind === 'show')).toMatchObject({
      view: { model: { escalate: 'wrong-codes', flowId: ID } },
    });
    expect(t.effects.find((e) => e.kind === 'audit')).toMatchObject({ record: { reason: 'code-exhausted' } });
  });

  it('with no code out (an old card): "ignored", nothing changes', () => {
    const t = typed(codeStage({ code: undefined }), '123456');
    expect(t.changed).toBe(false);
    expect(texts(t.effects)).toMatch(/earlier or finished request/);
  });
});

describe('the confirm card and the press', () => {
  it('warns of a number another person holds (policy warn) and of a country Microsoft does not reach yet', () => {
    const plain = prepareConfirm(codeStage(), NEW_MOBILE, INFO, NOW, 'card');
    expect(texts(plain.effects)).not.toMatch(/Note:/);
    const both = prepareConfirm(codeStage({ sharedNumber: true, entraOptIn: true }), NEW_MOBILE, INFO, NOW, 'card');
    const show = both.effects[0] as Extract<Effect, { kind: 'show' }>;
    expect((show.view as { model: { note: string } }).model.note).toMatch(
      /^Note: this number is also registered to another person's account.* Note: Microsoft does not text or call numbers in this country/,
    );
    expect(both.flow?.plan?.before).toEqual(INFO);
  });

  it('confirm plans again on the fresh read: applying, the choice to sign out kept, "confirmed" and "apply"', () => {
    const confirming = prepareConfirm(codeStage(), NEW_MOBILE, INFO, NOW, 'card').flow as Flow;
    const t = confirm(
      confirming,
      { type: 'confirm', flowId: ID, revokeSessions: true, via: 'card' },
      { info: INFO },
      NOW,
    );
    expect(t.flow).toMatchObject({ stage: 'applying', revokeSessions: true, info: INFO });
    expect(t.flow?.plan?.steps).toHaveLength(1);
    expect(kinds(t.effects)).toEqual(['show:applying', 'event', 'apply']);
    expect(texts(t.effects)).toMatch(/Mobile phone/);
    expect(texts(t.effects)).not.toMatch(MASKED); // the applying card names what, not the number
  });

  it('the number was changed elsewhere meanwhile (the fresh read differs): the new plan is shown again, not applied', () => {
    const confirming = prepareConfirm(codeStage(), NEW_MOBILE, INFO, NOW, 'card').flow as Flow;
    const already: SecurityInfo = { ...INFO, phones: { mobile: '+1 4255550177' } };
    const t = confirm(confirming, { type: 'confirm', flowId: ID, via: 'card' }, { info: already }, NOW);
    expect(t.flow?.stage).toBe('menu');
    expect(kinds(t.effects)).not.toContain('apply');
    expect(t.effects.find((e) => e.kind === 'audit')).toMatchObject({ record: { reason: 'no-change' } });
  });
});
