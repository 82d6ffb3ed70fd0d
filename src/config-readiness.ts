// Configuration of the passkey move and the SMS/voice retirement (src/readiness): who delivers phone codes for this
// tenant, what the bot says and offers about phones after 1 February 2027, the countries Entra was opted in for, and
// — sandbox only — the calendar date the bot stands on (to see the wording before and after the retirement).
import { isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';
import type { TelecomPolicy } from './readiness/sms-voice-retirement.js';

export const READINESS_VARS = {
  // microsoft: Entra delivers SMS/voice itself (until 1 February 2027); provider: a customer-managed telecom provider.
  PHONE_DELIVERY: z.enum(['microsoft', 'provider']).default('microsoft'),
  // After the retirement date (PHONE_DELIVERY=microsoft): still offer adding a phone with a warning, or not at all.
  PHONE_METHODS_AFTER_RETIREMENT: z.enum(['warn', 'refuse']).default('warn'),
  // After a passkey is added: offer to remove a phone that no longer signs in (never forced).
  OFFER_PHONE_REMOVAL: z.enum(['yes', 'no']).default('yes'),
  // ISO 3166 countries this tenant had Microsoft enable for SMS/voice MFA (regional opt-in by support request).
  ENTRA_OPTED_IN_COUNTRIES: z
    .string()
    .trim()
    .toUpperCase()
    .refine(
      (v) => v === '' || v.split(/\s*,\s*/).every((c) => isSupportedCountry(c)),
      'must be ISO 3166 country codes separated by commas (e.g. "GB,DE")',
    )
    .default(''),
  // How often a passkey watch re-reads the person's methods (one Graph read each), in seconds (default 60).
  PASSKEY_CHECK_SECONDS: z.coerce.number().int().min(5).max(300).default(60),
};

/** Sandbox only: the date the bot's calendar stands on (e.g. 2027-02-02), moving on from there in real time. */
export const SANDBOX_CALENDAR_VARS = {
  SANDBOX_NOW: z
    .string()
    .trim()
    .refine((v) => Number.isFinite(Date.parse(v)), 'must be a date such as 2027-02-02 or 2027-02-02T09:00:00Z')
    .optional(),
};

export interface ReadinessConfig {
  telecom: TelecomPolicy;
  optedInCountries: string[];
  /** Added to the real clock for the retirement calendar only (sandbox SANDBOX_NOW; 0 in production). */
  calendarOffsetMs: number;
  /** Where people add a passkey (Microsoft's My Sign-ins; the sandbox: its simulated page). */
  mySignInsUrl: string;
  /** How often a passkey watch re-reads the methods (ms). */
  watchCheckMs: number;
}

/** Microsoft's short link to Security info in My Sign-ins ("Add sign-in method"). */
export const MY_SECURITY_INFO_URL = 'https://aka.ms/mysecurityinfo';

export function readinessFrom(
  e: z.infer<z.ZodObject<typeof READINESS_VARS>> & { SANDBOX_NOW?: string },
  sandbox?: { mySignInsUrl: string; now: number },
): ReadinessConfig {
  return {
    telecom: {
      delivery: e.PHONE_DELIVERY,
      afterRetirement: e.PHONE_METHODS_AFTER_RETIREMENT,
      offerPhoneRemoval: e.OFFER_PHONE_REMOVAL === 'yes',
    },
    optedInCountries: e.ENTRA_OPTED_IN_COUNTRIES ? e.ENTRA_OPTED_IN_COUNTRIES.split(/\s*,\s*/) : [],
    calendarOffsetMs: sandbox && e.SANDBOX_NOW ? Date.parse(e.SANDBOX_NOW) - sandbox.now : 0,
    mySignInsUrl: sandbox?.mySignInsUrl ?? MY_SECURITY_INFO_URL,
    watchCheckMs: e.PASSKEY_CHECK_SECONDS * 1000,
  };
}
