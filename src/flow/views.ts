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
  type ListedKind,
  type PhoneType,
  type SecurityInfo,
} from '../graph/auth-methods.js';
import type { ChangeRequest, Plan, Refusal } from '../graph/planner.js';
import { describePhone } from '../graph/planner.js';
import { displayPhone } from '../mask.js';
import { dateTime } from '../time.js';
import type { NumberForm } from './flow.js';

export const DEFAULT_LABELS: Record<DefaultMethod, string> = {
  sms: 'Text message to your mobile phone',
  voiceMobile: 'Call to your mobile phone',
  voiceAlternateMobile: 'Call to your alternate phone',
  voiceOffice: 'Call to your office phone',
  push: 'Microsoft Authenticator notification',
  oath: 'Authenticator app code',
};

/** One name per method, as on Microsoft's My Sign-ins page. */
export const METHOD_NAMES: Record<ListedKind, string> = {
  microsoftAuthenticator: 'Microsoft Authenticator',
  fido2: 'Passkey (FIDO2)',
  windowsHelloForBusiness: 'Windows Hello for Business',
  email: 'E-mail',
  softwareOath: 'Software OATH token',
  temporaryAccessPass: 'Temporary Access Pass',
  hardwareOath: 'Hardware OATH token',
  platformCredential: 'Platform credential (macOS)',
  qrCodePin: 'QR code sign-in',
  external: 'External authentication method',
};

/** Where people add or remove what the bot does not change. */
export const MY_SIGN_INS_URL = 'https://mysignins.microsoft.com/security-info';

/** The non-phone methods, read-only: name and what tells two of a kind apart (device, masked address, end time). */
export function otherMethodsView(info: SecurityInfo, timeZone?: string): { title: string; value: string }[] {
  const listed = info.listed ?? info.others.map((kind) => ({ kind }));
  return listed.map((m) => ({
    title: METHOD_NAMES[m.kind],
    value:
      'until' in m && m.until !== undefined
        ? `usable until ${dateTime(m.until, timeZone)}`
        : ('name' in m && m.name) || 'registered',
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
export function examplePlaceholder(country: string): string {
  const example = isSupportedCountry(country) ? getExampleNumber(country as CountryCode, examples) : undefined;
  return example ? `e.g. ${example.formatNational()} or ${example.formatInternational()}` : 'e.g. +1 201 555 0123';
}

const shown = (n: string | undefined) => (n ? displayPhone(n) : 'not set');

export function defaultLabel(method: DefaultMethod | undefined): string {
  return method ? DEFAULT_LABELS[method] : 'not set';
}

/** A way out of a refusal: the step that does what the user most likely wanted instead (never a dead end). */
export interface Offer {
  phone: PhoneType;
  title: string;
}

export function offerFor(refusal: Refusal, request: ChangeRequest | undefined): Offer | undefined {
  const type = request && request.kind !== 'setDefault' ? request.type : undefined;
  switch (refusal) {
    case 'alternate-needs-mobile':
      return { phone: 'mobile', title: 'Add a mobile phone' };
    case 'mobile-needed-by-alternate':
      return { phone: 'mobile', title: 'Replace the mobile number instead' };
    case 'would-leave-no-method':
    case 'would-leave-no-default':
      return type && { phone: type, title: `Replace the ${describePhone(type).replace(' phone', '')} number instead` };
    case 'nothing-to-remove':
      return type && { phone: type, title: `Add ${aPhone(type)}` };
    default:
      return undefined;
  }
}

/** "a mobile phone", "an alternate phone", "an office phone". */
export function aPhone(type: PhoneType): string {
  const name = describePhone(type);
  return `${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name}`;
}

export function securityInfoView(
  flowId: string,
  info: SecurityInfo,
  selectedPhone: PhoneType = 'mobile',
  offer?: Offer,
  timeZone?: string,
) {
  return {
    flowId,
    otherMethods: otherMethodsView(info, timeZone),
    mySignIns: MY_SIGN_INS_URL,
    offerPhone: offer?.phone ?? '',
    offerTitle: offer?.title ?? '',
    mobile: shown(info.phones.mobile),
    alternate: shown(info.phones.alternateMobile),
    office: shown(info.phones.office),
    defaultMethod: defaultLabel(info.defaultMethod),
    systemPreferred: info.systemPreferredEnabled,
    selectedPhone,
    currentDefault: info.defaultMethod ?? '',
    defaultChoices: DEFAULT_METHODS.filter((m) => isUsableDefault(info, m)).map((m) => ({
      title: DEFAULT_LABELS[m],
      value: m,
    })),
  };
}

export function phoneEntryView(flowId: string, type: PhoneType, form: NumberForm, error = '', locale = 'en') {
  const hints: Record<PhoneType, string> = {
    mobile: 'It must be able to receive texts: we send it a code to prove it is yours.',
    alternateMobile: 'A second mobile phone for calls. We text it a code to prove it is yours.',
    office: 'A landline cannot receive texts: it must be a business phone your organisation lists for you.',
  };
  return {
    flowId,
    phoneName: describePhone(type),
    hint: hints[type],
    countries: countryChoices(locale),
    example: examplePlaceholder(form.country),
    ...form,
    allowExtension: type === 'office',
    error,
    submitTitle: type === 'office' ? 'Continue' : 'Send me a code',
  };
}

export function confirmView(
  flowId: string,
  request: ChangeRequest,
  before: SecurityInfo,
  plan: Extract<Plan, { ok: true }>,
) {
  const what = request.kind === 'setDefault' ? 'Default sign-in method' : capitalised(describePhone(request.type));
  const beforeText =
    request.kind === 'setDefault' ? defaultLabel(before.defaultMethod) : shown(before.phones[request.type]);
  const afterText =
    request.kind === 'setDefault'
      ? defaultLabel(request.method)
      : request.kind === 'removePhone'
        ? 'removed'
        : displayPhone(request.number);
  const notes: string[] = [];
  if (plan.defaultMovedTo)
    notes.push(`This phone is your default method, so your default becomes: ${DEFAULT_LABELS[plan.defaultMovedTo]}.`);
  if (plan.systemPreferredOverrides)
    notes.push(
      'Your organisation uses system-preferred MFA, so Microsoft may still ask for your strongest method first.',
    );
  const replacesNumber =
    request.kind !== 'setDefault' && request.type !== 'office' && Boolean(before.phones[request.type]);
  return {
    flowId,
    what,
    before: beforeText,
    after: afterText,
    defaultAfter: defaultLabel(plan.result.defaultMethod),
    note: notes.join(' '),
    oldNumberNotice: replacesNumber ? ' and text the old number' : '',
  };
}

export function summaryOf(request: ChangeRequest, before: SecurityInfo): string {
  if (request.kind === 'setDefault')
    return `Your default sign-in method changed from "${defaultLabel(before.defaultMethod)}" to "${defaultLabel(request.method)}".`;
  const name = describePhone(request.type);
  if (request.kind === 'removePhone')
    return `Your ${name} ${shown(before.phones[request.type])} was removed from your sign-in methods.`;
  const old = before.phones[request.type];
  return old
    ? `Your ${name} changed from ${displayPhone(old)} to ${displayPhone(request.number)}.`
    : `${capitalised(aPhone(request.type))} ${displayPhone(request.number)} was added to your sign-in methods.`;
}

const capitalised = (text: string) => `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`;

export interface ResultModel {
  ok: boolean;
  title: string;
  message: string;
  detail: string;
}

export type View =
  | { name: 'security-info'; model: ReturnType<typeof securityInfoView> & { error: string } }
  | { name: 'phone-entry'; model: ReturnType<typeof phoneEntryView> }
  | { name: 'code-entry'; model: { flowId: string; maskedNumber: string; error: string } }
  | { name: 'confirm-change'; model: ReturnType<typeof confirmView> }
  | { name: 'applying'; model: { what: string } }
  | { name: 'change-result'; model: ResultModel }
  | { name: 'step-up-failed'; model: { title: string; message: string } }
  | { name: 'notice'; text: string };

export type ViewName = View['name'];

export const TEXTS = {
  stale: 'That card belongs to an earlier or finished request, so I ignored it. Nothing was changed.',
  finished: 'That change has already finished, so I ignored this. Say "change my MFA phone" to start a new one.',
  applying: 'Your change is being applied and can no longer be cancelled or changed. I will show the result here.',
  expired:
    'This change expired after 15 minutes without activity. Nothing was changed. Say "change my MFA phone" to start again.',
  cancelled: 'Cancelled. Nothing was changed.',
  verifyAgainTitle: 'Please verify again',
  verifyAgain: 'Your verification has expired (it lasts 10 minutes). Nothing was changed.',
  chooseDefault: 'Choose a default method first.',
  resendLimit: 'I have already sent 4 codes for this number. Check the number, or start over.',
  hourlyCap: "You've asked for too many codes in the last hour. Please try again later.",
  numberCap:
    'That number has been sent too many codes in the last hour. Please try again later, or use another number.',
  sharedNumber:
    "That number is registered to another person's account, so it can't be used for yours. Enter a number only you use.",
  sharedNumberWarning: "Note: this number is also registered to another person's account in your organisation.",
  smsFailed: "I couldn't send a text to that number. Check the number and try again.",
  codeFormat: 'A code has exactly 6 digits. This did not count as a try.',
  officeNotListed:
    'For an office phone I can only use a business phone your organisation lists for you. Ask the helpdesk to update your directory entry first.',
  systemPreferred:
    ' Your organisation uses system-preferred MFA, so Microsoft may still ask for your strongest method first.',
} as const;

export function wrongCode(triesLeft: number): string {
  return `That code doesn't match. ${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left.`;
}
