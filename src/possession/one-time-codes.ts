// Proof of possession of a NEW number: a 6-digit code by SMS, stored only as a salted hash, 10-minute life,
// 5 attempts, 3 resends, and a per-user hourly cap on sends.
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Storage } from 'botbuilder';
import type { SmsSender } from '../messaging/senders.js';
import { RecordStore } from '../storage/records.js';

export const CODE_LIFETIME_MS = 10 * 60_000;
export const MAX_CODE_TRIES = 5;
export const MAX_RESENDS = 3;
export const SENDS_PER_USER_PER_HOUR = 6;

interface CodeRecord {
  e164: string;
  salt: string;
  hash: string;
  expiresAt: number;
  tries: number;
  sends: number;
}

export type SendOutcome = { ok: true; resendsLeft: number } | { ok: false; reason: 'resend-limit' | 'hourly-cap' };
export type VerifyOutcome =
  | { ok: true; e164: string }
  | { ok: false; reason: 'wrong'; triesLeft: number }
  | { ok: false; reason: 'expired' | 'exhausted' | 'none' };

const hash = (salt: string, code: string) => createHmac('sha256', salt).update(code).digest('base64url');

export class OneTimeCodes {
  private readonly codes: RecordStore<CodeRecord>;
  private readonly rate: RecordStore<{ sentAt: number[] }>;

  constructor(
    storage: Storage,
    private readonly sms: SmsSender,
    private readonly now: () => number = Date.now,
  ) {
    this.codes = new RecordStore(storage, 'otp/code');
    this.rate = new RecordStore(storage, 'otp/rate');
  }

  /** Sends a fresh code for this flow to `e164` (a resend replaces the previous code). */
  async send(flowId: string, userKey: string, e164: string): Promise<SendOutcome> {
    const existing = (await this.codes.get(flowId))?.value;
    const sends = existing && existing.e164 === e164 ? existing.sends + 1 : 1;
    if (sends > MAX_RESENDS + 1) return { ok: false, reason: 'resend-limit' };
    const rate = await this.rate.get(userKey);
    const recent = (rate?.value.sentAt ?? []).filter((t) => t > this.now() - 3600_000);
    if (recent.length >= SENDS_PER_USER_PER_HOUR) return { ok: false, reason: 'hourly-cap' };

    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const salt = randomBytes(16).toString('base64url');
    await this.codes.put(flowId, {
      e164,
      salt,
      hash: hash(salt, code),
      expiresAt: this.now() + CODE_LIFETIME_MS,
      tries: 0,
      sends,
    });
    await this.rate.put(userKey, { sentAt: [...recent, this.now()] }, rate?.eTag);
    await this.sms.sendSms(
      e164,
      `${code} is your Proofup code to confirm this number for sign-in. It expires in 10 minutes. Never share it: IT will never ask for it.`,
    );
    return { ok: true, resendsLeft: MAX_RESENDS + 1 - sends };
  }

  async verify(flowId: string, presented: string): Promise<VerifyOutcome> {
    const found = await this.codes.get(flowId);
    if (!found) return { ok: false, reason: 'none' };
    const record = found.value;
    if (record.tries >= MAX_CODE_TRIES) return { ok: false, reason: 'exhausted' };
    if (this.now() > record.expiresAt) return { ok: false, reason: 'expired' };
    const a = Buffer.from(hash(record.salt, presented.trim()));
    const b = Buffer.from(record.hash);
    if (a.length === b.length && timingSafeEqual(a, b)) {
      await this.codes.delete(flowId);
      return { ok: true, e164: record.e164 };
    }
    const tries = record.tries + 1;
    await this.codes.put(flowId, { ...record, tries }, found.eTag);
    return tries >= MAX_CODE_TRIES
      ? { ok: false, reason: 'exhausted' }
      : { ok: false, reason: 'wrong', triesLeft: MAX_CODE_TRIES - tries };
  }

  async discard(flowId: string): Promise<void> {
    await this.codes.delete(flowId);
  }
}
