// The flow core as tables: (stage, input) → (next stage, effects). No I/O, no clock: time is a parameter.
import { describe, expect, it } from 'vitest';
import type { Effect, Facts, Flow, FlowInput, FlowOptions, Stage } from '../../../src/flow/flow.js';
import { IDLE_LIMIT_MS } from '../../../src/flow/flow.js';
import { factsNeeded, step } from '../../../src/flow/step.js';
import type { SecurityInfo } from '../../../src/graph/auth-methods.js';
import { newProgress } from '../../../src/graph/plan-executor.js';
import { codeStateFor } from '../../../src/possession/one-time-codes.js';
import { upgraded } from '../../../src/runner/flow-store.js';

const NOW = 1_800_000_000_000;
const ID = '7d3c1f9e-2b4a-4c6d-8e0f-1a2b3c4d5e6f';
const OTHER = '00000000-0000-4000-8000-000000000000';
const ALEX_INFO: SecurityInfo = {
  phones: { mobile: '+1 4255550100' },
  others: ['microsoftAuthenticator'],
  defaultMethod: 'sms',
  systemPreferredEnabled: false,
};
const chat = { channelId: 'msteams', userId: '29:alex', conversationId: 'a:1' };
const user = { oid: 'oid-alex', upn: 'alex@contoso.test', name: 'Alex Wilber' };
const facts: Facts = { grant: true, info: ALEX_INFO, businessPhones: ['+1 206 555 0100'] };

function flowAt(stage: Stage, extra: Partial<Flow> = {}): Flow {
  const base: Flow = {
    id: ID,
    chat,
    address: { conversation: { id: 'a:1' } },
    user,
    stage,
    info: ALEX_INFO,
    panel: 'msg-1',
    outbox: [],
    seq: 0,
    startedAt: NOW - 60_000,
    updatedAt: NOW - 1000,
  };
  const byStage: Partial<Record<Stage, Partial<Flow>>> = {
    number: { phoneType: 'mobile', form: { country: 'US', number: '', extension: '' } },
    code: {
      phoneType: 'mobile',
      request: { kind: 'setPhone', type: 'mobile', number: '+1 4255550177' },
      number: { graph: '+1 4255550177', e164: '+14255550177', country: 'US' },
      code: codeStateFor('123456', NOW - 1000),
    },
    confirm: { phoneType: 'mobile', request: { kind: 'setPhone', type: 'mobile', number: '+1 4255550177' } },
    applying: {
      request: { kind: 'setPhone', type: 'mobile', number: '+1 4255550177' },
      progress: newProgress(),
    },
  };
  return { ...base, ...byStage[stage], ...extra };
}

const kinds = (effects: Effect[]) => effects.map((e) => (e.kind === 'show' ? `show:${e.view.name}` : e.kind));
const texts = (effects: Effect[]) => JSON.stringify(effects);
const run = (flow: Flow | undefined, input: FlowInput, f: Facts = facts, now = NOW) => step(flow, input, f, now);

describe('start', () => {
  it('a verified user gets the security-info card (a new panel) and a "verified" event', () => {
    const t = run(undefined, { type: 'verified', flowId: ID, chat, user, address: {} });
    expect(t.changed).toBe(true);
    expect(t.flow).toMatchObject({ id: ID, stage: 'menu', user, info: ALEX_INFO });
    expect(kinds(t.effects)).toEqual(['show:security-info', 'event']);
    expect(t.effects[0]).toMatchObject({ kind: 'show', panel: true });
    expect(texts(t.effects)).not.toContain('4255550100'); // masked
  });

  it('a new sign-in while the previous change is applying does not replace it', () => {
    const t = run(flowAt('applying'), { type: 'verified', flowId: OTHER, chat, user, address: {} });
    expect(t.changed).toBe(false);
    expect(texts(t.effects)).toMatch(/being applied/);
  });

  it('the new flow keeps what the chat said about the person (time zone, locale, language), the options and a lost phone', () => {
    const options: FlowOptions = { voice: true, officePolicy: 'verify-by-call' };
    const t = run(undefined, {
      type: 'verified',
      flowId: ID,
      chat,
      user,
      address: { conversation: { id: 'a:1' } },
      wish: { lost: true },
      timeZone: 'Europe/Berlin',
      locale: 'de-DE',
      lang: 'de',
      options,
    });
    expect(t.flow).toMatchObject({
      timeZone: 'Europe/Berlin',
      locale: 'de-DE',
      lang: 'de',
      options,
      lost: true,
      address: { conversation: { id: 'a:1' } },
      startedAt: NOW,
      updatedAt: NOW,
      seq: expect.any(Number),
    });
    const plain = run(undefined, { type: 'verified', flowId: ID, chat, user, address: {} }).flow as Flow;
    for (const key of ['timeZone', 'locale', 'lang', 'options', 'lost']) expect(plain).not.toHaveProperty(key);
  });

  it('a new sign-in while the previous flow still has work in its outbox does not replace it', () => {
    const busy = flowAt('confirm', { outbox: [{ id: `${ID}.1`, effect: { kind: 'retire', messageId: 'msg-0' } }] });
    const t = run(busy, { type: 'verified', flowId: OTHER, chat, user, address: {} });
    expect(t.flow?.id).toBe(ID);
    expect(texts(t.effects)).toMatch(/being applied/);
  });

  it('a new sign-in replaces an idle flow and takes the buttons off its card', () => {
    const t = run(flowAt('number'), { type: 'verified', flowId: OTHER, chat, user, address: {} });
    expect(t.flow?.id).toBe(OTHER);
    expect(kinds(t.effects)).toEqual(['retire', 'show:security-info', 'event']);
  });
});

describe('each stage: what the user did → where the flow goes and what it asks for', () => {
  const rows: [string, Stage, FlowInput, Stage, string[]][] = [
    [
      'menu: change mobile',
      'menu',
      { type: 'editPhone', flowId: ID, phoneType: 'mobile', via: 'card' },
      'number',
      ['show:phone-entry'],
    ],
    [
      'menu: remove mobile (default moves)',
      'menu',
      { type: 'removePhone', flowId: ID, phoneType: 'mobile', via: 'card' },
      'confirm',
      ['show:confirm-change'],
    ],
    [
      'menu: default → push',
      'menu',
      { type: 'setDefault', flowId: ID, method: 'push', via: 'card' },
      'confirm',
      ['show:confirm-change'],
    ],
    [
      'number: a valid mobile → code is sent (no view until it is)',
      'number',
      { type: 'submitNumber', flowId: ID, form: { country: 'US', number: '425 555 0177', extension: '' }, via: 'card' },
      'code',
      ['sendCode'],
    ],
    [
      'number: a landline for the mobile → same card with the error',
      'number',
      { type: 'submitNumber', flowId: ID, form: { country: 'DE', number: '030 1234567', extension: '' }, via: 'card' },
      'number',
      ['show:phone-entry'],
    ],
    [
      'code: right code → confirm',
      'code',
      { type: 'submitCode', flowId: ID, code: '123456', via: 'card' },
      'confirm',
      ['show:confirm-change'],
    ],
    [
      'code: typed right code → confirm below, old card retired',
      'code',
      { type: 'submitCode', code: '123456', via: 'text' },
      'confirm',
      ['show:confirm-change', 'retire'],
    ],
    [
      'code: wrong code → a try less',
      'code',
      { type: 'submitCode', flowId: ID, code: '654321', via: 'card' },
      'code',
      ['show:code-entry'],
    ],
    ['code: resend', 'code', { type: 'resendCode', flowId: ID, via: 'card' }, 'code', ['sendCode']],
    [
      'confirm: confirm → applying, then the plan',
      'confirm',
      { type: 'confirm', flowId: ID, via: 'card' },
      'applying',
      ['show:applying', 'event', 'apply'],
    ],
    ['menu: start over', 'menu', { type: 'startOver', via: 'text' }, 'menu', ['show:security-info', 'retire']],
  ];
  it.each(rows)('%s', (_name, stage, input, next, effects) => {
    const t = run(flowAt(stage), input);
    expect(t.flow?.stage).toBe(next);
    expect(kinds(t.effects)).toEqual(effects);
    // What reaches the chat is masked; only the SMS effects carry the number they must send to.
    const shown = t.effects.filter((e) => e.kind === 'show');
    expect(texts(shown)).not.toMatch(/4255550177|4255550100/);
  });

  it('a card press updates the panel in place; typed text posts a new card', () => {
    const t = run(flowAt('menu'), { type: 'editPhone', flowId: ID, phoneType: 'mobile', via: 'card' });
    expect(t.effects[0]).toMatchObject({ kind: 'show', replace: 'msg-1' });
  });

  it('a malformed code costs no try and stores nothing', () => {
    const flow = flowAt('code');
    const t = run(flow, { type: 'submitCode', flowId: ID, code: '12345', via: 'card' });
    expect(t.changed).toBe(false);
    expect(texts(t.effects)).toMatch(/exactly 6 digits/);
  });

  it('the fifth wrong code ends the flow: result, audit "failed", event, forget', () => {
    const flow = flowAt('code', { code: { ...codeStateFor('123456', NOW - 1000), tries: 4 } });
    const t = run(flow, { type: 'submitCode', flowId: ID, code: '654321', via: 'card' });
    expect(t.flow?.stage).toBe('ended');
    expect(kinds(t.effects)).toEqual(['show:change-result', 'audit', 'event', 'forget']);
    expect(texts(t.effects)).toMatch(/code-exhausted/);
  });

  it('confirm plans again on the FRESH read: a change made meanwhile elsewhere is refused, not applied', () => {
    const fresh = { ...ALEX_INFO, phones: { mobile: '+1 4255550177' } }; // someone already set that number
    const t = run(flowAt('confirm'), { type: 'confirm', flowId: ID, via: 'card' }, { ...facts, info: fresh });
    expect(t.flow?.stage).toBe('menu');
    expect(kinds(t.effects)).toContain('audit');
    expect(kinds(t.effects)).not.toContain('apply');
  });
});

describe('cancel, stale, foreign, expired, applying', () => {
  it.each(['menu', 'number', 'code', 'confirm'] as Stage[])(
    'cancel at %s ends it: result, audit, event, forget',
    (stage) => {
      const t = run(flowAt(stage), { type: 'cancel', flowId: ID, via: 'card' });
      expect(t.flow?.stage).toBe('ended');
      expect(kinds(t.effects)).toEqual(['show:change-result', 'audit', 'event', 'forget']);
      expect(t.effects[0]).toMatchObject({ replace: 'msg-1' });
    },
  );

  it('cancel while applying is refused: the result is coming', () => {
    const t = run(flowAt('applying'), { type: 'cancel', flowId: ID, via: 'card' });
    expect(t.changed).toBe(false);
    expect(texts(t.effects)).toMatch(/can no longer be cancelled/);
  });

  it('a second confirm (duplicate or concurrent) while applying does nothing but say so', () => {
    const t = run(flowAt('applying'), { type: 'confirm', flowId: ID, via: 'card' });
    expect(t.changed).toBe(false);
    expect(kinds(t.effects)).toEqual(['show:notice']);
  });

  it('a stale cancel (an older card) does NOT end the current flow', () => {
    const t = run(flowAt('code'), { type: 'cancel', flowId: OTHER, via: 'card' });
    expect(t.changed).toBe(false);
    expect(texts(t.effects)).toMatch(/earlier or finished request/);
  });

  it.each([
    ['another flow id', { type: 'confirm', flowId: OTHER, via: 'card' } as FlowInput],
    ['a step that is not the current one', { type: 'confirm', flowId: ID, via: 'card' } as FlowInput],
  ])('%s is refused and changes nothing', (_name, input) => {
    const t = run(flowAt('number'), input);
    expect(t.changed).toBe(false);
    expect(texts(t.effects)).toMatch(/earlier or finished request/);
  });

  it('a submit for a flow that has ended is answered "already finished"', () => {
    const t = run(flowAt('ended'), { type: 'confirm', flowId: ID, via: 'card' });
    expect(texts(t.effects)).toMatch(/already finished/);
  });

  it('no flow in this chat (e.g. another user pressing my card): stale, nothing stored', () => {
    const t = run(undefined, { type: 'setDefault', flowId: ID, method: 'push', via: 'card' });
    expect(t).toMatchObject({ changed: false, flow: undefined });
  });

  it('an expired grant ends the flow and asks to verify again', () => {
    const t = run(flowAt('menu'), { type: 'menu', flowId: ID, via: 'card' }, { ...facts, grant: false });
    expect(t.flow?.stage).toBe('ended');
    expect(texts(t.effects)).toMatch(/verify again/i);
  });

  it('idle for 15 minutes: the timer ends it (not while applying, not before time)', () => {
    const idle = flowAt('number', { updatedAt: NOW - IDLE_LIMIT_MS - 1 });
    expect(kinds(run(idle, { type: 'expire' }).effects)).toEqual(['show:change-result', 'audit', 'event', 'forget']);
    expect(run(flowAt('number'), { type: 'expire' }).changed).toBe(false);
    expect(run(flowAt('applying', { updatedAt: 0 }), { type: 'expire' }).changed).toBe(false);
  });
});

describe('after the plan', () => {
  const applying = () =>
    flowAt('applying', {
      plan: {
        steps: [
          {
            operation: { op: 'updatePhone', type: 'mobile', number: '+1 4255550177' },
            undo: { op: 'updatePhone', type: 'mobile', number: '+1 4255550100' },
          },
        ],
        before: ALEX_INFO,
        systemPreferredOverrides: false,
      },
    });

  it('done: notifications first (e-mail, SMS to the OLD number), audit, event; the result only after they report', () => {
    const t = run(applying(), {
      type: 'planFinished',
      progress: { ...newProgress(), applied: 1, status: 'done', requestIds: ['r1'] },
    });
    expect(kinds(t.effects)).toEqual(['notifyEmail', 'notifySms', 'audit', 'event']);
    expect(t.effects[1]).toMatchObject({ kind: 'notifySms', to: '+14255550100' });
    const afterEmail = run(t.flow, { type: 'notified', channel: 'email', ok: true });
    expect(kinds(afterEmail.effects)).toEqual([]);
    const afterSms = run(afterEmail.flow, { type: 'notified', channel: 'sms', ok: false });
    // The SMS was not delivered: the result says so, and the helpdesk is asked (the event's listener escalates).
    expect(kinds(afterSms.effects)).toEqual(['show:change-result', 'event', 'forget']);
    expect(afterSms.effects[1]).toMatchObject({ kind: 'event', name: 'notice-undelivered', detail: 'sms' });
    expect(texts(afterSms.effects)).toMatch(/We e-mailed you a notice\. A notice could not be delivered/);
  });

  it('"sign me out everywhere" (chosen on confirm): revoked after the notices, reported on the result', () => {
    const t = run(
      { ...applying(), revokeSessions: true },
      {
        type: 'planFinished',
        progress: { ...newProgress(), applied: 1, status: 'done', requestIds: ['r1'] },
      },
    );
    expect(kinds(t.effects)).toEqual(['notifyEmail', 'notifySms', 'revokeSessions', 'audit', 'event']);
    let f = run(t.flow, { type: 'notified', channel: 'email', ok: true }).flow;
    const afterSms = run(f, { type: 'notified', channel: 'sms', ok: true });
    expect(kinds(afterSms.effects)).toEqual([]); // still waiting for the sign-out
    f = afterSms.flow;
    const done = run(f, { type: 'notified', channel: 'revoke', ok: true });
    expect(texts(done.effects)).toMatch(/You were signed out everywhere/);
    const failed = run(f, { type: 'notified', channel: 'revoke', ok: false });
    expect(texts(failed.effects)).toMatch(/Signing you out everywhere did not work/);
  });

  it('the confirm card offers the sign-out, preselected for a lost phone; the press carries the choice', () => {
    const confirmCard = (flow: Flow) =>
      run(flow, { type: 'submitCode', flowId: ID, code: '123456', via: 'card' }).effects.find(
        (e) => e.kind === 'show',
      ) as { view: { model: { revokePreselected: boolean } } };
    expect(confirmCard(flowAt('code')).view.model.revokePreselected).toBe(false);
    expect(confirmCard(flowAt('code', { lost: true })).view.model.revokePreselected).toBe(true);
    const t = run(flowAt('confirm', { plan: undefined }), {
      type: 'confirm',
      flowId: ID,
      revokeSessions: true,
      via: 'card',
    });
    expect(t.flow).toMatchObject({ stage: 'applying', revokeSessions: true });
  });

  it('rolled back: says nothing changed, audit "rolled-back", no notification', () => {
    const t = run(applying(), {
      type: 'planFinished',
      progress: { ...newProgress(), status: 'rolled-back', error: { code: 'PROOFUP_GRAPH_UNAVAILABLE', status: 503 } },
    });
    expect(kinds(t.effects)).toEqual(['show:change-result', 'audit', 'event', 'forget']);
    expect(texts(t.effects)).toMatch(/Everything was put back/);
    expect(texts(t.effects)).not.toMatch(/helpdesk has been alerted/);
    // The result offers "Ask the helpdesk" for this change.
    expect(t.effects[0]).toMatchObject({ view: { model: { escalate: 'graph-failure', flowId: ID } } });
  });
});

describe('number policy facts', () => {
  const submit: FlowInput = {
    type: 'submitNumber',
    flowId: ID,
    form: { country: 'US', number: '425 555 0177', extension: '' },
    via: 'card',
  };
  it('refuse: back to the number card with the reason, audited "shared-number", no code sent', () => {
    const t = run(flowAt('number'), submit, { ...facts, sharedNumber: 'refuse' });
    expect(t.flow?.stage).toBe('number');
    expect(kinds(t.effects)).toEqual(['show:phone-entry', 'audit']);
    expect(texts(t.effects)).toMatch(/registered to another person's account/);
    expect(t.effects[1]).toMatchObject({ record: { result: 'refused', reason: 'shared-number' } });
  });
  it('warn: the code is sent and the flow remembers to say so on the confirm card', () => {
    const t = run(flowAt('number'), submit, { ...facts, sharedNumber: 'warn' });
    expect(kinds(t.effects)).toEqual(['sendCode']);
    expect(t.flow).toMatchObject({ stage: 'code', sharedNumber: true });
  });
  it('a country outside SMS_ALLOWED_COUNTRIES is refused before any code', () => {
    const t = run(flowAt('number'), submit, { ...facts, smsCountries: ['DE', 'AT'] });
    expect(t.flow?.stage).toBe('number');
    expect(texts(t.effects)).toMatch(/doesn't allow sign-in codes to be sent to numbers in that country/);
  });
});

describe('a code that could not be sent', () => {
  const codeNotSent = (reason: 'hourly-cap' | 'number-cap' | 'send-failed') =>
    ({ type: 'codeNotSent', reason }) as FlowInput;

  it.each([
    ['hourly-cap', /too many codes in the last hour/],
    ['number-cap', /That number has been sent too many codes/],
  ] as const)('%s after a code already went out: the code card stays, with the reason', (reason, text) => {
    const t = run(flowAt('code'), codeNotSent(reason));
    expect(t.flow?.stage).toBe('code');
    expect(t.flow?.number).toBeDefined();
    expect(kinds(t.effects)).toEqual(['show:code-entry']);
    expect(texts(t.effects)).toMatch(text);
  });

  it.each([
    ['a text', 'sms', /couldn't send a text/],
    ['a call', 'voice', /couldn't place a call/],
  ] as const)('%s that failed: back to the number card, the request and number dropped', (_name, channel, text) => {
    const t = run(flowAt('code', { channel }), codeNotSent('send-failed'));
    expect(t.flow).toMatchObject({ stage: 'number', request: undefined, number: undefined, code: undefined });
    expect(kinds(t.effects)).toEqual(['show:phone-entry']);
    expect(texts(t.effects)).toMatch(text);
  });

  it('the first code capped (none out yet): back to the number card with the reason', () => {
    const t = run(flowAt('code', { code: undefined }), codeNotSent('hourly-cap'));
    expect(t.flow?.stage).toBe('number');
    expect(texts(t.effects)).toMatch(/too many codes in the last hour/);
  });

  it('news of a code for a flow that has moved on changes nothing', () => {
    for (const reason of ['hourly-cap', 'send-failed'] as const) {
      const t = run(flowAt('confirm'), codeNotSent(reason));
      expect([t.changed, t.effects]).toEqual([false, []]);
    }
    expect(run(undefined, codeNotSent('send-failed')).effects).toEqual([]);
  });
});

describe('facts: Graph is read only where the step needs it', () => {
  it.each([
    [
      'a sign-in: the menu read',
      undefined,
      { type: 'verified', flowId: ID, chat, user, address: {} } as FlowInput,
      ['info'],
    ],
    [
      'a sign-in while applying: nothing (the change goes on)',
      flowAt('applying'),
      { type: 'verified', flowId: OTHER, chat, user, address: {} } as FlowInput,
      [],
    ],
    ['cancel', flowAt('number'), { type: 'cancel', flowId: ID, via: 'card' } as FlowInput, []],
    ['menu (fresh read)', flowAt('number'), { type: 'menu', flowId: ID, via: 'card' } as FlowInput, ['grant', 'info']],
    [
      'remove a phone (fresh read)',
      flowAt('menu'),
      { type: 'removePhone', flowId: ID, phoneType: 'mobile', via: 'card' } as FlowInput,
      ['grant', 'info'],
    ],
    [
      'confirm pressed on a stage that is not confirm: the grant only',
      flowAt('code'),
      { type: 'confirm', flowId: ID, via: 'card' } as FlowInput,
      ['grant'],
    ],
    [
      'a number submitted outside the number stage: the grant only',
      flowAt('menu'),
      {
        type: 'submitNumber',
        flowId: ID,
        form: { country: 'US', number: '1', extension: '' },
        via: 'card',
      } as FlowInput,
      ['grant'],
    ],
    [
      'an idle flow',
      flowAt('menu', { updatedAt: NOW - IDLE_LIMIT_MS - 1 }),
      { type: 'menu', flowId: ID, via: 'card' } as FlowInput,
      [],
    ],

    [
      'edit a phone (uses the menu read)',
      flowAt('menu'),
      { type: 'editPhone', flowId: ID, phoneType: 'mobile', via: 'card' } as FlowInput,
      ['grant'],
    ],
    ['submit a code', flowAt('code'), { type: 'submitCode', code: '123456', via: 'text' } as FlowInput, ['grant']],
    [
      'confirm (fresh read)',
      flowAt('confirm'),
      { type: 'confirm', flowId: ID, via: 'card' } as FlowInput,
      ['grant', 'info'],
    ],
    [
      'a mobile number: shared-number and country checks',
      flowAt('number'),
      {
        type: 'submitNumber',
        flowId: ID,
        form: { country: 'US', number: '1', extension: '' },
        via: 'card',
      } as FlowInput,
      ['grant', 'numberChecks'],
    ],
    [
      'an office number: the directory and the allowed countries (the runner skips the shared check for office)',
      flowAt('number', { phoneType: 'office' }),
      {
        type: 'submitNumber',
        flowId: ID,
        form: { country: 'US', number: '1', extension: '' },
        via: 'card',
      } as FlowInput,
      ['grant', 'businessPhones', 'numberChecks'],
    ],
    ['a stale submit', flowAt('menu'), { type: 'confirm', flowId: OTHER, via: 'card' } as FlowInput, []],
    ['anything while applying', flowAt('applying'), { type: 'confirm', flowId: ID, via: 'card' } as FlowInput, []],
  ])('%s', (_name, flow, input, needs) => {
    expect(factsNeeded(flow, input, NOW)).toEqual(needs);
  });
});

describe('proving a number by a call (flow options)', () => {
  const voice: FlowOptions = { voice: true, officePolicy: 'verify-by-call' };
  const numberFor = (phoneType: 'mobile' | 'alternateMobile' | 'office', options: FlowOptions = voice) =>
    flowAt('number', { phoneType, options, form: { country: 'GB', number: '', extension: '' } });
  const submitGb = (number: string, channel?: 'sms' | 'voice'): FlowInput => ({
    type: 'submitNumber',
    flowId: ID,
    form: { country: 'GB', number, extension: '' },
    ...(channel ? { channel } : {}),
    via: 'card',
  });

  it('an alternate landline: refused without calls (texts need a mobile), called with them', () => {
    const without = run(
      numberFor('alternateMobile', { voice: false, officePolicy: 'directory' }),
      submitGb('020 7946 0001'),
    );
    expect(texts(without.effects)).toMatch(/alternate phone must be a mobile number too; that one is a landline/);
    const withCalls = run(numberFor('alternateMobile'), submitGb('020 7946 0001'));
    expect(withCalls.effects).toEqual([{ kind: 'sendCode', to: '+442079460001', channel: 'voice' }]);
    expect(withCalls.flow).toMatchObject({ stage: 'code', channel: 'voice' });
  });

  it('a mobile is texted unless the user asks for a call; a landline stays refused as a mobile either way', () => {
    expect(run(numberFor('mobile'), submitGb('07400 123456')).effects).toEqual([
      { kind: 'sendCode', to: '+447400123456', channel: 'sms' },
    ]);
    expect(run(numberFor('mobile'), submitGb('07400 123456', 'voice')).effects).toEqual([
      { kind: 'sendCode', to: '+447400123456', channel: 'voice' },
    ]);
    expect(texts(run(numberFor('mobile'), submitGb('020 7946 0001', 'voice')).effects)).toMatch(
      /that one is a landline/,
    );
  });

  it('calls obey the allowed countries too (an office number abroad is refused before any call)', () => {
    const t = run(numberFor('office'), submitGb('020 7946 0001'), { ...facts, smsCountries: ['US'] });
    expect(texts(t.effects)).toMatch(/doesn't allow sign-in codes to be sent to numbers in that country/);
    expect(kinds(t.effects)).not.toContain('sendCode');
  });

  it('a channel the phone cannot use is ignored (an office phone is never texted)', () => {
    expect(run(numberFor('office'), submitGb('020 7946 0001', 'sms')).effects).toEqual([
      { kind: 'sendCode', to: '+442079460001', channel: 'voice' },
    ]);
  });

  const calling = (sends = 1) =>
    flowAt('code', { channel: 'voice', code: { ...codeStateFor('123456', NOW - 1000), sends } });

  it('the call outcome is said on the code card, once; news of an older call is dropped', () => {
    const told = run(calling(2), { type: 'callEnded', sends: 2, outcome: 'no-answer' });
    expect(kinds(told.effects)).toEqual(['show:code-entry']);
    expect(texts(told.effects)).toMatch(/Nobody answered the call to \+1 ••• ••• 01 77/);
    expect(told.flow?.call).toEqual({ sends: 2, outcome: 'no-answer' });
    expect(run(told.flow, { type: 'callEnded', sends: 2, outcome: 'failed' }).changed).toBe(false);
    expect(run(calling(2), { type: 'callEnded', sends: 1, outcome: 'busy' }).changed).toBe(false);
    expect(run(flowAt('confirm'), { type: 'callEnded', sends: 1, outcome: 'busy' }).changed).toBe(false);
  });

  it('a flow stored before the number was one value (E.164 and extension beside the request) still calls its code', () => {
    const old = {
      ...flowAt('code', {
        phoneType: 'office',
        channel: 'voice',
        options: { voice: true, officePolicy: 'verify-by-call' },
      }),
      request: { kind: 'setPhone' as const, type: 'office' as const, number: '+1 2065550100x42' },
      number: undefined,
      e164: '+12065550100',
      extension: '42',
    };
    const flow = upgraded(old);
    expect(flow).not.toHaveProperty('e164');
    expect(flow.number).toEqual({ graph: '+1 2065550100x42', e164: '+12065550100', extension: '42' });
    const t = run(flow, { type: 'resendCode', flowId: ID, via: 'card' });
    expect(t.effects).toEqual([{ kind: 'sendCode', to: '+12065550100', channel: 'voice', extension: '42' }]);
  });

  it('"Call me again" places a new call (same resend limits as texts) and clears the last outcome', () => {
    const t = run(
      { ...calling(), call: { sends: 1, outcome: 'busy' } },
      { type: 'resendCode', flowId: ID, via: 'card' },
    );
    expect(t.effects).toEqual([{ kind: 'sendCode', to: '+14255550177', channel: 'voice' }]);
    expect(t.flow?.call).toBeUndefined();
    const spent = run(calling(4), { type: 'resendCode', flowId: ID, via: 'card' });
    expect(texts(spent.effects)).toMatch(/already sent 4 codes/);
  });

  it('office policy: directory needs a listed business phone; any takes any number; neither calls', () => {
    const directory = { voice: true, officePolicy: 'directory' as const };
    const refused = run(numberFor('office', directory), submitGb('020 7946 0001'));
    expect(texts(refused.effects)).toMatch(/business phone your organisation lists/);
    const any = run(numberFor('office', { voice: true, officePolicy: 'any' }), submitGb('020 7946 0001'));
    expect(kinds(any.effects)).toEqual(['show:confirm-change']);
  });

  it('a flow in German says everything in German', () => {
    const t = run(calling(1), { type: 'submitCode', flowId: ID, code: '000000', via: 'card' }, facts);
    const german = run({ ...calling(1), lang: 'de' }, { type: 'submitCode', flowId: ID, code: '000000', via: 'card' });
    expect(texts(t.effects)).toMatch(/That code doesn't match\. 4 tries left\./);
    expect(texts(german.effects)).toMatch(/Dieser Code stimmt nicht\. Noch 4 Versuche\./);
    expect(texts(german.effects)).toMatch(/Wir rufen \+1 ••• ••• 01 77 an/);
  });
});
