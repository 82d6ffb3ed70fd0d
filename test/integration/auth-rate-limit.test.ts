import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot({ env: { AUTH_RATE_LIMIT_PER_5MIN: '10' } });
});
afterAll(async () => {
  await bot?.close();
});

describe('abuse limits on /auth/*', () => {
  it('requests beyond the per-address limit get 429 with Retry-After, on start and callback alike', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push((await fetch(`${bot.url}/auth/start?s=x`, { redirect: 'manual' })).status);
    expect(statuses.every((s) => s === 400)).toBe(true);
    const limited = await fetch(`${bot.url}/auth/callback?state=x`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(bot.logs.some((l) => l.includes('PROOFUP_RATE_LIMITED'))).toBe(true);
  });
});
