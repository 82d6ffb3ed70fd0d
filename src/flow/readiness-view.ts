// Where a person stands against the end of Microsoft's text and call codes, in one line of the security-info card,
// from the security info the card already read (no extra Graph request). Pure; the calendar is `now` plus the
// deployment's calendar offset (the sandbox's SANDBOX_NOW), so the wording can be seen before and after the date.
import type { SecurityInfo } from '../graph/auth-methods.js';
import {
  DEFAULT_TELECOM,
  phishingResistantMethods,
  phoneChangesOffered,
  RETIREMENT,
  readinessOf,
} from '../readiness/sms-voice-retirement.js';
import { longDate } from '../time.js';
import type { Flow } from './flow.js';
import type { Speech } from './views.js';

/** The retirement calendar's "now" for this flow. */
export function calendarNow(flow: Pick<Flow, 'options'>, now: number): number {
  return now + (flow.options?.readiness?.calendarOffsetMs ?? 0);
}

export function telecomOf(flow: Pick<Flow, 'options'>) {
  return flow.options?.readiness?.telecom ?? DEFAULT_TELECOM;
}

/** The readiness line and whether the card offers "Set up a passkey". */
export function readinessView(flow: Flow, info: SecurityInfo, now: number, sp: Speech) {
  const r = readinessOf(info, telecomOf(flow), calendarNow(flow, now));
  const date = longDate(RETIREMENT.users, sp.lang);
  const say = sp.say;
  switch (r.state) {
    case 'ready': {
      const name = phishingResistantMethods(info)[0];
      const method = name?.name ?? say('method.name', { kind: name?.kind ?? 'fido2' });
      return { readiness: say('readiness.ready', { method, date }), offerPasskey: false };
    }
    case 'provider':
      return { readiness: say('readiness.provider'), offerPasskey: true };
    case 'phone-only':
      return {
        readiness: say(r.phonesStopped ? 'readiness.phoneOnlyAfter' : 'readiness.phoneOnlyBefore', { date }),
        offerPasskey: true,
      };
    default:
      return {
        readiness: say(r.hasPhones && !r.phonesStopped ? 'readiness.noPasskeyPhones' : 'readiness.noPasskey', { date }),
        offerPasskey: true,
      };
  }
}

/**
 * What the number card says about phones and the retirement ('' when nothing needs saying); `refused` when
 * PHONE_METHODS_AFTER_RETIREMENT=refuse and the date has passed (a phone is then not offered at all).
 */
export function phoneRetirementNote(flow: Flow, now: number, sp: Speech): { note: string; refused: boolean } {
  const telecom = telecomOf(flow);
  if (telecom.delivery === 'provider') return { note: '', refused: false };
  const at = calendarNow(flow, now);
  const date = longDate(RETIREMENT.users, sp.lang);
  if (!phoneChangesOffered(telecom, at)) return { note: sp.say('retirement.phoneRefused', { date }), refused: true };
  return {
    note: sp.say(at >= RETIREMENT.users ? 'retirement.phoneAfter' : 'retirement.phoneBefore', { date }),
    refused: false,
  };
}
