// The readiness line of the security-info card and the number card's note about the end of Microsoft's codes, as a
// table: each state a person can be in, before and after 1 February 2027, with Microsoft's codes or the tenant's own.
import { describe, expect, it } from 'vitest';
import type { Flow } from '../../../src/flow/flow.js';
import { calendarNow, phoneRetirementNote, readinessView } from '../../../src/flow/readiness-view.js';
import { speechOf } from '../../../src/flow/views.js';
import type { SecurityInfo } from '../../../src/graph/auth-methods.js';
import { DEFAULT_TELECOM, RETIREMENT, type TelecomPolicy } from '../../../src/readiness/sms-voice-retirement.js';

const BEFORE = Date.UTC(2026, 11, 3);
const DAY = 86_400_000;
const sp = speechOf({ lang: 'en' });

const flowWith = (telecom: TelecomPolicy = DEFAULT_TELECOM, calendarOffsetMs = 0) =>
  ({
    options: {
      voice: false,
      officePolicy: 'directory',
      readiness: { telecom, optedInCountries: [], calendarOffsetMs, mySignInsUrl: 'https://mysignins.test' },
    },
  }) as unknown as Flow;

const info = (phones: SecurityInfo['phones'], listed: NonNullable<SecurityInfo['listed']> = []): SecurityInfo => ({
  phones,
  others: listed.map((m) => m.kind) as SecurityInfo['others'],
  listed,
  systemPreferredEnabled: false,
});
const PHONE_ONLY = info({ mobile: '+1 4255550100' });
const PHONE_AND_APP = info({ mobile: '+1 4255550100' }, [{ kind: 'microsoftAuthenticator', name: 'Pixel 7' }]);
const NOTHING = info({});
const PASSKEY = info({ mobile: '+1 4255550100' }, [{ kind: 'fido2', id: 'k1', name: 'YubiKey 5' }]);
const PROVIDER: TelecomPolicy = { ...DEFAULT_TELECOM, delivery: 'provider' };
const REFUSE: TelecomPolicy = { ...DEFAULT_TELECOM, afterRetirement: 'refuse' };

describe('the readiness line', () => {
  it.each([
    [
      'a passkey: ready, named, no offer',
      PASSKEY,
      BEFORE,
      DEFAULT_TELECOM,
      /^Ready for February 1, 2027: .*YubiKey 5/,
      false,
    ],
    [
      'phones only, before the date',
      PHONE_ONLY,
      BEFORE,
      DEFAULT_TELECOM,
      /^Action needed: .*stops sending them on February 1, 2027/,
      true,
    ],
    [
      'phones only, on the date',
      PHONE_ONLY,
      RETIREMENT.users,
      DEFAULT_TELECOM,
      /^Action needed: since February 1, 2027/,
      true,
    ],
    ['a phone and the app, before', PHONE_AND_APP, BEFORE, DEFAULT_TELECOM, /your other method keeps working/, true],
    [
      'a phone and the app, after',
      PHONE_AND_APP,
      RETIREMENT.users + DAY,
      DEFAULT_TELECOM,
      /^You have no passkey yet/,
      true,
    ],
    ['nothing registered', NOTHING, BEFORE, DEFAULT_TELECOM, /^You have no passkey yet/, true],
    ['phones only, the tenant’s own provider', PHONE_ONLY, RETIREMENT.users + DAY, PROVIDER, /its own provider/, true],
    ['a passkey with the tenant’s provider', PASSKEY, BEFORE, PROVIDER, /^Ready for/, false],
  ])('%s', (_name, methods, now, telecom, line, offer) => {
    const view = readinessView(flowWith(telecom), methods, now, sp);
    expect(view.readiness).toMatch(line);
    expect(view.offerPasskey).toBe(offer);
  });

  it('a passkey without a name is named by its kind', () => {
    const unnamed = info({}, [{ kind: 'windowsHelloForBusiness' }]);
    expect(readinessView(flowWith(), unnamed, BEFORE, sp).readiness).toMatch(/Windows Hello/);
  });

  it('the deployment’s calendar offset (the sandbox’s SANDBOX_NOW) moves the date the wording sees, not the clock', () => {
    const offset = RETIREMENT.users - BEFORE;
    expect(calendarNow(flowWith(DEFAULT_TELECOM, offset), BEFORE)).toBe(RETIREMENT.users);
    expect(calendarNow({ options: undefined } as unknown as Flow, BEFORE)).toBe(BEFORE);
    expect(readinessView(flowWith(DEFAULT_TELECOM, offset), PHONE_ONLY, BEFORE, sp).readiness).toMatch(/since/);
    expect(readinessView(flowWith(DEFAULT_TELECOM, offset - 1), PHONE_ONLY, BEFORE, sp).readiness).toMatch(/stops/);
  });
});

describe('the number card’s note on the end of Microsoft’s codes', () => {
  it.each([
    [
      'before the date',
      DEFAULT_TELECOM,
      BEFORE,
      /^Microsoft sends text and call codes to this number until February 1, 2027/,
      false,
    ],
    [
      'on the date, phones still added (warn)',
      DEFAULT_TELECOM,
      RETIREMENT.users,
      /^Since February 1, 2027 .*this number is saved/,
      false,
    ],
    [
      'on the date, PHONE_METHODS_AFTER_RETIREMENT=refuse',
      REFUSE,
      RETIREMENT.users,
      /no longer adds phone numbers/,
      true,
    ],
    ['refuse, the day before: still added', REFUSE, RETIREMENT.users - 1, /^Microsoft sends/, false],
  ])('%s', (_name, telecom, now, note, refused) => {
    const result = phoneRetirementNote(flowWith(telecom), now, sp);
    expect(result.note).toMatch(note);
    expect(result.refused).toBe(refused);
  });

  it('says nothing when the tenant keeps phones through its own provider, whatever the date', () => {
    expect(phoneRetirementNote(flowWith(PROVIDER), RETIREMENT.users + DAY, sp)).toEqual({ note: '', refused: false });
    expect(phoneRetirementNote(flowWith({ ...PROVIDER, afterRetirement: 'refuse' }), RETIREMENT.users, sp)).toEqual({
      note: '',
      refused: false,
    });
  });
});
