// The retirement of Microsoft-provided SMS and voice in Entra ID, kept as data in ONE place, and where a person stands
// against it (pure). Source: Microsoft Entra documentation, "Passkeys by default and retirement of Microsoft-provided
// SMS and voice authentication" (concept-sms-voice-retirement, 2026-06-10) and its FAQ (2026-09-23): from 1 February
// 2027 (1 July 2027 for Global Administrators and external users) Entra no longer texts or calls codes itself; a
// person whose only methods are SMS/voice meets a blocking passkey registration at sign-in. Tenants that keep phones
// contract their own provider (customer-managed telephony, configurable since 30 October 2026): PHONE_DELIVERY.
import type { ListedKind, ListedMethod, SecurityInfo } from '../graph/auth-methods.js';

export const RETIREMENT = {
  /** Microsoft stops delivering SMS and voice codes to users (public cloud). */
  users: Date.UTC(2027, 1, 1),
  /** …and to Global Administrators and external users. */
  adminsAndExternal: Date.UTC(2027, 6, 1),
  /** Since then users enabled for SMS/voice are enabled for passkeys and nudged to register one. */
  passkeyNudgesSince: Date.UTC(2026, 8, 1),
  source:
    'Microsoft Entra ID documentation: "Passkeys by default and retirement of Microsoft-provided SMS and voice authentication" (concept-sms-voice-retirement, 2026-06-10) and its FAQ',
} as const;

/** PHONE_DELIVERY: who delivers SMS and voice codes for this tenant after the retirement. */
export type PhoneDelivery = 'microsoft' | 'provider';

/** What the tenant decided about phones (configuration), fixed for the life of a flow. */
export interface TelecomPolicy {
  delivery: PhoneDelivery;
  /** PHONE_METHODS_AFTER_RETIREMENT: once phones no longer sign anyone in, still offer adding one (warn) or not. */
  afterRetirement: 'warn' | 'refuse';
  /** OFFER_PHONE_REMOVAL: after a passkey is added, offer to remove a phone that no longer signs in. */
  offerPhoneRemoval: boolean;
}

export const DEFAULT_TELECOM: TelecomPolicy = {
  delivery: 'microsoft',
  afterRetirement: 'warn',
  offerPhoneRemoval: true,
};

/**
 * Phishing-resistant methods: passkeys (FIDO2 security keys and passkeys in Microsoft Authenticator — Graph lists both
 * as fido2), Windows Hello for Business and platform credentials (macOS).
 */
export const PHISHING_RESISTANT: readonly ListedKind[] = ['fido2', 'windowsHelloForBusiness', 'platformCredential'];

export type ReadinessState =
  /** A phishing-resistant method is registered: nothing to do. */
  | 'ready'
  /** Signs in with phones only, and Microsoft stops delivering to them (before or after the date). */
  | 'phone-only'
  /** Has another factor (e.g. Authenticator) besides phones; a passkey is still the way forward. */
  | 'no-passkey'
  /** PHONE_DELIVERY=provider: phones keep working through the tenant's provider; a passkey is still better. */
  | 'provider';

export interface Readiness {
  state: ReadinessState;
  /** The date phone codes stop (Microsoft delivery only), and whether it has passed at `now`. */
  phonesStopAt?: number;
  phonesStopped: boolean;
  hasPhones: boolean;
}

/** The phishing-resistant methods of `info` (what the card lists), with their ids where Graph gave them. */
export function phishingResistantMethods(info: SecurityInfo): ListedMethod[] {
  const listed: ListedMethod[] = info.listed ?? info.others.map((kind) => ({ kind }));
  return listed.filter((m) => (PHISHING_RESISTANT as readonly string[]).includes(m.kind));
}

export function readinessOf(info: SecurityInfo, policy: TelecomPolicy, now: number): Readiness {
  const hasPhones = Object.values(info.phones).some(Boolean);
  const microsoft = policy.delivery === 'microsoft';
  const stops = microsoft ? { phonesStopAt: RETIREMENT.users, phonesStopped: now >= RETIREMENT.users } : undefined;
  const base = {
    hasPhones,
    phonesStopped: stops?.phonesStopped ?? false,
    ...(stops ? { phonesStopAt: stops.phonesStopAt } : {}),
  };
  if (phishingResistantMethods(info).length > 0) return { state: 'ready', ...base };
  if (!microsoft) return { state: 'provider', ...base };
  const otherFactor = info.others.some((o) => !(PHISHING_RESISTANT as readonly string[]).includes(o));
  return { state: hasPhones && !otherFactor ? 'phone-only' : 'no-passkey', ...base };
}

/** Whether adding or changing a phone is still offered (PHONE_METHODS_AFTER_RETIREMENT=refuse after the date). */
export function phoneChangesOffered(policy: TelecomPolicy, now: number): boolean {
  return !(policy.delivery === 'microsoft' && policy.afterRetirement === 'refuse' && now >= RETIREMENT.users);
}
