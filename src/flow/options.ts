// What a deployment lets a flow do and the shapes of what a user types, shared by the flow and its views (so that
// neither imports the other for them).
import type { TelecomPolicy } from '../readiness/sms-voice-retirement.js';

export interface NumberForm {
  country: string;
  number: string;
  extension: string;
}

/** How a code reaches a new number: a text message, or a call that reads it out (alternate and office phones). */
export type CodeChannel = 'sms' | 'voice';

/** OFFICE_PHONE_POLICY: prove any office number by a call, accept only the directory's business phone, or any. */
export type OfficePhonePolicy = 'verify-by-call' | 'directory' | 'any';

/** What this deployment can do, fixed for the life of a flow. */
export interface FlowOptions {
  /** Calls can be placed (ACS Call Automation configured). */
  voice: boolean;
  officePolicy: OfficePhonePolicy;
  /** The SMS/voice retirement: the tenant's telecom policy, its Entra opt-ins, the calendar, My Sign-ins. */
  readiness?: {
    telecom: TelecomPolicy;
    optedInCountries: string[];
    /** Added to `now` for the retirement calendar only (the sandbox's SANDBOX_NOW). */
    calendarOffsetMs: number;
    mySignInsUrl: string;
    /** How often a passkey watch re-reads the methods (PASSKEY_CHECK_SECONDS). */
    watchCheckMs?: number;
  };
  /** How long a notice that failed is tried again (DELIVERY_RETRY_HOURS). */
  deliveryRetryMs?: number;
}
