// Card submits → flow inputs. Every submitted value is parsed with a schema; anything else is refused, never guessed.
import { z } from 'zod';
import type { FlowInput, Via } from '../../flow/flow.js';
import { DEFAULT_METHODS, PHONE_TYPES } from '../../graph/auth-methods.js';
import { type Action, Actions } from './actions.js';

const text = (max: number) => z.string().max(max).default('');
const flowId = z.string().uuid();
const phoneType = z.enum(PHONE_TYPES as [string, ...string[]]);

type FlowAction = Exclude<Action, typeof Actions.changeSecurityInfo | typeof Actions.stepUpStart>;

const PARSERS: Record<FlowAction, (value: unknown, via: Via) => FlowInput> = {
  [Actions.cancel]: (v, via) => ({
    type: 'cancel',
    flowId: z.object({ flowId: flowId.optional() }).parse(v).flowId,
    via,
  }),
  [Actions.menu]: (v, via) => ({ type: 'menu', flowId: z.object({ flowId }).parse(v).flowId, via }),
  [Actions.editPhone]: (v, via) => {
    const p = z.object({ flowId, phoneType }).parse(v);
    return { type: 'editPhone', flowId: p.flowId, phoneType: p.phoneType as never, via };
  },
  [Actions.removePhone]: (v, via) => {
    const p = z.object({ flowId, phoneType }).parse(v);
    return { type: 'removePhone', flowId: p.flowId, phoneType: p.phoneType as never, via };
  },
  [Actions.setDefault]: (v, via) => {
    const p = z.object({ flowId, defaultMethod: z.string().max(40).optional() }).parse(v);
    const method = DEFAULT_METHODS.find((m) => m === p.defaultMethod);
    return { type: 'setDefault', flowId: p.flowId, method, via };
  },
  [Actions.submitNumber]: (v, via) => {
    const p = z.object({ flowId, country: text(8), number: text(64), extension: text(16) }).parse(v);
    return {
      type: 'submitNumber',
      flowId: p.flowId,
      form: { country: p.country, number: p.number, extension: p.extension },
      via,
    };
  },
  [Actions.submitCode]: (v, via) => {
    const p = z.object({ flowId, code: text(32) }).parse(v);
    return { type: 'submitCode', flowId: p.flowId, code: p.code, via };
  },
  [Actions.resendCode]: (v, via) => ({ type: 'resendCode', flowId: z.object({ flowId }).parse(v).flowId, via }),
  [Actions.confirm]: (v, via) => ({ type: 'confirm', flowId: z.object({ flowId }).parse(v).flowId, via }),
};

export const FLOW_ACTIONS = new Set<string>(Object.keys(PARSERS));

/** The flow input for a card submit, or undefined when the action or its values are not what our cards send. */
export function flowInputOf(action: string, value: unknown): FlowInput | undefined {
  const parse = PARSERS[action as FlowAction];
  if (!parse) return undefined;
  const parsed = z.object({}).passthrough().safeParse(value);
  if (!parsed.success) return undefined;
  try {
    return parse(parsed.data, 'card');
  } catch {
    return undefined; // a forged or malformed submit: the caller answers "stale", nothing changes
  }
}
