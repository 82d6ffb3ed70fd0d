// Property tests: for random security-info states and requests, every plan obeys Graph's rules AS DOCUMENTED
// (src/sandbox/graph/documented-rules.ts, written from Microsoft's pages — not the planner's own model in src/graph/auth-methods.ts,
// which the Graph simulator shares), reaches what was asked and nothing else, never leaves the user without MFA, and a
// failure at any step followed by rollback restores the original state exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_METHODS,
  isUsableDefault,
  type Operation,
  type OtherMethod,
  PHONE_TYPES,
  type PhoneType,
  type SecurityInfo,
} from '../../../src/graph/auth-methods.js';
import { type ChangeRequest, planChange, rollbackOf } from '../../../src/graph/planner.js';
import {
  DocumentedGraphError,
  type DocumentedState,
  documentedGraph,
  documentedMethodCount,
  toDocumented,
} from '../../../src/sandbox/graph/documented-rules.js';

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

const documented = toDocumented;

/** Runs operations through documented Graph (each must be accepted). */
const run = (state: DocumentedState, ops: Operation[]) => ops.reduce(documentedGraph, state);

const PHONES = ['mobile', 'alternateMobile', 'office'] as const;
const PHONE_OF = {
  sms: 'mobile',
  voiceMobile: 'mobile',
  voiceAlternateMobile: 'alternateMobile',
  voiceOffice: 'office',
};

const RUNS = { numRuns: 2000 };

describe("planner properties, checked against Graph as documented (not the planner's own rule model)", () => {
  it('generated states are ones Graph can hold: an alternate only with a mobile, a default that is registered', () => {
    fc.assert(
      fc.property(securityInfo, (info) => {
        const d = documented(info);
        expect(!d.alternateMobile || Boolean(d.mobile)).toBe(true);
        // Setting the default it already has is accepted by Graph: it is registered.
        if (d.preferred)
          expect(() => documentedGraph(d, { op: 'setDefault', method: info.defaultMethod })).not.toThrow();
        return true;
      }),
      RUNS,
    );
  });

  it('every step of an accepted plan is one Graph accepts; the plan reaches what was asked, touches nothing else, says its result truly', () => {
    fc.assert(
      fc.property(securityInfo, request, (info, req) => {
        const plan = planChange(info, req);
        if (!plan.ok) return true;
        const before = documented(info);
        const after = run(
          before,
          plan.steps.map((s) => s.operation),
        );
        expect(after).toEqual(documented(plan.result));
        if (req.kind === 'setPhone') expect(after[req.type]).toBe(req.number);
        if (req.kind === 'removePhone') expect(after[req.type]).toBeUndefined();
        if (req.kind === 'setDefault') expect(after.preferred).toBe(req.method);
        // Nothing else changes: the other phones and methods stay; the default moves only when Graph requires it
        // (R5: the phone being removed was the default) or when it was asked for.
        for (const phone of PHONES)
          if (req.kind === 'setDefault' || req.type !== phone) expect(after[phone]).toBe(before[phone]);
        expect(after.others).toEqual(before.others);
        if (req.kind !== 'setDefault' && after.preferred !== before.preferred)
          expect(req.kind === 'removePhone' && PHONE_OF[before.preferred as keyof typeof PHONE_OF] === req.type).toBe(
            true,
          );
        if (documentedMethodCount(before) > 0) expect(documentedMethodCount(after)).toBeGreaterThan(0);
        return true;
      }),
      RUNS,
    );
  });

  it('a failure at any step, then the rollback — every step accepted by Graph — restores the original state exactly', () => {
    fc.assert(
      fc.property(securityInfo, request, fc.nat(), (info, req, at) => {
        const plan = planChange(info, req);
        if (!plan.ok) return true;
        const applied = at % (plan.steps.length + 1);
        const partial = run(
          documented(info),
          plan.steps.slice(0, applied).map((s) => s.operation),
        );
        expect(run(partial, rollbackOf(plan.steps, applied))).toEqual(documented(info));
        return true;
      }),
      RUNS,
    );
  });

  it("every refusal is one Graph's documented rules force (or a request that changes nothing)", () => {
    fc.assert(
      fc.property(securityInfo, request, (info, req) => {
        const plan = planChange(info, req);
        if (plan.ok) return true;
        const d = documented(info);
        const refused = (op: Operation) => expect(() => documentedGraph(d, op)).toThrow(DocumentedGraphError);
        switch (plan.refusal) {
          case 'no-change':
            expect(
              req.kind === 'setDefault'
                ? d.preferred === req.method
                : req.kind === 'setPhone' && d[req.type] === req.number,
            ).toBe(true);
            break;
          case 'alternate-needs-mobile':
            refused({ op: 'createPhone', type: 'alternateMobile', number: '+1 5555550100' });
            break;
          case 'nothing-to-remove':
            expect(req.kind === 'removePhone' && d[req.type]).toBeFalsy();
            break;
          case 'mobile-needed-by-alternate':
            refused({ op: 'deletePhone', type: 'mobile' });
            break;
          case 'would-leave-no-method':
            expect(documentedMethodCount(d)).toBeLessThanOrEqual(1);
            break;
          case 'would-leave-no-default': {
            // The phone is the default (R5) and no other registered method could take its place (R7).
            if (req.kind !== 'removePhone') throw new Error('only a removal');
            expect(PHONE_OF[d.preferred as keyof typeof PHONE_OF]).toBe(req.type);
            refused({ op: 'deletePhone', type: req.type });
            for (const method of DEFAULT_METHODS)
              if (PHONE_OF[method as keyof typeof PHONE_OF] !== req.type) refused({ op: 'setDefault', method });
            break;
          }
          case 'method-not-registered':
            if (req.kind !== 'setDefault') throw new Error('only a default');
            refused({ op: 'setDefault', method: req.method });
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
