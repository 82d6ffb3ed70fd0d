import { createHmac } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CODE_LIFETIME_MS,
  CodeSender,
  type CodeState,
  canResend,
  checkCode,
  MAX_RESENDS,
  SENDS_PER_NUMBER_PER_HOUR,
  SENDS_PER_USER_PER_HOUR,
} from '../../../src/possession/one-time-codes.js';
import { Outbox } from '../../../src/sandbox/outbox/outbox.js';
import { SqliteStorage } from '../../../src/storage/sqlite-storage.js';

let now = 1_800_000_000_000;
let outbox: Outbox;
let sender: CodeSender;
const TO = '+14255550123';
const sentCode = () => /^(\d{6}) /.exec((outbox.lastSmsTo(TO) as { text: string }).text)?.[1] as string;
const other = (c: string) => String((Number(c) + 1) % 1_000_000).padStart(6, '0');

async function send(user = 'u1', previous?: CodeState, to = TO): Promise<CodeState> {
  const issued = await sender.issue(user, to, previous);
  if (!issued.ok) throw new Error(issued.reason);
  await sender.text(to, issued.code);
  return issued.state;
}

let storage: SqliteStorage;
const keyed = (e164: string) => createHmac('sha256', 'test-key').update(e164).digest('base64url');
beforeEach(() => {
  outbox = new Outbox();
  storage = new SqliteStorage(':memory:');
  sender = new CodeSender(storage, outbox, keyed, () => now);
});

describe('one-time codes', () => {
  it('texts a 6-digit code to the new number and keeps only a salted hash', async () => {
    const state = await send();
    const code = sentCode();
    expect(code).toMatch(/^\d{6}$/);
    expect(JSON.stringify(state)).not.toContain(code);
    expect(checkCode(state, code, now)).toEqual({ ok: true });
    expect(checkCode(state, ` ${code} `, now)).toEqual({ ok: true });
  });

  it('5 wrong codes exhaust the code, even the right one afterwards', async () => {
    let state = await send();
    const code = sentCode();
    for (let left = 4; left >= 1; left--) {
      const check = checkCode(state, other(code), now);
      expect(check).toMatchObject({ ok: false, reason: 'wrong', triesLeft: left });
      if (check.ok || check.reason !== 'wrong') throw new Error('expected wrong');
      state = check.code;
    }
    expect(checkCode(state, other(code), now)).toEqual({ ok: false, reason: 'exhausted' });
    expect(checkCode({ ...state, tries: 5 }, code, now)).toEqual({ ok: false, reason: 'exhausted' });
  });

  it('a malformed code costs no try', async () => {
    const state = await send();
    for (const typed of ['12345', '1234567', 'abcdef', '', '12 345'])
      expect(checkCode(state, typed, now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('a code expires after 10 minutes', async () => {
    const state = await send();
    expect(checkCode(state, sentCode(), now + CODE_LIFETIME_MS + 1)).toEqual({ ok: false, reason: 'expired' });
  });

  it(`allows ${MAX_RESENDS} resends; a resend replaces the previous code`, async () => {
    let state = await send();
    const first = sentCode();
    for (let i = 0; i < MAX_RESENDS; i++) {
      expect(canResend(state)).toBe(true);
      state = await send('u1', state);
    }
    expect(state.sends).toBe(MAX_RESENDS + 1);
    expect(canResend(state)).toBe(false);
    const last = sentCode();
    if (first !== last) expect(checkCode(state, first, now).ok).toBe(false);
    expect(checkCode(state, last, now).ok).toBe(true);
  });

  it('caps sends per person per hour across flows and chats, and the cap lifts after an hour', async () => {
    for (let i = 0; i < SENDS_PER_USER_PER_HOUR; i++) await send('u1', undefined, `+1425555020${i}`);
    expect(await sender.issue('u1', '+14255550299', undefined)).toEqual({ ok: false, reason: 'hourly-cap' });
    expect((await sender.issue('u2', '+14255550299', undefined)).ok).toBe(true);
    now += 3600_001;
    expect((await sender.issue('u1', '+14255550299', undefined)).ok).toBe(true);
  });

  it('caps sends per NUMBER per hour whoever asks (SMS pumping), keyed by hash: no number in storage', async () => {
    for (let i = 0; i < SENDS_PER_NUMBER_PER_HOUR; i++) await send(`person-${i}`);
    expect(await sender.issue('someone-else', TO, undefined)).toEqual({ ok: false, reason: 'number-cap' });
    expect((await sender.issue('someone-else', '+14255550124', undefined)).ok).toBe(true);
    const keys = await storage.keys('');
    expect(keys.some((k) => k.includes(keyed(TO)))).toBe(true);
    expect(keys.join(' ')).not.toMatch(/4255550123|14255550123/);
    now += 3600_001;
    expect((await sender.issue('someone-else', TO, undefined)).ok).toBe(true);
  });
});
