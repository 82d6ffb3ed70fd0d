// Where a tenant stands before Microsoft stops texting and calling codes (pure): each person's registered methods as
// Graph's userRegistrationDetails report lists them (`methodsRegistered`), sorted into one of four groups, and the
// counts a helpdesk watches. The summary holds numbers only.
// Method names: Graph's userRegistrationDetails resource (methodsRegistered), v1.0.
import { RETIREMENT } from './sms-voice-retirement.js';

/** Phishing-resistant: passkeys (device-bound, in Authenticator, synced), Windows Hello, security keys, macOS keys. */
const PHISHING_RESISTANT = new Set([
  'fido2SecurityKey',
  'passKeyDeviceBound',
  'passKeyDeviceBoundAuthenticator',
  'passKeyDeviceBoundWindowsHello',
  'passKeySynced',
  'windowsHelloForBusiness',
  'macOsSecureEnclaveKey',
]);
/** The methods the retirement is about: codes by text or call. */
const PHONE = new Set(['mobilePhone', 'alternateMobilePhone', 'officePhone']);
/** Registered, but not a second factor for sign-in. */
const NOT_MFA = new Set(['email', 'securityQuestion', 'temporaryAccessPass']);

export type Readiness = 'phishing-resistant' | 'phone-only' | 'other-mfa' | 'no-mfa';

export interface RegistrationDetail {
  id: string;
  userDisplayName?: string;
  userPrincipalName?: string;
  isAdmin?: boolean;
  methodsRegistered?: string[];
}

export function readinessOf(detail: RegistrationDetail): Readiness {
  const methods = (detail.methodsRegistered ?? []).filter((m) => !NOT_MFA.has(m));
  if (methods.some((m) => PHISHING_RESISTANT.has(m))) return 'phishing-resistant';
  if (methods.length === 0) return 'no-mfa';
  return methods.every((m) => PHONE.has(m)) ? 'phone-only' : 'other-mfa';
}

export interface ReadinessSummary {
  total: number;
  counts: Record<Readiness, number>;
  /** Admins (isAdmin), whose date is later: how many, and how many of them sign in only by phone or not at all. */
  admins: { total: number; phoneOnly: number; noMfa: number };
}

/** A running count: people are added one at a time (a report of 10,000 is never held in memory). */
export class ReadinessTally {
  private readonly counts: Record<Readiness, number> = {
    'phishing-resistant': 0,
    'phone-only': 0,
    'other-mfa': 0,
    'no-mfa': 0,
  };
  private readonly admins = { total: 0, phoneOnly: 0, noMfa: 0 };
  private total = 0;

  /** Counts one person; resolves how they sign in. */
  add(detail: RegistrationDetail): Readiness {
    const r = readinessOf(detail);
    this.counts[r]++;
    this.total++;
    if (detail.isAdmin) {
      this.admins.total++;
      if (r === 'phone-only') this.admins.phoneOnly++;
      if (r === 'no-mfa') this.admins.noMfa++;
    }
    return r;
  }

  summary(): ReadinessSummary {
    return { total: this.total, counts: { ...this.counts }, admins: { ...this.admins } };
  }
}

/** Whole days from `now` until each retirement date (0 once it passed). */
export function daysLeft(now: number): { users: number; admins: number } {
  const days = (until: number) => Math.max(0, Math.ceil((until - now) / 86_400_000));
  return { users: days(RETIREMENT.users), admins: days(RETIREMENT.adminsAndExternal) };
}
