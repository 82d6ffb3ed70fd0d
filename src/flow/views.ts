// View models of the change flow (pure, channel-neutral): what each step shows, with every number masked. A channel's
// presenter turns a View into its own format (Teams: the Adaptive Card template of the same name in /cards).

import {
  type CountryCode,
  getCountries,
  getCountryCallingCode,
  getExampleNumber,
  isSupportedCountry,
} from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import {
  DEFAULT_METHODS,
  type DefaultMethod,
  isUsableDefault,
  PHONE_TYPES,
  type PhoneType,
  type SecurityInfo,
} from '../graph/auth-methods.js';
import type { ChangeRequest, Plan, Refusal } from '../graph/planner.js';
import { DEFAULT_LANG, type Lang, languageOf, type MessageKey, type Say, sayer } from '../i18n/i18n.js';
import { displayPhone } from '../mask.js';
import { dateTime } from '../time.js';
import type { CodeChannel, FlowOptions, NumberForm } from './options.js';

/** Where people add or remove what the bot does not change. */
export const MY_SIGN_INS_URL = 'https://mysignins.microsoft.com/security-info';

/** The non-phone methods, read-only: name and what tells two of a kind apart (device, masked address, end time). */
export function otherMethodsView(info: SecurityInfo, say: Say, lang: Lang, timeZone?: string) {
  const listed = info.listed ?? info.others.map((kind) => ({ kind }));
  return listed.map((m) => ({
    title: say('method.name', { kind: m.kind }),
    value:
      'until' in m && m.until !== undefined
        ? say('method.usableUntil', { until: dateTime(m.until, timeZone, lang) })
        : ('name' in m && m.name) || say('method.registered'),
  }));
}

/** Every region libphonenumber knows, named in the user's language and sorted for it (built once per locale). */
const countryLists = new Map<string, { title: string; value: string }[]>();

export function countryChoices(locale = 'en'): { title: string; value: string }[] {
  let list = countryLists.get(locale);
  if (!list) {
    const names = new Intl.DisplayNames([locale, 'en'], { type: 'region', fallback: 'code' });
    const collator = new Intl.Collator([locale, 'en']);
    list = getCountries()
      .map((code) => ({ code, name: names.of(code) ?? code }))
      .sort((a, b) => collator.compare(a.name, b.name))
      .map(({ code, name }) => ({ title: `${name} (+${getCountryCallingCode(code)})`, value: code }));
    countryLists.set(locale, list);
  }
  return list;
}

/** libphonenumber's example number for the country, as typed nationally and internationally. */
export function examplePlaceholder(country: string, say: Say = sayer()): string {
  const example = isSupportedCountry(country) ? getExampleNumber(country as CountryCode, examples) : undefined;
  if (!example) return say('card.phoneEntry.exampleAny', { international: '+1 201 555 0123' });
  return say('card.phoneEntry.example', {
    national: example.formatNational(),
    international: example.formatInternational(),
  });
}

/** Everything a view needs to speak to this user: their language, time zone and locale (for country names). */
export interface Speech {
  lang: Lang;
  say: Say;
  timeZone?: string;
  locale?: string;
}

export function speechOf(flow: { lang?: Lang; timeZone?: string; locale?: string } = {}): Speech {
  const lang = flow.lang ?? DEFAULT_LANG;
  return { lang, say: sayer(lang), timeZone: flow.timeZone, locale: flow.locale };
}

const shown = (n: string | undefined, sp: Speech) => (n ? displayPhone(n) : sp.say('phone.notSet'));

export function defaultLabel(method: DefaultMethod | undefined, sp: Speech = speechOf()): string {
  return sp.say('default.label', { method: method ?? 'none' });
}

/** A way out of a refusal: the step that does what the user most likely wanted instead (never a dead end). */
export interface Offer {
  phone: PhoneType;
  title: string;
}

export function offerFor(refusal: Refusal, request: ChangeRequest | undefined, sp: Speech): Offer | undefined {
  const type = request && request.kind !== 'setDefault' ? request.type : undefined;
  switch (refusal) {
    case 'alternate-needs-mobile':
      return { phone: 'mobile', title: sp.say('offer.addMobile') };
    case 'mobile-needed-by-alternate':
      return { phone: 'mobile', title: sp.say('offer.replaceMobile') };
    case 'would-leave-no-method':
    case 'would-leave-no-default':
      return type && { phone: type, title: sp.say('offer.replace', { type }) };
    case 'nothing-to-remove':
      return type && { phone: type, title: sp.say('offer.add', { type }) };
    default:
      return undefined;
  }
}

export function refusalText(refusal: Refusal, sp: Speech): string {
  return sp.say(`refusal.${refusal}` as MessageKey);
}

export function securityInfoView(
  flowId: string,
  info: SecurityInfo,
  sp: Speech,
  selectedPhone: PhoneType = 'mobile',
  offer?: Offer,
  readiness: { readiness: string; offerPasskey: boolean } = { readiness: '', offerPasskey: false },
) {
  return {
    flowId,
    ...readiness,
    passkeyTitle: sp.say('passkey.start'),
    otherMethods: otherMethodsView(info, sp.say, sp.lang, sp.timeZone),
    mySignIns: MY_SIGN_INS_URL,
    offerPhone: offer?.phone ?? '',
    offerTitle: offer?.title ?? '',
    mobile: shown(info.phones.mobile, sp),
    alternate: shown(info.phones.alternateMobile, sp),
    office: shown(info.phones.office, sp),
    /** The phones the user has (what can be removed). */
    registered: PHONE_TYPES.filter((type) => Boolean(info.phones[type])),
    defaultMethod: defaultLabel(info.defaultMethod, sp),
    systemPreferred: info.systemPreferredEnabled,
    selectedPhone,
    currentDefault: info.defaultMethod ?? '',
    defaultChoices: DEFAULT_METHODS.filter((m) => isUsableDefault(info, m)).map((m) => ({
      title: defaultLabel(m, sp),
      value: m,
    })),
  };
}

/** How a new number of this type is proven: a text, a call, or (office, by policy) the directory or nothing. */
export function proofFor(type: PhoneType, options: FlowOptions | undefined): { channels: CodeChannel[] } {
  const voice = options?.voice ?? false;
  if (type === 'mobile') return { channels: voice ? ['sms', 'voice'] : ['sms'] };
  if (type === 'alternateMobile') return { channels: voice ? ['voice'] : ['sms'] };
  return { channels: (options?.officePolicy ?? 'directory') === 'verify-by-call' && voice ? ['voice'] : [] };
}

export function phoneEntryView(
  flowId: string,
  type: PhoneType,
  form: NumberForm,
  sp: Speech,
  options?: FlowOptions,
  error = '',
  retirementNote = '',
) {
  const [first, second] = proofFor(type, options).channels;
  const directoryOnly = type === 'office' && options?.officePolicy !== 'any' && !first;
  return {
    flowId,
    title: sp.say('card.phoneEntry.title', { type }),
    hint: directoryOnly
      ? sp.say('card.phoneEntry.hintDirectory')
      : sp.say('card.phoneEntry.hint', { type: first === 'voice' && type === 'mobile' ? 'alternateMobile' : type }),
    countries: countryChoices(languageOf(sp.locale) === sp.lang ? (sp.locale as string) : sp.lang),
    example: examplePlaceholder(form.country, sp.say),
    ...form,
    allowExtension: type === 'office',
    error,
    /** What the end of Microsoft's text and call codes means for this number ('' with the tenant's own provider). */
    retirementNote,
    submitTitle: sp.say(
      first === 'sms'
        ? 'card.phoneEntry.textMe'
        : first === 'voice'
          ? 'card.phoneEntry.callMe'
          : 'card.phoneEntry.continue',
    ),
    submitChannel: first ?? '',
    callTitle: second === 'voice' ? sp.say('card.phoneEntry.callMe') : '',
  };
}

export function confirmView(
  flowId: string,
  request: ChangeRequest,
  before: SecurityInfo,
  plan: Extract<Plan, { ok: true }>,
  sp: Speech,
  lost: boolean,
) {
  const what =
    request.kind === 'setDefault'
      ? sp.say('card.confirm.defaultMethodWhat')
      : sp.say('phone.title', { type: request.type });
  const beforeText =
    request.kind === 'setDefault' ? defaultLabel(before.defaultMethod, sp) : shown(before.phones[request.type], sp);
  const afterText =
    request.kind === 'setDefault'
      ? defaultLabel(request.method, sp)
      : request.kind === 'removePhone'
        ? sp.say('phone.removed')
        : displayPhone(request.number);
  const notes: string[] = [];
  if (plan.defaultMovedTo)
    notes.push(sp.say('card.confirm.defaultMoved', { method: defaultLabel(plan.defaultMovedTo, sp) }));
  if (plan.systemPreferredOverrides) notes.push(sp.say('card.confirm.systemPreferred'));
  const replacesNumber =
    request.kind !== 'setDefault' && request.type !== 'office' && Boolean(before.phones[request.type]);
  return {
    flowId,
    what,
    before: beforeText,
    after: afterText,
    defaultAfter: defaultLabel(plan.result.defaultMethod, sp),
    note: notes.join(' '),
    noticeText: sp.say(replacesNumber ? 'card.confirm.noticeAndText' : 'card.confirm.notice'),
    // "Also sign me out everywhere": preselected when the phone was lost or stolen.
    revokeTitle: sp.say('card.confirm.revoke'),
    revokeWarning: sp.say('card.confirm.revokeWarning'),
    revokePreselected: lost,
  };
}

export function summaryOf(request: ChangeRequest, before: SecurityInfo, sp: Speech = speechOf()): string {
  if (request.kind === 'setDefault')
    return sp.say('summary.default', {
      before: defaultLabel(before.defaultMethod, sp),
      after: defaultLabel(request.method, sp),
    });
  const type = request.type;
  if (request.kind === 'removePhone')
    return sp.say('summary.removed', { type, number: shown(before.phones[type], sp) });
  const old = before.phones[type];
  return old
    ? sp.say('summary.changed', { type, before: displayPhone(old), after: displayPhone(request.number) })
    : sp.say('summary.added', { type, number: displayPhone(request.number) });
}

export interface ResultModel {
  ok: boolean;
  title: string;
  message: string;
  detail: string;
  /** When set, the card offers "Ask the helpdesk" for this reason (escalation reasons, e.g. "wrong-codes"). */
  escalate?: string;
  flowId?: string;
}

export interface CodeEntryModel {
  flowId: string;
  sentText: string;
  resendTitle: string;
  error: string;
}

/** Every action a passkey card can submit (the card template names them through its model). */
export const PASSKEY_ACTIONS = [
  'passkey.start',
  'passkey.device',
  'passkey.added',
  'passkey.help',
  'sec.removePhone',
  'helpdesk.escalate',
] as const;
export type PasskeyAction = (typeof PASSKEY_ACTIONS)[number];

/** A button of a passkey card: its title, the action it submits and the one value it carries. */
export interface PasskeyButton {
  title: string;
  action: PasskeyAction;
  choice: string;
}

/** Every card of the passkey set-up has this one shape (device choice, steps, watching, confirmed, help). */
export interface PasskeyModel {
  flowId: string;
  title: string;
  lines: string[];
  /** Numbered steps ('' none). */
  steps: string[];
  /** Microsoft's page (My Sign-ins), when this card links to it. */
  link: string;
  linkTitle: string;
  buttons: PasskeyButton[];
  /** A choice to make first (the device, what is in the way): one list, submitted by `choiceSubmit`. */
  choices: { title: string; value: string }[];
  choiceLabel: string;
  choiceSubmit: string;
  choiceAction: PasskeyAction;
  tone: 'default' | 'good' | 'attention';
}

export type View =
  | { name: 'security-info'; model: ReturnType<typeof securityInfoView> & { error: string } }
  | { name: 'passkey'; model: PasskeyModel }
  | { name: 'phone-entry'; model: ReturnType<typeof phoneEntryView> }
  | { name: 'code-entry'; model: CodeEntryModel }
  | { name: 'confirm-change'; model: ReturnType<typeof confirmView> }
  | { name: 'applying'; model: { what: string } }
  | { name: 'change-result'; model: ResultModel }
  | { name: 'step-up-failed'; model: { title: string; message: string } }
  | { name: 'notice'; text: string };

export type ViewName = View['name'];
