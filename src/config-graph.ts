// The Graph wing of the configuration: where Microsoft Graph is and how long one call may take, and the rules for the
// numbers Proofup writes there — where codes may be texted, a number another person already uses, how a new office
// phone is accepted, and the key of the hashes that stand for numbers in storage.
import { isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';
import { httpsUrl } from './config-fields.js';
import type { BaseConfig, NumbersConfig } from './config-model.js';

/** Both profiles (the sandbox's Graph is its simulator). */
export const GRAPH_VARS = {
  GRAPH_TIMEOUT_MS: z.coerce.number().int().min(1000).max(120_000).default(60_000),
  // Where codes may be texted: "tenant" (the organisation's country plus the countries of the user's own numbers),
  // "*" (anywhere), or a list of ISO 3166 codes such as "US,CA,GB".
  SMS_ALLOWED_COUNTRIES: z
    .string()
    .trim()
    .transform((v) => (v === '*' || v.toLowerCase() === 'tenant' ? v.toLowerCase() : v.toUpperCase()))
    .refine(
      (v) => v === '*' || v === 'tenant' || v.split(/\s*,\s*/).every((c) => isSupportedCountry(c)),
      'must be "tenant", "*" or ISO 3166 country codes separated by commas (e.g. "US,CA,GB")',
    )
    .default('tenant'),
  SHARED_NUMBER_POLICY: z.enum(['refuse', 'warn', 'allow']).default('refuse'),
  // How a new office phone is accepted: proven by a call (default), only the directory's business phone, or any.
  OFFICE_PHONE_POLICY: z.enum(['verify-by-call', 'directory', 'any']).default('verify-by-call'),
};

/** Production only. */
export const PRODUCTION_GRAPH_VARS = {
  GRAPH_BASE_URL: httpsUrl.default('https://graph.microsoft.com'),
  // Key of the keyed hashes (HMAC-SHA256) that stand for phone numbers in storage: the shared-number index and the
  // per-number SMS limit. The same on every instance; changing it forgets the index (it is learned again).
  PHONE_HASH_KEY: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -base64 48)'),
};

type GraphEnv = z.infer<z.ZodObject<typeof GRAPH_VARS>>;

/** Graph at `baseUrl` (production: GRAPH_BASE_URL; sandbox: its simulator) and the number rules, hashed with `hashKey`. */
export function graphFrom(
  e: GraphEnv,
  baseUrl: string,
  hashKey: string,
): Pick<BaseConfig, 'graph' | 'numbers' | 'officePhonePolicy'> {
  const c = e.SMS_ALLOWED_COUNTRIES;
  const numbers: NumbersConfig = {
    smsCountries: c === '*' || c === 'tenant' ? c : c.split(/\s*,\s*/),
    sharedPolicy: e.SHARED_NUMBER_POLICY,
    hashKey,
  };
  return {
    graph: { baseUrl: baseUrl.replace(/\/+$/, ''), timeoutMs: e.GRAPH_TIMEOUT_MS },
    numbers,
    officePhonePolicy: e.OFFICE_PHONE_POLICY,
  };
}
