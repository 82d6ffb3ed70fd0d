// Proof of possession of a NEW number, the pure part: a 6-digit code kept only as a salted hash inside the flow's own
// record (so a check and its try counter are one compare-and-set with the flow), valid 10 minutes, 5 tries, 3 resends.
// Checking is computation only (node:crypto's HMAC); sending and the hourly caps are one-time-codes.ts.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const CODE_LIFETIME_MS = 10 * 60_000;
export const MAX_CODE_TRIES = 5;
export const MAX_RESENDS = 3;
export const SENDS_PER_USER_PER_HOUR = 6;
/** Across everyone: one number cannot be made to receive more than this many codes an hour (SMS pumping). */
export const SENDS_PER_NUMBER_PER_HOUR = 5;

export interface CodeState {
  salt: string;
  hash: string;
  expiresAt: number;
  tries: number;
  /** How many codes went to this number in this flow (1 = the first send). */
  sends: number;
}

export type CodeCheck =
  | { ok: true }
  | { ok: false; reason: 'malformed' }
  | { ok: false; reason: 'wrong'; triesLeft: number; code: CodeState }
  | { ok: false; reason: 'expired' | 'exhausted' };

const hmac = (salt: string, code: string) => createHmac('sha256', salt).update(code).digest();

/** Compares a presented code with the stored hash (constant time). A malformed code does not cost a try. */
export function checkCode(state: CodeState, presented: string, now: number): CodeCheck {
  const code = presented.trim();
  if (!/^\d{6}$/.test(code)) return { ok: false, reason: 'malformed' };
  if (state.tries >= MAX_CODE_TRIES) return { ok: false, reason: 'exhausted' };
  if (now > state.expiresAt) return { ok: false, reason: 'expired' };
  const expected = Buffer.from(state.hash, 'base64url');
  const actual = hmac(state.salt, code);
  if (expected.length === actual.length && timingSafeEqual(expected, actual)) return { ok: true };
  const tries = state.tries + 1;
  return tries >= MAX_CODE_TRIES
    ? { ok: false, reason: 'exhausted' }
    : { ok: false, reason: 'wrong', triesLeft: MAX_CODE_TRIES - tries, code: { ...state, tries } };
}

export function canResend(state: CodeState | undefined): boolean {
  return (state?.sends ?? 0) <= MAX_RESENDS;
}

/** The stored form of a code: salt and HMAC, never the code itself. */
export function codeStateFor(code: string, now: number, sends = 1): CodeState {
  const salt = randomBytes(16).toString('base64url');
  return { salt, hash: hmac(salt, code).toString('base64url'), expiresAt: now + CODE_LIFETIME_MS, tries: 0, sends };
}
