// Card submits (Teams Adaptive Cards and Slack Block Kit name the same action ids) → flow inputs. Every submitted value
// is parsed with a schema; anything else is refused, never guessed. Channel-neutral: both channels use it.
import { z } from 'zod';
import { type FlowInput, PASSKEY_DEVICES, PASSKEY_PROBLEMS, type Via } from '../flow/flow.js';
import { DEFAULT_METHODS, PHONE_TYPES } from '../graph/auth-methods.js';
import { type Action, Actions } from './actions.js';

const text = (max: number) => z.string().max(max).default('');
const flowId = z.string().uuid();
const phoneType = z.enum(PHONE_TYPES as [string, ...string[]]);

// Built once: a zod schema is costly to build and cheap to run (building them per submit cost ~1 ms of a change's CPU).
const S = {
  flowOptional: z.object({ flowId: flowId.optional() }),
  flow: z.object({ flowId }),
  editPhone: z.object({ flowId, phoneType: phoneType.optional(), offer: phoneType.optional() }),
  removePhone: z.object({ flowId, phoneType }),
  setDefault: z.object({ flowId, defaultMethod: z.string().max(40).optional() }),
  submitNumber: z.object({
    flowId,
    country: text(8),
    number: text(64),
    extension: text(16),
    channel: z.enum(['sms', 'voice']).optional().catch(undefined),
  }),
  submitCode: z.object({ flowId, code: text(32) }),
  picked: z.object({ flowId, picked: text(40), choice: text(40) }),
  device: z.enum(PASSKEY_DEVICES),
  confirm: z.object({ flowId, revokeSessions: z.enum(['true', 'false']).optional().catch(undefined) }),
  anyObject: z.object({}).passthrough(),
};

type FlowAction = Exclude<
  Action,
  | typeof Actions.changeSecurityInfo
  | typeof Actions.stepUpStart
  | typeof Actions.escalate
  | typeof Actions.take
  | typeof Actions.handoff
  | typeof Actions.handoffAccept
  | typeof Actions.handoffDecline
  | typeof Actions.tapAttest
  | typeof Actions.tapApprove
  | typeof Actions.tapHide
  | typeof Actions.tapVerify
  | typeof Actions.tapDecline
  | typeof Actions.readinessNames
  | typeof Actions.campaignStart
  | typeof Actions.campaignStop
  | typeof Actions.reminderPasskey
  | typeof Actions.reminderSnooze
  | typeof Actions.reminderOptOut
>;

const PARSERS: Record<FlowAction, (value: unknown, via: Via) => FlowInput> = {
  [Actions.cancel]: (v, via) => ({
    type: 'cancel',
    flowId: S.flowOptional.parse(v).flowId,
    via,
  }),
  [Actions.menu]: (v, via) => ({ type: 'menu', flowId: S.flow.parse(v).flowId, via }),
  [Actions.editPhone]: (v, via) => {
    // `offer`: the way-out button under a refusal names its phone itself (whatever the choice set says).
    const p = S.editPhone.parse(v);
    const chosen = p.offer ?? p.phoneType;
    if (!chosen) throw new Error('no phone chosen');
    return { type: 'editPhone', flowId: p.flowId, phoneType: chosen as never, via };
  },
  [Actions.removePhone]: (v, via) => {
    const p = S.removePhone.parse(v);
    return { type: 'removePhone', flowId: p.flowId, phoneType: p.phoneType as never, via };
  },
  [Actions.setDefault]: (v, via) => {
    const p = S.setDefault.parse(v);
    const method = DEFAULT_METHODS.find((m) => m === p.defaultMethod);
    return { type: 'setDefault', flowId: p.flowId, method, via };
  },
  [Actions.submitNumber]: (v, via) => {
    const p = S.submitNumber.parse(v);
    return {
      type: 'submitNumber',
      flowId: p.flowId,
      form: { country: p.country, number: p.number, extension: p.extension },
      ...(p.channel ? { channel: p.channel } : {}),
      via,
    };
  },
  [Actions.submitCode]: (v, via) => {
    const p = S.submitCode.parse(v);
    return { type: 'submitCode', flowId: p.flowId, code: p.code, via };
  },
  [Actions.resendCode]: (v, via) => ({ type: 'resendCode', flowId: S.flow.parse(v).flowId, via }),
  [Actions.passkeyStart]: (v, via) => ({ type: 'passkeyStart', flowId: S.flow.parse(v).flowId, via }),
  // The choice comes from the card's list (input "picked") or from a button that names it (Slack).
  [Actions.passkeyDevice]: (v, via) => {
    const p = S.picked.parse(v);
    const device = S.device.parse(p.picked || p.choice);
    return { type: 'passkeyDevice', flowId: p.flowId, device, via };
  },
  [Actions.passkeyAdded]: (v, via) => ({ type: 'passkeyAdded', flowId: S.flow.parse(v).flowId, via }),
  [Actions.passkeyHelp]: (v, via) => {
    const p = S.picked.parse(v);
    const problem = PASSKEY_PROBLEMS.find((x) => x === (p.picked || p.choice));
    return { type: 'passkeyHelp', flowId: p.flowId, ...(problem ? { problem } : {}), via };
  },
  [Actions.confirm]: (v, via) => {
    // The toggle sends "true"/"false" (absent on cards without it).
    const p = S.confirm.parse(v);
    return { type: 'confirm', flowId: p.flowId, ...(p.revokeSessions === 'true' ? { revokeSessions: true } : {}), via };
  },
};

export const FLOW_ACTIONS = new Set<string>(Object.keys(PARSERS));

/** The flow input for a card submit, or undefined when the action or its values are not what our cards send. */
export function flowInputOf(action: string, value: unknown): FlowInput | undefined {
  const parse = PARSERS[action as FlowAction];
  if (!parse) return undefined;
  const parsed = S.anyObject.safeParse(value);
  if (!parsed.success) return undefined;
  try {
    return parse(parsed.data, 'card');
  } catch {
    return undefined; // a forged or malformed submit: the caller answers "stale", nothing changes
  }
}
