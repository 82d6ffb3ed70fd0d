// The passkey set-up as tables (src/flow/passkey-steps.ts): no I/O, no clock. What each press shows, what the watch
// does with each read of the methods, and that a new passkey is confirmed, audited and e-mailed exactly once.
import { describe, expect, it } from 'vitest';
import type { Effect, Flow, FlowInput, FlowOptions } from '../../../src/flow/flow.js';
import { PASSKEY_CHECK_EVERY_MS, PASSKEY_WATCH_MS } from '../../../src/flow/passkey-steps.js';
import { factsNeeded, step } from '../../../src/flow/step.js';
import type { PasskeyModel } from '../../../src/flow/views.js';
import type { SecurityInfo } from '../../../src/graph/auth-methods.js';
import { DEFAULT_TELECOM } from '../../../src/readiness/sms-voice-retirement.js';

const NOW = 1_800_000_000_000;
const ID = 'f1a9c2d3-0000-4000-8000-00000000f10w';
const MY_SIGN_INS = 'https://mysignins.example.test/security-info';

/** Alex: a mobile and an alternate phone, the Authenticator app, and a passkey on an old key (already there). */
const BEFORE: SecurityInfo = {
  phones: { mobile: '+1 4255550100', alternateMobile: '+1 4255550101' },
  others: ['microsoftAuthenticator', 'fido2'],
  listed: [
    { kind: 'microsoftAuthenticator', id: 'auth-1', name: 'Pixel 7' },
    { kind: 'fido2', id: 'key-old', name: 'YubiKey 5' },
  ],
  defaultMethod: 'sms',
  systemPreferredEnabled: false,
};
const ADDED_AT = NOW + 90_000;
const AFTER: SecurityInfo = {
  ...BEFORE,
  others: [...BEFORE.others],
  listed: [...(BEFORE.listed ?? []), { kind: 'fido2', id: 'key-new', name: 'iPhone 15', createdAt: ADDED_AT }],
};

const options = (overrides: Partial<NonNullable<FlowOptions['readiness']>> = {}): FlowOptions => ({
  voice: false,
  officePolicy: 'directory',
  readiness: {
    telecom: DEFAULT_TELECOM,
    optedInCountries: [],
    calendarOffsetMs: 0,
    mySignInsUrl: MY_SIGN_INS,
    ...overrides,
  },
});

function menuFlow(extra: Partial<Flow> = {}): Flow {
  return {
    id: ID,
    chat: { channelId: 'msteams', userId: '29:alex', conversationId: 'a:1' },
    address: {},
    user: { oid: 'oid-alex', upn: 'alex@contoso.test', name: 'Alex Wilber' },
    stage: 'menu',
    info: BEFORE,
    panel: 'msg-1',
    outbox: [],
    seq: 0,
    startedAt: NOW - 60_000,
    updatedAt: NOW - 1000,
    options: options(),
    ...extra,
  };
}

const press = (flow: Flow, input: FlowInput, info?: SecurityInfo, now = NOW) =>
  step(flow, input, info ? { info } : {}, now);
const shown = (effects: Effect[]): PasskeyModel => {
  const show = effects.find((e) => e.kind === 'show');
  if (show?.kind !== 'show' || show.view.name !== 'passkey') throw new Error('no passkey view shown');
  return show.view.model;
};
const kinds = (effects: Effect[]) => effects.map((e) => e.kind);
const added = { type: 'passkeyAdded', flowId: ID, via: 'card' } as const;
const tick = { type: 'passkeyCheck' } as const;

/** Alex has chosen an iPhone and sees its steps. */
function atSteps(extra: Partial<Flow> = {}): Flow {
  const started = press(menuFlow(extra), { type: 'passkeyStart', flowId: ID, via: 'card' }).flow as Flow;
  return press(started, { type: 'passkeyDevice', flowId: ID, device: 'iphone', via: 'card' }).flow as Flow;
}

describe('the passkey set-up: device, steps, Microsoft’s page', () => {
  it('starts with the passkeys already there as the baseline, asks for the device, and needs no fresh sign-in', () => {
    const t = press(menuFlow(), { type: 'passkeyStart', flowId: ID, via: 'card' });
    expect(t.flow?.stage).toBe('passkey');
    expect(t.flow?.passkey).toEqual({ baseline: ['key-old'] });
    const view = shown(t.effects);
    expect(view).toEqual({
      flowId: ID,
      title: 'Set up a passkey',
      lines: [expect.stringMatching(/^A passkey signs you in with your face/)],
      steps: [],
      link: '',
      linkTitle: '',
      buttons: [{ title: "I can't do this", action: 'passkey.help', choice: '' }],
      choices: expect.any(Array),
      choiceLabel: 'Where do you want your passkey?',
      choiceSubmit: 'Show me the steps',
      choiceAction: 'passkey.device',
      tone: 'default',
    });
    expect(view.choices.map((c) => c.value)).toEqual(['iphone', 'android', 'windows', 'mac', 'key', 'authenticator']);
    expect(view.choiceAction).toBe('passkey.device');
    expect(view.buttons).toEqual([expect.objectContaining({ action: 'passkey.help' })]);
    expect(factsNeeded(menuFlow(), { type: 'passkeyStart', flowId: ID, via: 'card' }, NOW)).toEqual([]);
  });

  it('a method without a Graph id is told apart by its kind and name', () => {
    const noIds: SecurityInfo = { ...BEFORE, listed: [{ kind: 'windowsHelloForBusiness', name: 'ALEX-LAPTOP' }] };
    const t = press(menuFlow({ info: noIds }), { type: 'passkeyStart', flowId: ID, via: 'card' });
    expect(t.flow?.passkey?.baseline).toEqual(['windowsHelloForBusiness:ALEX-LAPTOP']);
  });

  it('the device’s steps, a link to My Sign-ins and "I’ve added it" / another device / "I can’t"', () => {
    const flow = atSteps();
    expect(flow.passkey).toEqual({ baseline: ['key-old'], device: 'iphone' });
    const t = press(flow, { type: 'passkeyDevice', flowId: ID, device: 'key', via: 'card' });
    const view = shown(t.effects);
    expect(view.steps.length).toBeGreaterThan(1);
    expect(view.steps.every((s) => s.trim().length > 0)).toBe(true);
    expect(view.link).toBe(MY_SIGN_INS);
    expect(view.buttons.map((b) => [b.action, b.choice])).toEqual([
      ['passkey.added', ''],
      ['passkey.start', ''],
      ['passkey.help', ''],
    ]);
    expect([view.lines, view.choices, view.tone]).toEqual([[], [], 'default']);
    expect(t.flow?.passkey?.device).toBe('key');
  });

  it('a device choice outside the set-up is stale', () => {
    const t = press(menuFlow(), { type: 'passkeyDevice', flowId: ID, device: 'iphone', via: 'card' });
    expect(t.flow?.stage).toBe('menu');
    expect(() => shown(t.effects)).toThrow();
  });
});

describe('"I’ve added it" and the watch', () => {
  it('reads the methods; nothing new yet: watches for 15 minutes, one read a minute, no audit and no e-mail', () => {
    const flow = atSteps();
    expect(factsNeeded(flow, added, NOW)).toEqual(['info']);
    const t = press(flow, added, BEFORE);
    expect(t.flow?.passkey?.watchUntil).toBe(NOW + PASSKEY_WATCH_MS);
    expect(t.flow?.passkey?.nextCheckAt).toBe(NOW + PASSKEY_CHECK_EVERY_MS);
    expect(kinds(t.effects)).not.toContain('audit');
    expect(kinds(t.effects)).not.toContain('notifyEmail');
    expect(shown(t.effects).buttons.map((b) => b.action)).toEqual(['passkey.added', 'passkey.help']);
  });

  it('a second press does not extend the watch; the check interval follows PASSKEY_CHECK_SECONDS', () => {
    const watching = press(atSteps({ options: options({ watchCheckMs: 20_000 }) }), added, BEFORE).flow as Flow;
    expect(watching.passkey?.nextCheckAt).toBe(NOW + 20_000);
    const again = press(watching, added, BEFORE, NOW + 5 * 60_000).flow as Flow;
    expect(again.passkey?.watchUntil).toBe(NOW + PASSKEY_WATCH_MS);
    expect(again.passkey?.nextCheckAt).toBe(NOW + 5 * 60_000 + 20_000);
  });

  it('pressed again after the 15 minutes ran out (the ending tick did not come): a new watch of 15 minutes', () => {
    const watching = press(atSteps(), added, BEFORE).flow as Flow;
    const ticked = press(watching, tick, BEFORE, NOW + 14 * 60_000).flow as Flow; // keeps the flow alive
    const later = NOW + PASSKEY_WATCH_MS + 60_000;
    expect(press(ticked, added, BEFORE, later).flow?.passkey?.watchUntil).toBe(later + PASSKEY_WATCH_MS);
    // Exactly at the end the old watch is over too.
    const atEnd = NOW + PASSKEY_WATCH_MS;
    expect(press(watching, added, BEFORE, atEnd).flow?.passkey?.watchUntil).toBe(atEnd + PASSKEY_WATCH_MS);
  });

  it('a tick while watching reads again quietly; a tick after 15 minutes ends the watch and says so', () => {
    const watching = press(atSteps(), added, BEFORE).flow as Flow;
    expect(factsNeeded(watching, tick, NOW + 60_000)).toEqual(['info']);
    const quiet = press(watching, tick, BEFORE, NOW + 60_000);
    expect(quiet.effects.filter((e) => e.kind === 'show')).toEqual([]);
    expect(quiet.flow?.passkey?.nextCheckAt).toBe(NOW + 2 * 60_000);

    const ended = press(watching, tick, BEFORE, NOW + PASSKEY_WATCH_MS);
    expect(ended.flow?.passkey).toEqual({ baseline: ['key-old'], device: 'iphone' });
    expect(ended.effects[0]).toMatchObject({ kind: 'show', replace: 'msg-1' }); // the card in place, not a new one
    expect(shown(ended.effects).buttons.map((b) => [b.action, b.choice])).toEqual([
      ['passkey.added', ''],
      ['passkey.help', ''],
    ]);
    expect(shown(ended.effects).lines.join(' ')).toMatch(/\S/);
    expect(factsNeeded(ended.flow as Flow, tick, NOW + PASSKEY_WATCH_MS + 60_000)).toEqual([]);
  });

  it('a tick with no watch running reads nothing and changes nothing', () => {
    const flow = atSteps();
    expect(factsNeeded(flow, tick, NOW)).toEqual([]);
    const t = press(flow, tick);
    expect(t.effects).toEqual([]);
    expect(t.flow?.passkey?.added).toBeUndefined();
  });
});

describe('a new passkey is confirmed, audited and e-mailed once', () => {
  it('on "I’ve added it": its name and time, an audit record, an e-mail and the passkey-added event', () => {
    const t = press(atSteps(), added, AFTER);
    expect(t.flow?.passkey).toEqual({
      baseline: ['key-old'],
      device: 'iphone',
      added: { name: 'iPhone 15', at: ADDED_AT },
    });
    const view = shown(t.effects);
    expect([view.title, view.tone]).toEqual(['✓ Your passkey is set up', 'good']);
    expect(view.lines).toHaveLength(3);
    expect(view.lines[0]).toContain('iPhone 15');
    expect(view.lines[1]).toMatch(/e-mailed you a notice/);
    expect(view.lines[2]).toMatch(/you can now remove a phone/);
    const audit = t.effects.filter((e) => e.kind === 'audit');
    expect(audit).toEqual([
      {
        kind: 'audit',
        record: expect.objectContaining({
          action: 'passkeyAdded',
          after: 'iPhone 15',
          result: 'done',
          reason: 'confirmed-on-request',
          actorOid: 'oid-alex',
        }),
      },
    ]);
    expect(t.effects.filter((e) => e.kind === 'notifyEmail')).toEqual([
      expect.objectContaining({ to: 'alex@contoso.test', about: 'passkey' }),
    ]);
    expect(t.effects.filter((e) => e.kind === 'event')).toEqual([{ kind: 'event', name: 'passkey-added', at: NOW }]);
  });

  it('seen by the watch: the same, audited as seen by the watch', () => {
    const watching = press(atSteps(), added, BEFORE).flow as Flow;
    const t = press(watching, tick, AFTER, NOW + 60_000);
    expect(t.effects.filter((e) => e.kind === 'audit')).toEqual([
      { kind: 'audit', record: expect.objectContaining({ reason: 'seen-by-watch' }) },
    ]);
    expect(t.flow?.passkey?.watchUntil).toBeUndefined();
  });

  it('a second press says it is already confirmed; a late tick does nothing; neither audits or e-mails again', () => {
    const done = press(atSteps(), added, AFTER).flow as Flow;
    expect(factsNeeded(done, added, NOW)).toEqual([]);
    expect(factsNeeded(done, tick, NOW)).toEqual([]);
    const second = press(done, added);
    expect(kinds(second.effects)).toEqual(['show']);
    expect(JSON.stringify(second.effects)).toMatch(/iPhone 15.*already|already.*iPhone 15/i);
    expect(second.flow?.passkey).toEqual(done.passkey);
    expect(press(done, tick).effects).toEqual([]);
  });

  it('a passkey that was there before the set-up is not taken for a new one', () => {
    const t = press(atSteps(), added, BEFORE);
    expect(t.flow?.passkey?.added).toBeUndefined();
  });

  it('a new passkey without a name or a time is named by its kind and dated now', () => {
    const unnamed: SecurityInfo = {
      ...BEFORE,
      listed: [...(BEFORE.listed ?? []), { kind: 'windowsHelloForBusiness' }],
    };
    const t = press(atSteps(), added, unnamed);
    expect(t.flow?.passkey?.added?.at).toBe(NOW);
    expect(t.flow?.passkey?.added?.name).toMatch(/Windows Hello/i);
  });
});

describe('after the passkey: removing a phone', () => {
  it('offers each phone the planner lets go (the mobile is kept while an alternate needs it)', () => {
    const view = shown(press(atSteps(), added, AFTER).effects);
    expect(view.buttons.map((b) => [b.action, b.choice])).toEqual([['sec.removePhone', 'alternateMobile']]);
    expect(view.buttons[0]?.title).not.toContain('4255550101');
  });

  it('not a phone that is the only default left, and nothing when OFFER_PHONE_REMOVAL is off', () => {
    // A passkey cannot be the default second factor (Graph's preferred methods are phones and the app), so a mobile
    // that is the only default stays; with the app as default it may go.
    const onlyPhone: SecurityInfo = {
      phones: { mobile: '+1 4255550100' },
      others: [],
      listed: [],
      defaultMethod: 'sms',
      systemPreferredEnabled: false,
    };
    const withKey = (info: SecurityInfo): SecurityInfo => ({
      ...info,
      others: [...info.others, 'fido2'],
      listed: [...(info.listed ?? []), { kind: 'fido2', id: 'key-new' }],
    });
    const alone = atSteps({ info: onlyPhone });
    expect(shown(press(alone, added, withKey(onlyPhone)).effects).buttons).toEqual([]);
    const withApp: SecurityInfo = {
      ...onlyPhone,
      others: ['microsoftAuthenticator'],
      listed: [{ kind: 'microsoftAuthenticator', id: 'auth-1' }],
      defaultMethod: 'push',
    };
    const flow = atSteps({ info: withApp });
    expect(shown(press(flow, added, withKey(withApp)).effects).buttons.map((b) => b.choice)).toEqual(['mobile']);
    const off = atSteps({ options: options({ telecom: { ...DEFAULT_TELECOM, offerPhoneRemoval: false } }) });
    const view = shown(press(off, added, AFTER).effects);
    expect(view.buttons).toEqual([]);
    expect(view.lines).toHaveLength(2); // no removal offered, so no line about it
  });
});

describe('"I can’t do this"', () => {
  it('lists the problems, answers each one, and always offers to try again or ask the helpdesk', () => {
    const flow = atSteps();
    const list = shown(press(flow, { type: 'passkeyHelp', flowId: ID, via: 'card' }).effects);
    expect(list.choices.map((c) => c.value)).toEqual(['old-phone', 'no-phone', 'fails']);
    expect(list.choiceAction).toBe('passkey.help');
    const answers = (['old-phone', 'no-phone', 'fails'] as const).map((problem) =>
      shown(press(flow, { type: 'passkeyHelp', flowId: ID, problem, via: 'card' }).effects),
    );
    for (const answer of answers) {
      expect(answer.choices).toEqual([]);
      expect(answer.lines).toHaveLength(1);
      expect(answer.buttons.map((b) => [b.action, b.choice])).toEqual([
        ['passkey.start', ''],
        ['helpdesk.escalate', 'passkey-setup'],
      ]);
    }
    expect(new Set(answers.map((a) => a.lines[0])).size).toBe(3);
  });
});
