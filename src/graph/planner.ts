// Pure planner: (current security info, requested change) -> ordered Graph operations that obey Graph's rules,
// each with the operation that undoes it. Refuses what would break a rule or leave the user without MFA.
import {
  applyOperation,
  DEFAULT_METHODS,
  type DefaultMethod,
  isUsableDefault,
  type Operation,
  type PhoneType,
  phoneOfDefault,
  type SecurityInfo,
  usableMethodCount,
  validNumber,
} from './auth-methods.js';

export type ChangeRequest =
  | { kind: 'setPhone'; type: PhoneType; number: string }
  | { kind: 'removePhone'; type: PhoneType }
  | { kind: 'setDefault'; method: DefaultMethod };

export interface PlanStep {
  operation: Operation;
  undo: Operation;
}

export type Refusal =
  | 'invalid-number'
  | 'no-change'
  | 'alternate-needs-mobile'
  | 'nothing-to-remove'
  | 'mobile-needed-by-alternate'
  | 'would-leave-no-method'
  | 'would-leave-no-default'
  | 'method-not-registered';

export type Plan =
  | {
      ok: true;
      steps: PlanStep[];
      result: SecurityInfo;
      defaultMovedTo?: DefaultMethod;
      systemPreferredOverrides: boolean;
    }
  | { ok: false; refusal: Refusal };

function finish(current: SecurityInfo, steps: PlanStep[], defaultMovedTo?: DefaultMethod): Plan {
  // The plan is checked against the same rules Graph enforces; a violation here is a planner bug, not user input.
  const result = steps.reduce((state, step) => applyOperation(state, step.operation), current);
  return { ok: true, steps, result, defaultMovedTo, systemPreferredOverrides: current.systemPreferredEnabled };
}

function setDefaultStep(current: SecurityInfo, method: DefaultMethod): PlanStep {
  return { operation: { op: 'setDefault', method }, undo: { op: 'setDefault', method: current.defaultMethod } };
}

export function planChange(current: SecurityInfo, request: ChangeRequest): Plan {
  switch (request.kind) {
    case 'setPhone': {
      const { type, number } = request;
      if (!validNumber(type, number)) return { ok: false, refusal: 'invalid-number' };
      const old = current.phones[type];
      if (old === number) return { ok: false, refusal: 'no-change' };
      if (old) {
        return finish(current, [
          { operation: { op: 'updatePhone', type, number }, undo: { op: 'updatePhone', type, number: old } },
        ]);
      }
      if (type === 'alternateMobile' && !current.phones.mobile) return { ok: false, refusal: 'alternate-needs-mobile' };
      return finish(current, [{ operation: { op: 'createPhone', type, number }, undo: { op: 'deletePhone', type } }]);
    }
    case 'removePhone': {
      const { type } = request;
      const old = current.phones[type];
      if (!old) return { ok: false, refusal: 'nothing-to-remove' };
      if (type === 'mobile' && current.phones.alternateMobile)
        return { ok: false, refusal: 'mobile-needed-by-alternate' };
      if (usableMethodCount(current) <= 1) return { ok: false, refusal: 'would-leave-no-method' };
      const remove: PlanStep = {
        operation: { op: 'deletePhone', type },
        undo: { op: 'createPhone', type, number: old },
      };
      if (phoneOfDefault(current.defaultMethod) !== type) return finish(current, [remove]);
      const without: SecurityInfo = { ...current, phones: { ...current.phones, [type]: undefined } };
      const replacement = DEFAULT_METHODS.find((m) => phoneOfDefault(m) !== type && isUsableDefault(without, m));
      if (!replacement) return { ok: false, refusal: 'would-leave-no-default' };
      return finish(current, [setDefaultStep(current, replacement), remove], replacement);
    }
    case 'setDefault': {
      if (current.defaultMethod === request.method) return { ok: false, refusal: 'no-change' };
      if (!isUsableDefault(current, request.method)) return { ok: false, refusal: 'method-not-registered' };
      return finish(current, [setDefaultStep(current, request.method)]);
    }
  }
}

/** The undo operations for the first `applied` steps, in the order they must run. */
export function rollbackOf(steps: PlanStep[], applied: number): Operation[] {
  return steps
    .slice(0, applied)
    .reverse()
    .map((s) => s.undo);
}
