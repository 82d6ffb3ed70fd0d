import { beforeEach, describe, expect, it } from 'vitest';
import { CODE_LIFETIME_MS, OneTimeCodes, SENDS_PER_USER_PER_HOUR } from '../../../src/possession/one-time-codes.js';
import { Outbox } from '../../../src/sandbox/outbox/outbox.js';
import { SqliteStorage } from '../../../src/storage/sqlite-storage.js';

let now = 1_800_000_000_000;
let outbox: Outbox;
let codes: OneTimeCodes;
const TO = '+14255550123';
const sentCode = () => /^(\d{6}) /.exec((outbox.lastSmsTo(TO) as { text: string }).text)?.[1] as string;
const other = (c: string) => String((Number(c) + 1) % 1_000_000).padStart(6, '0');

beforeEach(() => {
  outbox = new Outbox();
  codes = new OneTimeCodes(new SqliteStorage(':memory:'), outbox, () => now);
});

describe('OneTimeCodes', () => {
  it('sends a 6-digit code to the new number and accepts it once', async () => {
    expect(await codes.send('f1', 'u1', TO)).toEqual({ ok: true, resendsLeft: 3 });
    const code = sentCode();
    expect(code).toMatch(/^\d{6}$/);
    expect(await codes.verify('f1', code)).toEqual({ ok: true, e164: TO });
    expect(await codes.verify('f1', code)).toEqual({ ok: false, reason: 'none' });
  });

  it('5 wrong codes exhaust the code, even the right one afterwards', async () => {
    await codes.send('f1', 'u1', TO);
    const code = sentCode();
    for (let left = 4; left >= 1; left--)
      expect(await codes.verify('f1', other(code))).toEqual({ ok: false, reason: 'wrong', triesLeft: left });
    expect(await codes.verify('f1', other(code))).toEqual({ ok: false, reason: 'exhausted' });
    expect(await codes.verify('f1', code)).toEqual({ ok: false, reason: 'exhausted' });
  });

  it('a code expires after 10 minutes', async () => {
    await codes.send('f1', 'u1', TO);
    now += CODE_LIFETIME_MS + 1;
    expect(await codes.verify('f1', sentCode())).toEqual({ ok: false, reason: 'expired' });
  });

  it('allows 3 resends; a resend replaces the previous code', async () => {
    await codes.send('f1', 'u1', TO);
    const first = sentCode();
    expect(await codes.send('f1', 'u1', TO)).toEqual({ ok: true, resendsLeft: 2 });
    expect(await codes.send('f1', 'u1', TO)).toEqual({ ok: true, resendsLeft: 1 });
    expect(await codes.send('f1', 'u1', TO)).toEqual({ ok: true, resendsLeft: 0 });
    expect(await codes.send('f1', 'u1', TO)).toEqual({ ok: false, reason: 'resend-limit' });
    const last = sentCode();
    if (first !== last) expect((await codes.verify('f1', first)).ok).toBe(false);
    expect(await codes.verify('f1', last)).toEqual({ ok: true, e164: TO });
  });

  it('caps sends per user per hour across flows, and the cap lifts after an hour', async () => {
    for (let i = 0; i < SENDS_PER_USER_PER_HOUR; i++) expect((await codes.send(`flow-${i}`, 'u1', TO)).ok).toBe(true);
    expect(await codes.send('flow-x', 'u1', TO)).toEqual({ ok: false, reason: 'hourly-cap' });
    expect((await codes.send('flow-x', 'u2', TO)).ok).toBe(true);
    now += 3600_001;
    expect((await codes.send('flow-y', 'u1', TO)).ok).toBe(true);
  });

  it('stores no code in clear', async () => {
    const storage = new SqliteStorage(':memory:');
    const c = new OneTimeCodes(storage, outbox, () => now);
    await c.send('f9', 'u9', TO);
    expect(JSON.stringify(await storage.read(['otp/code/f9']))).not.toContain(sentCode());
  });
});
