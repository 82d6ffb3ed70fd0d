// The passkey set-up (pure): choose the device, its steps and a button to Microsoft's own page, then WATCH. A bot
// cannot create a passkey for Microsoft's sign-in (WebAuthn binds it to Microsoft's domain), so Proofup guides and
// then re-reads the person's methods: on "I've added it" at once, and while nothing is there yet once a minute for up
// to 15 minutes (the sweep sends `passkeyCheck`). The new passkey is confirmed by name and time, audited and e-mailed
// in the SAME transition that ends the watch: a second "I've added it", a late tick or a crash gives one of each.
import type { SecurityInfo } from '../graph/auth-methods.js';
import { planChange } from '../graph/planner.js';
import type { MessageKey } from '../i18n/i18n.js';
import { displayPhone } from '../mask.js';
import { phishingResistantMethods } from '../readiness/sms-voice-retirement.js';
import { clockTime } from '../time.js';
import {
  type Flow,
  type FlowInput,
  PASSKEY_DEVICES,
  type PasskeyDevice,
  type PasskeyProblem,
  type PasskeyState,
  type Transition,
  type Via,
} from './flow.js';
import { commit, moveTo, notice, reply } from './present.js';
import { type PasskeyButton, type PasskeyModel, speechOf } from './views.js';

type Input<T extends FlowInput['type']> = Extract<FlowInput, { type: T }>;

export const PASSKEY_WATCH_MS = 15 * 60_000;
/** One Graph read of the person's methods per minute while watching (PASSKEY_CHECK_SECONDS; the sweep runs every 30 s). */
export const PASSKEY_CHECK_EVERY_MS = 60_000;
const checkEvery = (flow: Flow) => flow.options?.readiness?.watchCheckMs ?? PASSKEY_CHECK_EVERY_MS;

const DEVICES: readonly PasskeyDevice[] = PASSKEY_DEVICES;

/** A method's identity across reads: Graph's id, else what the card shows of it. */
const keyOf = (m: { kind: string; id?: string; name?: string }) => m.id ?? `${m.kind}:${m.name ?? ''}`;

function model(flow: Flow, parts: Partial<PasskeyModel> & { title: string }): PasskeyModel {
  return {
    flowId: flow.id,
    lines: [],
    steps: [],
    link: '',
    linkTitle: '',
    buttons: [],
    choices: [],
    choiceLabel: '',
    choiceSubmit: '',
    choiceAction: 'passkey.device',
    tone: 'default',
    ...parts,
  };
}

function show(flow: Flow, now: number, view: PasskeyModel, via: Via, ...more: Parameters<typeof moveTo>[4][]) {
  return moveTo(flow, now, { name: 'passkey', model: view }, via, ...more);
}

/** "Set up a passkey": the phishing-resistant methods already there are the baseline; then the device choice. */
export function startPasskey(flow: Flow, info: SecurityInfo, now: number, via: Via): Transition {
  const { say } = speechOf(flow);
  const passkey: PasskeyState = { baseline: phishingResistantMethods(info).map(keyOf) };
  const next: Flow = { ...flow, stage: 'passkey', info, passkey, request: undefined, code: undefined };
  const view = model(next, {
    title: say('passkey.title'),
    lines: [say('passkey.why')],
    choices: DEVICES.map((d) => ({ title: say('passkey.device', { device: d }), value: d })),
    choiceLabel: say('passkey.chooseDevice'),
    choiceSubmit: say('passkey.showSteps'),
    choiceAction: 'passkey.device',
    buttons: [{ title: say('passkey.cant'), action: 'passkey.help', choice: '' }],
  });
  return show(next, now, view, via);
}

export function choosePasskeyDevice(flow: Flow, input: Input<'passkeyDevice'>, now: number): Transition {
  const { say } = speechOf(flow);
  const next: Flow = { ...flow, passkey: { ...(flow.passkey ?? { baseline: [] }), device: input.device } };
  const view = model(next, {
    title: say('passkey.stepsTitle'),
    steps: say(`passkey.steps.${input.device}` as MessageKey)
      .split('\n')
      .filter(Boolean),
    link: next.options?.readiness?.mySignInsUrl ?? '',
    linkTitle: say('passkey.open'),
    buttons: [
      { title: say('passkey.added'), action: 'passkey.added', choice: '' },
      { title: say('passkey.otherDevice'), action: 'passkey.start', choice: '' },
      { title: say('passkey.cant'), action: 'passkey.help', choice: '' },
    ],
  });
  return show(next, now, view, input.via);
}

/**
 * "I've added it" (the person) or a watch tick (the sweep), with the methods just read from Graph: a new
 * phishing-resistant method ends the watch with its confirmation, audit record and e-mail; otherwise the watch starts
 * (the person) or goes on until its 15 minutes are over (the sweep).
 */
export function checkPasskey(
  flow: Flow,
  input: Input<'passkeyAdded' | 'passkeyCheck'>,
  info: SecurityInfo,
  now: number,
) {
  const state = flow.passkey ?? { baseline: [] };
  const { say } = speechOf(flow);
  if (state.added) {
    if (input.type === 'passkeyCheck') return reply(flow);
    return reply(flow, notice(say('passkey.alreadyConfirmed', { name: state.added.name })));
  }
  const found = phishingResistantMethods(info).find((m) => !state.baseline.includes(keyOf(m)));
  const via: Via = input.type === 'passkeyAdded' ? input.via : 'system';
  if (found)
    return confirmed(
      flow,
      info,
      { name: found.name ?? say('method.name', { kind: found.kind }), at: found.createdAt ?? now },
      now,
      via,
    );
  if (input.type === 'passkeyCheck') {
    if (!state.watchUntil) return reply(flow);
    if (now < state.watchUntil)
      return commit({ ...flow, info, passkey: { ...state, nextCheckAt: now + checkEvery(flow) } }, now);
    const stopped: Flow = {
      ...flow,
      info,
      passkey: { baseline: state.baseline, ...(state.device ? { device: state.device } : {}) },
    };
    return show(stopped, now, notFound(stopped, 'passkey.watchEnded'), 'system');
  }
  // Not there yet: watch for up to 15 minutes from the first "I've added it" (a second press does not extend it).
  const watchUntil = state.watchUntil && state.watchUntil > now ? state.watchUntil : now + PASSKEY_WATCH_MS;
  const watching: Flow = {
    ...flow,
    info,
    passkey: { ...state, watchUntil, nextCheckAt: now + checkEvery(flow) },
  };
  return show(watching, now, notFound(watching, 'passkey.watching'), input.via);
}

function notFound(flow: Flow, key: 'passkey.watching' | 'passkey.watchEnded'): PasskeyModel {
  const { say } = speechOf(flow);
  return model(flow, {
    title: say('passkey.notYetTitle'),
    lines: [say(key)],
    link: flow.options?.readiness?.mySignInsUrl ?? '',
    linkTitle: say('passkey.open'),
    buttons: [
      { title: say('passkey.checkAgain'), action: 'passkey.added', choice: '' },
      { title: say('passkey.cant'), action: 'passkey.help', choice: '' },
    ],
  });
}

function confirmed(flow: Flow, info: SecurityInfo, added: { name: string; at: number }, now: number, via: Via) {
  const sp = speechOf(flow);
  const next: Flow = {
    ...flow,
    info,
    passkey: {
      baseline: flow.passkey?.baseline ?? [],
      added,
      ...(flow.passkey?.device ? { device: flow.passkey.device } : {}),
    },
  };
  const removals = removablePhones(next, info);
  const view = model(next, {
    title: `✓ ${sp.say('passkey.confirmedTitle')}`,
    tone: 'good',
    lines: [
      sp.say('passkey.confirmed', { name: added.name, at: clockTime(added.at, flow.timeZone, sp.lang) }),
      sp.say('passkey.emailed'),
      ...(removals.length ? [sp.say('passkey.removeOffer')] : []),
    ],
    buttons: removals,
  });
  const summary = sp.say('summary.passkeyAdded', { name: added.name });
  return show(
    next,
    now,
    view,
    via,
    {
      kind: 'audit',
      record: {
        at: new Date(now).toISOString(),
        flowId: flow.id,
        actorOid: flow.user.oid,
        channel: flow.chat.channelId,
        action: 'passkeyAdded',
        after: added.name,
        steps: [],
        result: 'done',
        reason: via === 'system' ? 'seen-by-watch' : 'confirmed-on-request',
      },
    },
    { kind: 'notifyEmail', to: flow.user.upn, name: flow.user.name, summary, at: now, about: 'passkey' },
    { kind: 'event', name: 'passkey-added', at: now },
  );
}

/**
 * After a passkey: "remove my mobile" for each phone whose removal the planner allows (never the last method), when
 * OFFER_PHONE_REMOVAL says so. Through the usual change: confirm card, fresh sign-in if needed, notices.
 */
function removablePhones(flow: Flow, info: SecurityInfo): PasskeyButton[] {
  if (flow.options?.readiness?.telecom.offerPhoneRemoval === false) return [];
  const { say } = speechOf(flow);
  return (['alternateMobile', 'office', 'mobile'] as const)
    .filter((type) => info.phones[type] && planChange(info, { kind: 'removePhone', type }).ok)
    .map((type) => ({
      title: say('passkey.removePhone', {
        phone: say('phone.title', { type }),
        number: displayPhone(info.phones[type] as string),
      }),
      action: 'sec.removePhone',
      choice: type,
    }));
}

/** "I can't do this": an answer for each case, and the helpdesk (reason passkey-setup) for the rest. */
export function passkeyHelp(flow: Flow, input: Input<'passkeyHelp'>, now: number): Transition {
  const { say } = speechOf(flow);
  const problems: PasskeyProblem[] = ['old-phone', 'no-phone', 'fails'];
  const view = model(flow, {
    title: say('passkey.helpTitle'),
    lines: input.problem ? [say(`passkey.problem.${input.problem}` as MessageKey)] : [],
    ...(input.problem
      ? {}
      : {
          choices: problems.map((p) => ({ title: say(`passkey.problemTitle.${p}` as MessageKey), value: p })),
          choiceLabel: say('passkey.helpChoose'),
          choiceSubmit: say('passkey.showAnswer'),
          choiceAction: 'passkey.help' as const,
        }),
    buttons: [
      { title: say('passkey.tryAgain'), action: 'passkey.start', choice: '' },
      { title: say('offer.askHelpdesk'), action: 'helpdesk.escalate', choice: 'passkey-setup' },
    ],
  });
  return show(flow, now, view, input.via);
}
