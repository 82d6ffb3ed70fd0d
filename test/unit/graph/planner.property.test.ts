// Property tests: for random security-info states and requests, every plan obeys Graph's rules (the same rules the
// Graph simulator enforces), reaches what was asked, never leaves the user without MFA, and a failure at any step
// followed by rollback restores the original state exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyOperation,
  DEFAULT_METHODS,
  GraphRuleError,
  isConsistent,
  isUsableDefault,
  type OtherMethod,
  PHONE_TYPES,
  type PhoneType,
  type SecurityInfo,
  usableMethodCount,
} from '../../../src/graph/auth-methods.js';
import { type ChangeRequest, planChange, rollbackOf } from '../../../src/graph/planner.js';

const national = fc.stringMatching(/^[1-9]\d{5,11}$/);
const cc = fc.integer({ min: 1, max: 999 });
const plainNumber = fc.tuple(cc, national).map(([c, n]) => `+${c} ${n}`);
const officeNumber = fc
  .tuple(cc, national, fc.option(fc.stringMatching(/^\d{1,5}$/), { nil: undefined }))
  .map(([c, n, x]) => `+${c} ${n}${x ? `x${x}` : ''}`);
const numberFor = (type: PhoneType) => (type === 'office' ? officeNumber : plainNumber);
const others = fc.subarray<OtherMethod>(['microsoftAuthenticator', 'softwareOath', 'fido2', 'windowsHelloForBusiness']);

const securityInfo: fc.Arbitrary<SecurityInfo> = fc
  .record({
    mobile: fc.option(plainNumber, { nil: undefined }),
    alternate: fc.option(plainNumber, { nil: undefined }),
    office: fc.option(officeNumber, { nil: undefined }),
    others,
    systemPreferredEnabled: fc.boolean(),
    defaultPick: fc.nat(),
  })
  .map(({ mobile, alternate, office, others, systemPreferredEnabled, defaultPick }) => {
    const phones: SecurityInfo['phones'] = {};
    if (mobile) phones.mobile = mobile;
    if (mobile && alternate) phones.alternateMobile = alternate;
    if (office) phones.office = office;
    const base: SecurityInfo = { phones, others, systemPreferredEnabled };
    const usable = DEFAULT_METHODS.filter((m) => isUsableDefault(base, m));
    const defaultMethod =
      usable.length && defaultPick % (usable.length + 1) < usable.length
        ? usable[defaultPick % (usable.length + 1)]
        : undefined;
    return { ...base, ...(defaultMethod ? { defaultMethod } : {}) };
  });

const request: fc.Arbitrary<ChangeRequest> = fc.oneof(
  fc
    .constantFrom(...PHONE_TYPES)
    .chain((type) => numberFor(type).map((number) => ({ kind: 'setPhone' as const, type, number }))),
  fc.constantFrom(...PHONE_TYPES).map((type) => ({ kind: 'removePhone' as const, type })),
  fc.constantFrom(...DEFAULT_METHODS).map((method) => ({ kind: 'setDefault' as const, method })),
);

/** Same meaning, regardless of keys holding undefined. */
function normal(info: SecurityInfo) {
  return {
    phones: Object.fromEntries(Object.entries(info.phones).filter(([, v]) => v !== undefined)),
    others: [...info.others].sort(),
    defaultMethod: info.defaultMethod,
    systemPreferredEnabled: info.systemPreferredEnabled,
  };
}

const RUNS = { numRuns: 2000 };

describe('planner properties', () => {
  it('generated states are consistent with Graph rules', () => {
    fc.assert(
      fc.property(securityInfo, (info) => isConsistent(info)),
      RUNS,
    );
  });

  it('an accepted plan runs without a rule violation and reaches the requested state', () => {
    fc.assert(
      fc.property(securityInfo, request, (info, req) => {
        const plan = planChange(info, req);
        if (!plan.ok) return true;
        const result = plan.steps.reduce((s, step) => applyOperation(s, step.operation), info);
        expect(normal(result)).toEqual(normal(plan.result));
        expect(isConsistent(result)).toBe(true);
        if (req.kind === 'setPhone') expect(result.phones[req.type]).toBe(req.number);
        if (req.kind === 'removePhone') expect(result.phones[req.type]).toBeUndefined();
        if (req.kind === 'setDefault') expect(result.defaultMethod).toBe(req.method);
        if (usableMethodCount(info) > 0) expect(usableMethodCount(result)).toBeGreaterThan(0);
        return true;
      }),
      RUNS,
    );
  });

  it('a failure at any step, then rollback, restores the original state exactly', () => {
    fc.assert(
      fc.property(securityInfo, request, fc.nat(), (info, req, at) => {
        const plan = planChange(info, req);
        if (!plan.ok) return true;
        const applied = at % (plan.steps.length + 1);
        const partial = plan.steps.slice(0, applied).reduce((s, step) => applyOperation(s, step.operation), info);
        const restored = rollbackOf(plan.steps, applied).reduce((s, op) => applyOperation(s, op), partial);
        expect(normal(restored)).toEqual(normal(info));
        return true;
      }),
      RUNS,
    );
  });

  it('every refusal is justified', () => {
    fc.assert(
      fc.property(securityInfo, request, (info, req) => {
        const plan = planChange(info, req);
        if (plan.ok) return true;
        const throws = (f: () => unknown) => expect(f).toThrow(GraphRuleError);
        switch (plan.refusal) {
          case 'no-change':
            expect(
              req.kind === 'setDefault'
                ? info.defaultMethod === req.method
                : req.kind === 'setPhone' && info.phones[req.type] === req.number,
            ).toBe(true);
            break;
          case 'alternate-needs-mobile':
            throws(() => applyOperation(info, { op: 'createPhone', type: 'alternateMobile', number: '+1 5555550100' }));
            break;
          case 'nothing-to-remove':
            expect(req.kind === 'removePhone' && info.phones[req.type]).toBeFalsy();
            break;
          case 'mobile-needed-by-alternate':
            throws(() => applyOperation(info, { op: 'deletePhone', type: 'mobile' }));
            break;
          case 'would-leave-no-method':
            expect(usableMethodCount(info)).toBeLessThanOrEqual(1);
            break;
          case 'would-leave-no-default':
            expect(req.kind === 'removePhone').toBe(true);
            break;
          case 'method-not-registered':
            expect(req.kind === 'setDefault' && !isUsableDefault(info, req.method)).toBe(true);
            break;
          case 'invalid-number':
            throw new Error('generated numbers are always valid');
        }
        return true;
      }),
      RUNS,
    );
  });
});

describe('planner examples (DESIGN §4)', () => {
  const base: SecurityInfo = {
    phones: { mobile: '+1 4255550100' },
    others: [],
    defaultMethod: 'sms',
    systemPreferredEnabled: false,
  };

  it('a second mobile is PATCHed, never POSTed', () => {
    const plan = planChange(base, { kind: 'setPhone', type: 'mobile', number: '+1 4255550199' });
    expect(plan.ok && plan.steps.map((s) => s.operation.op)).toEqual(['updatePhone']);
  });

  it('an alternate without a mobile is refused', () => {
    const plan = planChange(
      { ...base, phones: {}, defaultMethod: undefined, others: ['microsoftAuthenticator'] },
      { kind: 'setPhone', type: 'alternateMobile', number: '+1 4255550111' },
    );
    expect(plan).toEqual({ ok: false, refusal: 'alternate-needs-mobile' });
  });

  it('deleting the default phone moves the default first', () => {
    const info: SecurityInfo = { ...base, phones: { mobile: '+1 4255550100', office: '+1 4255550122x7' } };
    const plan = planChange(info, { kind: 'removePhone', type: 'mobile' });
    expect(plan.ok && plan.steps.map((s) => s.operation)).toEqual([
      { op: 'setDefault', method: 'voiceOffice' },
      { op: 'deletePhone', type: 'mobile' },
    ]);
  });

  it('deleting the mobile while an alternate exists is refused', () => {
    const info: SecurityInfo = { ...base, phones: { mobile: '+1 4255550100', alternateMobile: '+1 4255550111' } };
    expect(planChange(info, { kind: 'removePhone', type: 'mobile' })).toEqual({
      ok: false,
      refusal: 'mobile-needed-by-alternate',
    });
  });

  it('removing the last usable method is refused', () => {
    expect(planChange(base, { kind: 'removePhone', type: 'mobile' })).toEqual({
      ok: false,
      refusal: 'would-leave-no-method',
    });
  });

  it('says when system-preferred MFA overrides the chosen default', () => {
    const plan = planChange(
      { ...base, others: ['microsoftAuthenticator'], systemPreferredEnabled: true },
      { kind: 'setDefault', method: 'push' },
    );
    expect(plan.ok && plan.systemPreferredOverrides).toBe(true);
  });
});
