// The steps of one change, from the security-info card to "applying" (pure).
import { isSupportedCountry } from 'libphonenumber-js/max';
import type { PhoneType, SecurityInfo } from '../graph/auth-methods.js';
import { newProgress } from '../graph/plan-progress.js';
import { type ChangeRequest, planChange } from '../graph/planner.js';
import { displayPhone } from '../mask.js';
import { countryOf, e164Of, type PhoneNumber, parsePhone, problemKey } from '../phone/phone-number.js';
import { canResend, checkCode } from '../possession/code-check.js';
import { needsEntraOptIn } from '../readiness/regional-opt-in.js';
import { RETIREMENT } from '../readiness/sms-voice-retirement.js';
import { auditOf } from './audit-records.js';
import { endFlow } from './finish-steps.js';
import type {
  CodeChannel,
  Effect,
  Facts,
  Flow,
  FlowInput,
  NumberForm,
  Submitted,
  Transition,
  Via,
  Wish,
} from './flow.js';
import { startPasskey } from './passkey-steps.js';
import { commit, moveTo, notice, reply, result, showOnPanel } from './present.js';
import { calendarNow, phoneRetirementNote, readinessView } from './readiness-view.js';
import {
  type CodeEntryModel,
  confirmView,
  type Offer,
  offerFor,
  phoneEntryView,
  proofFor,
  refusalText,
  securityInfoView,
  speechOf,
} from './views.js';

type Input<T extends FlowInput['type']> = Extract<FlowInput, { type: T }>;

/**
 * The country pre-selected for a new number: that of the user's numbers, else their usage location (directory), else
 * their locale's region, else US.
 */
export function defaultCountry(info: SecurityInfo | undefined, locale?: string): string {
  const any = info?.phones.mobile ?? info?.phones.alternateMobile ?? info?.phones.office;
  const fromNumber = any ? countryOf(any) : undefined;
  if (fromNumber) return fromNumber;
  if (info?.usageLocation && isSupportedCountry(info.usageLocation)) return info.usageLocation;
  try {
    const region = locale ? new Intl.Locale(locale).maximize().region : undefined;
    return region && isSupportedCountry(region) ? region : 'US';
  } catch {
    return 'US'; // an unusable locale only loses the pre-selected country
  }
}

export function showMenu(
  flow: Flow,
  info: SecurityInfo,
  now: number,
  via: Via,
  error = '',
  offer?: Offer,
  selected: PhoneType = offer?.phone ?? flow.phoneType ?? 'mobile',
): Transition {
  const menu: Flow = {
    ...flow,
    stage: 'menu',
    info,
    request: undefined,
    number: undefined,
    form: undefined,
    code: undefined,
    plan: undefined,
  };
  const sp = speechOf(flow);
  const model = { ...securityInfoView(flow.id, info, sp, selected, offer, readinessView(flow, info, now, sp)), error };
  return moveTo(menu, now, { name: 'security-info', model }, via);
}

function askNumber(flow: Flow, form: NumberForm, now: number, via: Via, error = ''): Transition {
  const sp = speechOf(flow);
  const { note } = phoneRetirementNote(flow, now, sp);
  const view = phoneEntryView(flow.id, flow.phoneType ?? 'mobile', form, sp, flow.options, error, note);
  return moveTo({ ...flow, stage: 'number', form }, now, { name: 'phone-entry', model: view }, via);
}

/** Plans against `info`; a refusal goes back to the menu (audited), a plan shows the confirm card. */
export function prepareConfirm(flow: Flow, request: ChangeRequest, info: SecurityInfo, now: number, via: Via) {
  const plan = planChange(info, request);
  const sp = speechOf(flow);
  if (!plan.ok) {
    const refused = showMenu(flow, info, now, via, refusalText(plan.refusal, sp), offerFor(plan.refusal, request, sp));
    const record = auditOf({ ...flow, request }, 'refused', now, plan.refusal);
    return { ...refused, effects: [...refused.effects, { kind: 'audit' as const, record }] };
  }
  const confirming: Flow = {
    ...flow,
    stage: 'confirm',
    request,
    info,
    code: undefined,
    plan: {
      steps: plan.steps,
      before: info,
      defaultMovedTo: plan.defaultMovedTo,
      systemPreferredOverrides: plan.systemPreferredOverrides,
    },
  };
  const model = confirmView(flow.id, request, info, plan, sp, flow.lost === true);
  const warnings = [
    ...(flow.sharedNumber ? [sp.say('flow.sharedNumberWarning')] : []),
    ...(flow.entraOptIn ? [sp.say('flow.entraOptIn')] : []),
  ];
  const note = [...warnings, model.note].filter(Boolean).join(' ');
  return moveTo(confirming, now, { name: 'confirm-change', model: { ...model, note } }, via);
}

export function editPhone(flow: Flow, input: Input<'editPhone'>, now: number): Transition {
  const info = flow.info ?? { phones: {}, others: [], systemPreferredEnabled: false };
  if (input.phoneType === 'alternateMobile' && !info.phones.mobile) {
    // Said before any number is typed, with the way forward on the same card.
    const refusal = 'alternate-needs-mobile' as const;
    const request = { kind: 'setPhone' as const, type: input.phoneType, number: '' };
    const sp = speechOf(flow);
    return showMenu(flow, info, now, input.via, refusalText(refusal, sp), offerFor(refusal, request, sp));
  }
  // PHONE_METHODS_AFTER_RETIREMENT=refuse: once Microsoft no longer delivers codes, no phone is added or changed.
  const retirement = phoneRetirementNote(flow, now, speechOf(flow));
  if (retirement.refused) return showMenu(flow, info, now, input.via, retirement.note);
  const form = { country: defaultCountry(flow.info, flow.locale), number: '', extension: '' };
  return askNumber({ ...flow, phoneType: input.phoneType }, form, now, input.via);
}

/**
 * Whether Entra itself may not text or call this number although Proofup's code reached it: Microsoft delivers the
 * codes (PHONE_DELIVERY=microsoft, before the retirement) and the country needs an opt-in the tenant has not made.
 */
function entraMayNotReach(flow: Flow, e164: string, now: number): boolean {
  const readiness = flow.options?.readiness;
  if (readiness?.telecom.delivery !== 'microsoft' || calendarNow(flow, now) >= RETIREMENT.users) return false;
  return needsEntraOptIn(e164, readiness.optedInCountries);
}

/**
 * The submitted number under every rule that needs no Graph read: its parse (country policy, kind) and the channel.
 * The runner takes it once, with the number checks (`facts.submitted`); the steps below use that parse.
 */
export function parseSubmitted(
  flow: Flow,
  input: Input<'submitNumber'>,
  smsCountries: Facts['smsCountries'],
): Submitted {
  const type = flow.phoneType ?? 'mobile';
  const channels = proofFor(type, flow.options).channels;
  // The channel the user pressed, if this phone can be proven that way; else the phone's usual one.
  const channel: CodeChannel | undefined =
    input.channel && channels.includes(input.channel) ? input.channel : channels[0];
  // Codes go only where the organisation allows (a number nobody sends a code to is exempt).
  const allowedCountries = channel ? smsCountries : undefined;
  const parsed = parsePhone({
    ...input.form,
    type,
    // An alternate phone proven by a call may be a landline; a number proven by a text must be a mobile.
    ...(channel === 'voice' && type === 'alternateMobile' ? { landlineAllowed: true } : {}),
    ...(allowedCountries ? { allowedCountries } : {}),
  });
  return { type, channel, parsed };
}

/**
 * The number (E.164) the shared-number check must look at, or undefined when no check is due: it runs only for a
 * mobile or alternate number that passed every rule refusing without Graph (parse, country, kind, the planner's rules
 * on the security info already read), so a number refused anyway costs the same whoever holds it.
 */
export function sharedCheckTarget(flow: Flow, input: Input<'submitNumber'>, facts: Facts): string | undefined {
  const { type, parsed } = facts.submitted ?? parseSubmitted(flow, input, facts.smsCountries);
  if (type === 'office' || !parsed.ok) return undefined;
  const plan = planChange(flow.info ?? EMPTY_INFO, { kind: 'setPhone', type, number: parsed.graph });
  return plan.ok ? parsed.e164 : undefined;
}

const EMPTY_INFO: SecurityInfo = { phones: {}, others: [], systemPreferredEnabled: false };

export function submitNumber(flow: Flow, input: Input<'submitNumber'>, facts: Facts, now: number): Transition {
  const { form, via } = input;
  const say = speechOf(flow).say;
  const { type, channel, parsed } = facts.submitted ?? parseSubmitted(flow, input, facts.smsCountries);
  if (!parsed.ok) return askNumber(flow, form, now, via, say(problemKey(parsed.problem, type)));
  const { ok: _, ...number } = parsed;
  const request: ChangeRequest = { kind: 'setPhone', type, number: number.graph };
  if (facts.sharedNumber === 'refuse') {
    // Never says whose number it is; audited so the security team sees attempts on colleagues' numbers.
    const refused = askNumber(flow, form, now, via, say('flow.sharedNumber'));
    const record = auditOf({ ...flow, request }, 'refused', now, 'shared-number');
    return { ...refused, effects: [...refused.effects, { kind: 'audit' as const, record }] };
  }
  // Checked against the security info read for the menu; the confirm step plans again on a fresh read.
  const plan = planChange(flow.info ?? EMPTY_INFO, request);
  if (!plan.ok) return askNumber(flow, form, now, via, refusalText(plan.refusal, speechOf(flow)));
  if (!channel) {
    // An office phone nobody calls (OFFICE_PHONE_POLICY=directory|any, or no calls configured).
    const directoryOnly = flow.options?.officePolicy !== 'any';
    const listed = (facts.businessPhones ?? []).map(e164Of);
    if (directoryOnly && !listed.includes(parsed.e164))
      return askNumber(flow, form, now, via, say('flow.officeNotListed'));
    return prepareConfirm({ ...flow, form, number }, request, flow.info as SecurityInfo, now, via);
  }
  const shared = facts.sharedNumber === 'warn';
  const next: Flow = {
    ...flow,
    stage: 'code',
    form,
    request,
    number,
    channel,
    code: undefined,
    call: undefined,
    sharedNumber: shared,
    entraOptIn: entraMayNotReach(flow, parsed.e164, now),
  };
  return commit(next, now, codeTo(next));
}

export function resendCode(flow: Flow, input: Input<'resendCode'>, now: number): Transition {
  if (!flow.number) return reply(flow, notice(speechOf(flow).say('flow.stale')));
  if (!canResend(flow.code)) {
    const shown = showOnPanel(flow, codeView(flow, speechOf(flow).say('flow.resendLimit')), input.via);
    return reply(flow, ...shown.effects);
  }
  return commit({ ...flow, call: undefined }, now, codeTo(flow));
}

/** A code to the number being proven, the way it was asked for (a call dials the office phone's extension). */
function codeTo(flow: Flow): Effect {
  const { e164, extension } = flow.number as PhoneNumber;
  return { kind: 'sendCode', to: e164, channel: flow.channel ?? 'sms', ...(extension ? { extension } : {}) };
}

export function codeView(flow: Flow, error = ''): { name: 'code-entry'; model: CodeEntryModel } {
  const say = speechOf(flow).say;
  const number = flow.request?.kind === 'setPhone' && flow.request.number ? displayPhone(flow.request.number) : '';
  const voice = flow.channel === 'voice';
  const outcome = flow.call?.outcome;
  const told =
    outcome === 'answered'
      ? say('flow.callAnswered', { number })
      : outcome === 'no-answer'
        ? say('flow.callNoAnswer', { number })
        : outcome === 'busy'
          ? say('flow.callBusy', { number })
          : outcome === 'failed'
            ? say('flow.callDropped', { number })
            : '';
  return {
    name: 'code-entry',
    model: {
      flowId: flow.id,
      sentText: voice && told ? told : say(voice ? 'card.codeEntry.sentCall' : 'card.codeEntry.sentSms', { number }),
      resendTitle: say(voice ? 'card.codeEntry.resendCall' : 'card.codeEntry.resendSms'),
      error,
    },
  };
}

/** The call with the code ended: say how on the code card (news of an older call, or a second report, is dropped). */
export function callEnded(flow: Flow, input: Input<'callEnded'>, now: number): Transition {
  const current = flow.stage === 'code' && flow.channel === 'voice' && flow.code?.sends === input.sends;
  if (!current || flow.call) return reply(flow);
  const next = { ...flow, call: { sends: input.sends, outcome: input.outcome } };
  return moveTo(next, now, codeView(next), 'card');
}

export function submitCode(flow: Flow, input: Input<'submitCode'>, now: number): Transition {
  const say = speechOf(flow).say;
  if (!flow.code || !flow.request) return reply(flow, notice(say('flow.stale')));
  const check = checkCode(flow.code, input.code, now);
  if (check.ok)
    return prepareConfirm({ ...flow, code: undefined }, flow.request, flow.info as SecurityInfo, now, input.via);
  if (check.reason === 'malformed')
    return reply(flow, ...showOnPanel(flow, codeView(flow, say('flow.codeFormat')), input.via).effects);
  if (check.reason === 'wrong') {
    const error = say('flow.wrongCode', { triesLeft: check.triesLeft });
    return moveTo({ ...flow, code: check.code }, now, codeView(flow, error), input.via);
  }
  const view = result({
    ok: false,
    title: say('result.notConfirmed'),
    message: say(check.reason === 'expired' ? 'result.codeExpired' : 'result.tooManyWrong'),
    detail: '',
    // Five wrong codes: the user may be stuck (or someone is guessing) — offer the helpdesk.
    ...(check.reason === 'expired' ? {} : { escalate: 'wrong-codes', flowId: flow.id }),
  });
  return endFlow(flow, now, input.via, view, 'failed', 'code-failed', `code-${check.reason}`);
}

export function confirm(flow: Flow, input: Input<'confirm'>, facts: Facts, now: number): Transition {
  const request = flow.request as ChangeRequest;
  const info = facts.info as SecurityInfo; // read fresh for this step: plan again only here
  const plan = planChange(info, request);
  if (!plan.ok) return prepareConfirm(flow, request, info, now, input.via);
  const applying: Flow = {
    ...flow,
    stage: 'applying',
    info,
    revokeSessions: input.revokeSessions === true,
    plan: {
      steps: plan.steps,
      before: info,
      defaultMovedTo: plan.defaultMovedTo,
      systemPreferredOverrides: plan.systemPreferredOverrides,
    },
    progress: newProgress(),
  };
  const what = confirmView(flow.id, request, info, plan, speechOf(flow), false).what;
  return moveTo(
    applying,
    now,
    { name: 'applying', model: { what } },
    input.via,
    { kind: 'event', name: 'confirmed', at: now },
    { kind: 'apply' },
  );
}

/** The first step after verification: what the user asked for in words, where that is one step (else the menu). */
export function firstStep(flow: Flow, info: SecurityInfo, wish: Wish | undefined, now: number): Transition {
  const ready: Flow = { ...flow, info };
  if (wish?.passkey) return startPasskey(ready, info, now, 'text');
  const type = wish?.phone;
  if (type && wish?.action === 'remove')
    return prepareConfirm({ ...ready, phoneType: type }, { kind: 'removePhone', type }, info, now, 'text');
  if (type && (wish?.action === 'change' || wish?.action === 'add'))
    return editPhone(ready, { type: 'editPhone', flowId: flow.id, phoneType: type, via: 'text' }, now);
  return showMenu(ready, info, now, 'text', '', undefined, type);
}
