// The Bot Connector is the bot's only way to answer. One that never answers must not hold a turn (and its memory)
// forever, and an unreachable one must not hold it through seconds of retries: every connector call, retries
// included, ends within CONNECTOR_TIMEOUT_MS, the failure is logged with its code, and the HTTP request is answered.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

let bot: TestBot;
let silent: Server;
let silentUrl = '';
const held: { destroy(): void }[] = [];

beforeAll(async () => {
  bot = await startTestBot({ profile: 'production', env: { CONNECTOR_TIMEOUT_MS: '1500' } });
  // Accepts every request and never answers (a hung connector or a black-holing proxy).
  silent = createServer((req) => held.push(req.socket));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  for (const s of held) s.destroy();
  await new Promise((r) => silent?.close(r));
  await bot?.close();
});

async function timedTurn(serviceUrl: string): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  const res = await bot.send(bot.activity({ serviceUrl, text: 'help' }));
  return { status: res.status, ms: Date.now() - started };
}

describe('Bot Connector deadline', () => {
  it('a connector that never answers: the turn ends, is logged, and the request is answered', async () => {
    const { status, ms } = await timedTurn(silentUrl);
    expect(status).toBeLessThan(600);
    expect(ms).toBeLessThan(10_000); // without the deadline it never ends (the test would time out)
    expect(bot.logs.some((l) => /turn failed/.test(l) && /PROOFUP_TURN_FAILED/.test(l))).toBe(true);
  }, 20_000);

  it('an unreachable connector (nothing listening) is given up on at once, not after seconds of retries', async () => {
    const { status, ms } = await timedTurn('http://127.0.0.1:9/');
    expect(status).toBe(200);
    expect(ms).toBeLessThan(1000); // the deadline is 1.5 s; botbuilder's retries alone took 8–11 s
    expect(bot.logs.some((l) => /Bot Connector unreachable \(ECONNREFUSED\)/.test(l))).toBe(true);
  }, 20_000);
});
