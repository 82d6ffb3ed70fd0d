// THE flow core: step(flow, input, facts, now) → {flow, effects}. Pure and channel-neutral: no botbuilder, no card JSON,
// no I/O, no clock. The runner stores `flow` with compare-and-set together with `effects` (its outbox), so a
// transition and everything it causes happen together or not at all; a duplicate or concurrent input re-runs step()
// on the newer flow and gets the answer that state deserves ("already being applied", "finished", "stale").
import type { SecurityInfo } from '../graph/auth-methods.js';
import {
  callEnded,
  codeView,
  confirm,
  defaultCountry,
  editPhone,
  firstStep,
  prepareConfirm,
  resendCode,
  showMenu,
  submitCode,
  submitNumber,
} from './change-steps.js';
import { cancel, expire, grantExpired, notified, planFinished } from './finish-steps.js';
import { type FactName, type Facts, type Flow, type FlowInput, IDLE_LIMIT_MS, type Transition } from './flow.js';
import { checkPasskey, choosePasskeyDevice, passkeyHelp, startPasskey } from './passkey-steps.js';
import { commit, moveTo, notice, reply, showOnPanel } from './present.js';
import { phoneEntryView, securityInfoView, speechOf } from './views.js';

const EFFECT_RESULTS = new Set(['shown', 'codeIssued', 'codeNotSent', 'planFinished', 'notified', 'callEnded']);

export const isLive = (flow: Flow | undefined): flow is Flow => Boolean(flow && flow.stage !== 'ended');

function userInputAccepted(flow: Flow | undefined, input: FlowInput, now: number): flow is Flow {
  if (!isLive(flow) || flow.stage === 'applying') return false;
  if ('flowId' in input && input.flowId !== undefined && input.flowId !== flow.id) return false;
  return now - flow.updatedAt <= IDLE_LIMIT_MS;
}

/** What the runner must read before calling step() for this input (Graph only where this step needs it). */
export function factsNeeded(flow: Flow | undefined, input: FlowInput, now: number): FactName[] {
  if (input.type === 'verified') return isLive(flow) && flow.stage === 'applying' ? [] : ['info'];
  // A watch tick reads the methods only while the watch runs (one read a minute, see passkey-steps.ts).
  if (input.type === 'passkeyCheck')
    return flow?.stage === 'passkey' && flow.passkey?.watchUntil && !flow.passkey.added ? ['info'] : [];
  if (!userInputAccepted(flow, input, now) || input.type === 'cancel') return [];
  switch (input.type) {
    case 'menu':
    case 'startOver':
    case 'removePhone':
    case 'setDefault':
    case 'confirm':
      return input.type === 'confirm' && flow.stage !== 'confirm' ? ['grant'] : ['grant', 'info'];
    // The passkey set-up writes nothing: guidance needs no fresh sign-in; "I've added it" reads the methods.
    case 'passkeyStart':
    case 'passkeyDevice':
    case 'passkeyHelp':
      return [];
    case 'passkeyAdded':
      return flow.stage === 'passkey' && !flow.passkey?.added ? ['info'] : [];
    case 'submitNumber':
      if (flow.stage !== 'number') return ['grant'];
      // An office number may be called (countries apply) or checked against the directory.
      return flow.phoneType === 'office' ? ['grant', 'businessPhones', 'numberChecks'] : ['grant', 'numberChecks'];
    default:
      return ['grant'];
  }
}

export function step(flow: Flow | undefined, input: FlowInput, facts: Facts, now: number): Transition {
  if (input.type === 'verified') return start(flow, input, facts, now);
  if (EFFECT_RESULTS.has(input.type)) return effectResult(flow, input, now);
  if (input.type === 'passkeyCheck')
    return isLive(flow) && flow.stage === 'passkey' && facts.info
      ? checkPasskey(flow, input, facts.info, now)
      : reply(flow);
  if (input.type === 'expire') {
    const idle = isLive(flow) && flow.stage !== 'applying' && now - flow.updatedAt > IDLE_LIMIT_MS;
    return idle && flow.outbox.length === 0 ? expire(flow, now) : reply(flow);
  }
  return userInput(flow, input, facts, now);
}

function start(flow: Flow | undefined, input: Extract<FlowInput, { type: 'verified' }>, facts: Facts, now: number) {
  if (isLive(flow) && (flow.stage === 'applying' || flow.outbox.length > 0))
    return reply(flow, notice(speechOf(flow).say('flow.applying')));
  const fresh: Flow = {
    id: input.flowId,
    chat: input.chat,
    address: input.address,
    user: input.user,
    ...(input.timeZone ? { timeZone: input.timeZone } : {}),
    ...(input.locale ? { locale: input.locale } : {}),
    ...(input.lang ? { lang: input.lang } : {}),
    ...(input.options ? { options: input.options } : {}),
    ...(input.wish?.lost ? { lost: true } : {}),
    stage: 'menu',
    outbox: [],
    seq: 0,
    startedAt: now,
    updatedAt: now,
  };
  // An older flow in this chat is replaced; its card loses its buttons.
  const retire = flow?.panel ? [{ kind: 'retire' as const, messageId: flow.panel }] : [];
  const menu = firstStep(fresh, facts.info as SecurityInfo, input.wish, now);
  return {
    ...menu,
    effects: [...retire, ...menu.effects, { kind: 'event' as const, name: 'verified' as const, at: now }],
  };
}

function effectResult(flow: Flow | undefined, input: FlowInput, now: number): Transition {
  if (!flow) return reply(flow);
  switch (input.type) {
    case 'shown':
      return commit({ ...flow, panel: input.messageId }, now);
    case 'codeIssued': {
      if (flow.stage !== 'code') return reply(flow);
      const next = { ...flow, code: input.code, call: undefined };
      return moveTo(next, now, codeView(next), 'card', { kind: 'event', name: 'code-sent', at: now });
    }
    case 'callEnded':
      return callEnded(flow, input, now);
    case 'codeNotSent': {
      if (flow.stage !== 'code') return reply(flow);
      const say = speechOf(flow).say;
      const error =
        input.reason === 'hourly-cap'
          ? say('flow.hourlyCap')
          : input.reason === 'number-cap'
            ? say('flow.numberCap')
            : say(flow.channel === 'voice' ? 'flow.callFailed' : 'flow.smsFailed');
      if (flow.code && input.reason !== 'send-failed') return moveTo(flow, now, codeView(flow, error), 'card');
      const view = { name: 'phone-entry' as const, model: numberView(flow, error) };
      const back = {
        ...flow,
        stage: 'number' as const,
        request: undefined,
        number: undefined,
        code: undefined,
      };
      return moveTo(back, now, view, 'card');
    }
    case 'planFinished':
      return planFinished(flow, input.progress, now);
    case 'notified':
      return notified(flow, input, now);
    default:
      return reply(flow);
  }
}

function numberView(flow: Flow, error: string) {
  return phoneEntryView(
    flow.id,
    flow.phoneType ?? 'mobile',
    flow.form ?? { country: defaultCountry(flow.info, flow.locale), number: '', extension: '' },
    speechOf(flow),
    flow.options,
    error,
  );
}

function userInput(flow: Flow | undefined, input: FlowInput, facts: Facts, now: number): Transition {
  const say = speechOf(flow).say;
  if (!flow || flow.stage === 'ended') {
    const late = flow && 'flowId' in input && input.flowId === flow.id;
    return reply(flow, notice(say(late ? 'flow.finished' : 'flow.stale')));
  }
  const stale = () => reply(flow, notice(say('flow.stale')));
  if ('flowId' in input && input.flowId !== undefined && input.flowId !== flow.id) return stale();
  if (flow.stage === 'applying') return reply(flow, notice(say('flow.applying')));
  if (now - flow.updatedAt > IDLE_LIMIT_MS) return expire(flow, now);
  const via = 'via' in input ? input.via : 'card';
  if (input.type === 'cancel') return cancel(flow, now, via);
  if (facts.grant === false) return grantExpired(flow, now, via);
  switch (input.type) {
    case 'menu':
    case 'startOver':
      return showMenu(flow, facts.info as SecurityInfo, now, via);
    case 'editPhone':
      return editPhone(flow, input, now);
    case 'removePhone':
      return prepareConfirm(flow, { kind: 'removePhone', type: input.phoneType }, facts.info as SecurityInfo, now, via);
    case 'setDefault':
      if (!input.method) {
        const view = {
          name: 'security-info' as const,
          model: {
            ...securityInfoView(flow.id, facts.info as SecurityInfo, speechOf(flow)),
            error: say('flow.chooseDefault'),
          },
        };
        return reply(flow, ...showOnPanel(flow, view, via).effects);
      }
      return prepareConfirm(flow, { kind: 'setDefault', method: input.method }, facts.info as SecurityInfo, now, via);
    case 'submitNumber':
      return flow.stage === 'number' ? submitNumber(flow, input, facts, now) : stale();
    case 'submitCode':
      return flow.stage === 'code' ? submitCode(flow, input, now) : stale();
    case 'resendCode':
      return flow.stage === 'code' ? resendCode(flow, input, now) : stale();
    case 'confirm':
      return flow.stage === 'confirm' ? confirm(flow, input, facts, now) : stale();
    case 'passkeyStart':
      return startPasskey(flow, flow.info as SecurityInfo, now, via);
    case 'passkeyDevice':
      return flow.stage === 'passkey' ? choosePasskeyDevice(flow, input, now) : stale();
    case 'passkeyAdded':
      return flow.stage === 'passkey'
        ? checkPasskey(flow, input, facts.info ?? (flow.info as SecurityInfo), now)
        : stale();
    case 'passkeyHelp':
      return passkeyHelp(flow, input, now);
    default:
      return reply(flow);
  }
}
