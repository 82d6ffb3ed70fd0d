// Phone-number rules (pure): parse what the user typed, check it suits the method, normalise to Graph's format
// "+{country code} {national number}[x{extension}]" (a space after the country code; extensions for office only).
import { type CountryCode, isSupportedCountry, ParseError, parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { type MessageKey, t } from '../i18n/i18n.js';

export type PhoneType = 'mobile' | 'alternateMobile' | 'office';

export type PhoneProblem =
  | 'empty'
  | 'unknown-country'
  | 'not-a-number'
  | 'short-code'
  | 'too-short'
  | 'too-long'
  | 'invalid'
  | 'not-mobile'
  | 'costly'
  | 'extension-not-allowed'
  | 'extension-invalid'
  | 'country-not-allowed';

/**
 * A new number that passed every rule, parsed once where it is submitted and carried as it is to the code and the
 * Graph write: `graph` is what Graph stores ("+1 4255550123x45"), `e164` what a text or call goes to and what the
 * shared-number index hashes, `extension` the digits a call dials after it connects (office phones).
 */
export interface PhoneNumber {
  graph: string;
  e164: string;
  country?: string;
  extension?: string;
}

export type PhoneParse =
  | ({ ok: true } & PhoneNumber)
  /** `message`: the English wording (the flow says it in the user's language through `problemKey`). */
  | { ok: false; problem: PhoneProblem; message: string };

export interface PhoneInput {
  /** ISO 3166 country chosen on the card; ignored when the number starts with +. */
  country?: string;
  number: string;
  extension?: string;
  type: PhoneType;
  /** When set, only these countries are accepted (policy). */
  allowedCountries?: string[];
  /** An alternate phone proven by a call may be a landline (Graph calls alternate phones; it never texts them). */
  landlineAllowed?: boolean;
}

/** The catalogue message for a problem (the alternate phone's landline case has its own wording). */
export function problemKey(problem: PhoneProblem, type?: PhoneType): MessageKey {
  return problem === 'not-mobile' && type === 'alternateMobile'
    ? 'phoneProblem.not-mobile-alternate'
    : (`phoneProblem.${problem}` as MessageKey);
}

const fail = (problem: PhoneProblem, type?: PhoneType): PhoneParse => ({
  ok: false,
  problem,
  message: t('en', problemKey(problem, type)),
});

/** Number kinds (libphonenumber's classification) no code is ever sent to, by text or by call. */
const COSTLY_OR_UNREACHABLE = new Set(['PREMIUM_RATE', 'SHARED_COST', 'PERSONAL_NUMBER', 'UAN', 'PAGER', 'VOICEMAIL']);

/** Digits, the usual separators, a leading + and an "x"/"ext" extension: anything else is not a number someone typed. */
const PHONE_CHARACTERS = /^\+?[\d\s().\-/]+(?:\s*(?:x|ext\.?)\s*\d+)?$/i;

export function parsePhone(input: PhoneInput): PhoneParse {
  const raw = input.number.trim();
  const extension = input.extension?.trim() ?? '';
  if (!raw) return fail('empty');
  if (!PHONE_CHARACTERS.test(raw)) return fail('not-a-number');
  if (raw.replace(/\D/g, '').length <= 5) return fail('short-code'); // 911, 112, 999, 15555: not a subscriber number
  if (extension && input.type !== 'office') return fail('extension-not-allowed');
  if (extension && !/^\d{1,10}$/.test(extension)) return fail('extension-invalid');
  const country = input.country?.trim().toUpperCase();
  if (!raw.startsWith('+') && !(country && isSupportedCountry(country))) return fail('unknown-country');

  let parsed: ReturnType<typeof parsePhoneNumberWithError>;
  try {
    parsed = parsePhoneNumberWithError(raw, raw.startsWith('+') ? undefined : (country as CountryCode));
  } catch (err) {
    if (err instanceof ParseError) {
      if (err.message === 'TOO_SHORT') return fail('too-short');
      if (err.message === 'TOO_LONG') return fail('too-long');
      if (err.message === 'INVALID_COUNTRY') return fail('unknown-country');
    }
    return fail('not-a-number');
  }
  if (!parsed.isValid()) {
    const length = parsed.nationalNumber.length;
    return fail(length < 6 ? 'too-short' : length > 14 ? 'too-long' : 'invalid');
  }
  if (parsed.ext && input.type !== 'office') return fail('extension-not-allowed');
  if (input.allowedCountries && !(parsed.country && input.allowedCountries.includes(parsed.country))) {
    return fail('country-not-allowed');
  }
  // Never a number that costs the organisation to text or call (premium rate, shared cost, personal/universal
  // access numbers), nor one that cannot take a code at all (pagers, voicemail) — whatever the phone type or channel.
  if (COSTLY_OR_UNREACHABLE.has(parsed.getType() ?? '')) return fail('costly');
  if (input.type !== 'office' && !(input.landlineAllowed && input.type === 'alternateMobile')) {
    // MOBILE, or a number plan where mobile and fixed lines share ranges (e.g. +1). Anything else cannot take SMS.
    const kind = parsed.getType();
    if (kind !== 'MOBILE' && kind !== 'FIXED_LINE_OR_MOBILE') return fail('not-mobile', input.type);
  }
  const ext = extension || parsed.ext || '';
  const cc = parsed.countryCallingCode;
  return {
    ok: true,
    graph: `+${cc} ${parsed.nationalNumber}${ext ? `x${ext}` : ''}`,
    e164: parsed.number,
    country: parsed.country,
    ...(ext ? { extension: ext } : {}),
  };
}

/** "+1 4255550123x45" → its parts; undefined if not in Graph's format. */
export function splitGraphNumber(
  value: string,
): { countryCode: string; national: string; extension?: string } | undefined {
  const m = /^\+(\d{1,3}) (\d{4,15})(?:x(\d{1,10}))?$/.exec(value);
  return m ? { countryCode: m[1] as string, national: m[2] as string, extension: m[3] } : undefined;
}

/** A Graph-format number ("+1 4255550100x12") in E.164, without the extension. */
export function e164Of(graphNumber: string): string {
  try {
    return parsePhoneNumberWithError(graphNumber.replace(/x\d+$/, '')).number;
  } catch {
    return graphNumber.replace(/x\d+$/, '').replace(/[^\d+]/g, '');
  }
}

/** The ISO 3166 region of a Graph-format or E.164 number, when it has one. */
export function countryOf(graphNumber: string): string | undefined {
  try {
    return parsePhoneNumberWithError(graphNumber.replace(/x\d+$/, '')).country;
  } catch {
    return undefined;
  }
}
