// Phone-number rules (pure): parse what the user typed, check it suits the method, normalise to Graph's format
// "+{country code} {national number}[x{extension}]" (a space after the country code; extensions for office only).
import { type CountryCode, isSupportedCountry, ParseError, parsePhoneNumberWithError } from 'libphonenumber-js/max';

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
  | 'extension-not-allowed'
  | 'extension-invalid'
  | 'country-not-allowed';

export type PhoneParse =
  | { ok: true; graph: string; e164: string; country?: string }
  | { ok: false; problem: PhoneProblem; message: string };

export interface PhoneInput {
  /** ISO 3166 country chosen on the card; ignored when the number starts with +. */
  country?: string;
  number: string;
  extension?: string;
  type: PhoneType;
  /** When set, only these countries are accepted (policy). */
  allowedCountries?: string[];
}

const MESSAGES: Record<PhoneProblem, string> = {
  empty: 'Enter a phone number.',
  'unknown-country': 'Choose the country of the number, or start it with + and the country code.',
  'not-a-number': "That isn't a phone number: use digits, spaces and a leading + only.",
  'short-code':
    'That is a short or emergency number, not a phone that can receive sign-in codes. Enter the full number with its area code.',
  'too-short': 'That number is too short for the chosen country.',
  'too-long': 'That number is too long for the chosen country.',
  invalid: "That isn't a valid phone number for the chosen country.",
  'not-mobile': 'Your mobile phone must be a mobile number that can receive texts; that one is a landline.',
  'extension-not-allowed': 'Only an office phone can have an extension.',
  'extension-invalid': 'An extension is 1 to 10 digits.',
  'country-not-allowed':
    "Your organisation doesn't allow sign-in codes to be texted to numbers in that country. Use a number from your country, or ask the helpdesk.",
};

const NOT_MOBILE_ALTERNATE =
  'Your alternate phone must be a mobile number too; that one is a landline. A landline can be your office phone.';

const fail = (problem: PhoneProblem, type?: PhoneType): PhoneParse => ({
  ok: false,
  problem,
  message: problem === 'not-mobile' && type === 'alternateMobile' ? NOT_MOBILE_ALTERNATE : MESSAGES[problem],
});

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
  if (input.type !== 'office') {
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
