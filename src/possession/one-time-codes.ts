// Proof of possession of a NEW number: a 6-digit code by SMS, kept only as a salted hash inside the flow's own record
// (so a check and its try counter are one compare-and-set with the flow), valid 10 minutes, 5 tries, 3 resends, and a
// per-person and per-number hourly cap on sends across flows. Checking is pure (code-check.ts); CodeSender does I/O.
import { randomInt } from 'node:crypto';
import type { Storage } from 'botbuilder';
import { DEFAULT_LANG, type Lang, t } from '../i18n/i18n.js';
import type { SmsSender } from '../messaging/senders.js';
import type { Retained } from '../storage/records.js';
import { WindowCounter } from '../storage/window-counter.js';
import { type CodeState, codeStateFor, SENDS_PER_NUMBER_PER_HOUR, SENDS_PER_USER_PER_HOUR } from './code-check.js';

export * from './code-check.js';

export type Issued = { ok: true; code: string; state: CodeState } | { ok: false; reason: 'hourly-cap' | 'number-cap' };

/**
 * Issues codes and texts them. Two steps, so the caller can store the hash BEFORE the SMS leaves: a user who types the
 * code the moment it arrives always finds it. Only the hash is ever stored.
 */
export class CodeSender {
  private readonly rate: WindowCounter;

  /** `numberKey`: the keyed hash that stands for a number in storage (never the number itself). */
  constructor(
    storage: Storage,
    private readonly sms: SmsSender,
    private readonly numberKey: (e164: string) => string,
    private readonly now: () => number = Date.now,
  ) {
    this.rate = new WindowCounter(storage, 'otp/rate', 3600_000, now);
  }

  /** Counts a send against the person's AND the number's hourly caps, then makes a fresh code. */
  async issue(oid: string, e164: string, previous: CodeState | undefined): Promise<Issued> {
    if (!(await this.rate.take(oid, SENDS_PER_USER_PER_HOUR))) return { ok: false, reason: 'hourly-cap' };
    if (!(await this.rate.take(`n-${this.numberKey(e164)}`, SENDS_PER_NUMBER_PER_HOUR)))
      return { ok: false, reason: 'number-cap' };
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    return { ok: true, code, state: codeStateFor(code, this.now(), (previous?.sends ?? 0) + 1) };
  }

  async text(e164: string, code: string, lang: Lang = DEFAULT_LANG): Promise<void> {
    await this.sms.sendSms(e164, t(lang, 'sms.code', { code }));
  }
}

/** The codes' send counters (src/retention.ts collects it). */
export const CODE_RECORDS: readonly Retained[] = [
  {
    prefix: 'otp/rate/',
    lifetimeMs: 3_600_000,
    holds: 'send times of codes per person (oid) and per number (keyed hash)',
  },
];
