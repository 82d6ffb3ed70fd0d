// What storage keeps (sandbox, over HTTP): after a whole change no record holds an unmasked number or the user's
// identity beyond its lifetime, and the sweep removes abandoned sign-ins, expired grants and rate records an hour after
// their lifetime (retention.ts, the README's storage table).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging.js';
import { RETENTION } from '../../src/retention.js';
import { FlowStore } from '../../src/runner/flow-store.js';
import { FlowSweeper, TOMBSTONE_TTL_MS } from '../../src/runner/flow-sweeper.js';
import { DEMO_USERS } from '../../src/sandbox/entra/demo-directory.js';
import { chatUser, flowChat } from '../helpers/flow-chat.js';
import { exchange, personal, signInThroughBrowser } from '../helpers/step-up-flow.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

const ALEX = DEMO_USERS[0] as (typeof DEMO_USERS)[number];
let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ profile: 'sandbox' });
});
afterAll(async () => {
  await bot?.close();
});

async function everyRecord(): Promise<Record<string, unknown>> {
  return bot.app.storage.read(await bot.app.storage.keys(''));
}

/** Strings in a record that look like a phone number (7+ digits, as the log scrubber sees them). */
function unmaskedNumbers(records: Record<string, unknown>): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const m of value.matchAll(/(?<![\w+-])\+?\d(?:[\s().-]{0,2}\d){6,}(?![\w-])/g)) found.push(m[0]);
    } else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(records);
  return found;
}

const sweeperAt = (offsetMs: number) =>
  new FlowSweeper(
    bot.app.runner,
    new FlowStore(bot.app.storage),
    bot.app.storage,
    createLogger({ level: 'silent', pretty: false }),
    RETENTION,
    () => Date.now() + offsetMs,
  );

describe('retention', () => {
  it('after a completed change, no record holds an unmasked number, and the flow is a tombstone', async () => {
    const chats = flowChat(bot, 'ret');
    const { chat, flowId } = await chats.verified(chatUser(ALEX));
    await chats.changePhone(chat, flowId, 'mobile', '425 555 0191');
    await expect
      .poll(async () => (await bot.app.storage.read([chats.flowKeyOf(chat)]))[chats.flowKeyOf(chat)]?.stage)
      .toBe('ended');
    await expect
      .poll(async () => (await bot.app.storage.read([chats.flowKeyOf(chat)]))[chats.flowKeyOf(chat)]?.user?.oid)
      .toBe('');

    const records = await everyRecord();
    const text = JSON.stringify(records);
    expect(unmaskedNumbers(records)).toEqual([]);
    expect(text).not.toMatch(/4255550100|4255550191|425 555 0191/);
    const tombstone = records[chats.flowKeyOf(chat)] as Record<string, unknown>;
    expect(Object.keys(tombstone).sort()).toEqual(
      ['chat', 'eTag', 'endedAt', 'id', 'outbox', 'seq', 'stage', 'startedAt', 'updatedAt', 'user'].sort(),
    );
    // The UPN is only in the grant (it lives 10 minutes, for "Make another change"), nowhere else.
    const withUpn = Object.entries(records).filter(([, v]) => JSON.stringify(v).includes(ALEX.upn));
    expect(withUpn.map(([k]) => k.split('/').slice(0, 2).join('/'))).toEqual(['stepup/grant']);
  });

  it('every stored record belongs to a known kind with a lifetime (or the welcome flag of botbuilder user state)', async () => {
    const prefixes = [...RETENTION.map((r) => r.prefix), 'flow/'];
    const unknown = (await bot.app.storage.keys('')).filter(
      (k) => !prefixes.some((p) => k.startsWith(p)) && !/^msteams\/users\//.test(k),
    );
    expect(unknown).toEqual([]);
  });

  it('an abandoned sign-in (name and UPN after Entra) and expired grants are swept an hour after their lifetime', async () => {
    const abandoned = personal('a:ret-abandoned');
    await signInThroughBrowser(bot, abandoned); // never types the code: the attempt holds the signed-in name
    const granted = personal('a:ret-granted');
    await exchange(bot, { ...granted, text: (await signInThroughBrowser(bot, granted)).code });
    await bot.connector.waitFor(
      (c) => c.conversationId === 'a:ret-granted' && /security info/.test(JSON.stringify(c.body)),
    );
    await exchange(bot, { ...granted, text: 'cancel' }); // its flow ends (the grant stays for its 10 minutes)
    const kinds = async () => (await bot.app.storage.keys('stepup/')).map((k) => k.split('/')[1]);
    expect(await kinds()).toEqual(expect.arrayContaining(['attempt', 'pending', 'grant']));
    expect(JSON.stringify(await everyRecord())).toContain('Alex Wilber');

    await sweeperAt(30 * 60_000).sweep(); // within lifetime + 1 h: kept
    expect(await kinds()).toEqual(expect.arrayContaining(['attempt', 'grant']));

    const result = await sweeperAt(71 * 60_000).sweep(); // 10 min lifetime + 1 h + a minute
    expect(result.purged).toBeGreaterThan(0);
    expect(await kinds()).toEqual([]);
    expect(JSON.stringify(await everyRecord())).not.toContain('Alex Wilber'); // the ended flow kept no name either
  });

  it('code-rate records go 2 hours after their last send; tombstones of ended flows go after a day', async () => {
    expect((await bot.app.storage.keys('otp/rate/')).length).toBeGreaterThan(0);
    await sweeperAt(2 * 3_600_000 + 60_000).sweep();
    expect(await bot.app.storage.keys('otp/rate/')).toEqual([]);
    const flows = async () => Object.values(await bot.app.storage.read(await bot.app.storage.keys('flow/')));
    expect((await flows()).every((f) => (f as { stage: string }).stage === 'ended')).toBe(true);
    await sweeperAt(2 * TOMBSTONE_TTL_MS).sweep();
    expect(await bot.app.storage.keys('flow/')).toEqual([]);
    expect(await bot.app.storage.keys('')).toEqual(
      expect.not.arrayContaining([expect.stringMatching(/^(stepup|otp|seen|flow)\//)]),
    );
  });
});
