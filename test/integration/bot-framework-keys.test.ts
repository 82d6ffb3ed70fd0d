// The Bot Framework's signing keys: botbuilder keeps them 24 hours by default, so a key the channel withdrew stays
// trusted that long. Proofup asks for them again after an hour.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ profile: 'production' });
});
afterAll(async () => {
  vi.useRealTimers();
  await bot?.close();
});

describe('Bot Framework signing keys', () => {
  it('are fetched again once an hour has passed (not after 24)', async () => {
    expect((await bot.send(bot.activity({ text: 'help' }))).status).toBe(200);
    const fetched = bot.issuer.keyFetches;
    expect(fetched).toBeGreaterThan(0);
    expect((await bot.send(bot.activity({ text: 'help' }))).status).toBe(200);
    expect(bot.issuer.keyFetches).toBe(fetched); // cached within the hour
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61 * 60_000 });
    expect((await bot.send(bot.activity({ text: 'help' }))).status).toBe(200);
    expect(bot.issuer.keyFetches).toBe(fetched + 1);
  });
});
