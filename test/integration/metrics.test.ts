// GET /metrics (prom-client): behind METRICS_TOKEN in production, absent without it; the series count turns, the
// change funnel, Graph calls, SMS/e-mail sends and step-up refusals; no label carries user data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/sandbox/entra/demo-directory.js';
import { chatUser, flowChat } from '../helpers/flow-chat.js';
import { exchange, personal, signInThroughBrowser } from '../helpers/step-up-flow.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

const TOKEN = 'metrics-token-0123456789';
const ALEX = DEMO_USERS[0] as (typeof DEMO_USERS)[number];
let prod: TestBot;
let sandbox: TestBot;
beforeAll(async () => {
  [prod, sandbox] = await Promise.all([
    startTestBot({ profile: 'production', env: { METRICS_TOKEN: TOKEN } }),
    startTestBot({ profile: 'sandbox' }),
  ]);
});
afterAll(async () => {
  await Promise.all([prod?.close(), sandbox?.close()]);
});

const scrape = async (bot: TestBot, token?: string) => {
  const res = await fetch(`${bot.url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
};
/** The value of one series (labels in any order), 0 when absent. */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.split(' ').pop());
  }
  return 0;
}

describe('/metrics in production', () => {
  it('needs the bearer token (401 without or with a wrong one), then answers Prometheus text', async () => {
    expect((await scrape(prod)).status).toBe(401);
    expect((await scrape(prod, 'wrong-token-0123456789')).status).toBe(401);
    const ok = await scrape(prod, TOKEN);
    expect(ok.status).toBe(200);
    expect(ok.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(ok.text).toMatch(/# HELP proofup_turns_total/);
  });

  it('counts turns by channel and outcome, and turns in flight', async () => {
    const before = value((await scrape(prod, TOKEN)).text, 'proofup_turns_total', { outcome: 'ok' });
    expect((await prod.send(prod.activity({ text: 'help' }))).status).toBe(200);
    expect((await prod.send(prod.activity({ text: 'help' }), 'not-a-token')).status).toBe(401);
    const text = (await scrape(prod, TOKEN)).text;
    expect(value(text, 'proofup_turns_total', { channel: 'msteams', outcome: 'ok' })).toBe(before + 1);
    expect(value(text, 'proofup_turns_total', { outcome: 'unauthorized' })).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^proofup_turns_in_flight 0$/m);
  });

  it('has no /metrics route without METRICS_TOKEN', async () => {
    const bare = await startTestBot({ profile: 'production' });
    try {
      expect((await scrape(bare)).status).toBe(404);
    } finally {
      await bare.close();
    }
  });
});

describe('/metrics: the change funnel (sandbox, open on loopback)', () => {
  it('started → verified → code-sent → confirmed → applied, Graph calls by status, sends; no user data in labels', async () => {
    const chats = flowChat(sandbox, 'met');
    const { chat, flowId } = await chats.verified(chatUser(ALEX));
    await chats.changePhone(chat, flowId, 'mobile', '425 555 0193');
    const refused = personal('a:met-refused');
    await signInThroughBrowser(sandbox, refused, ALEX, 'deny');

    const text = (await scrape(sandbox)).text;
    for (const event of ['started', 'verified', 'code-sent', 'confirmed', 'applied'])
      expect(value(text, 'proofup_flow_events_total', { event }), event).toBeGreaterThanOrEqual(1);
    expect(value(text, 'proofup_graph_requests_total', { method: 'PATCH', status: '204' })).toBeGreaterThanOrEqual(1);
    expect(text).toContain('operation="/v1.0/users/{id}/authentication/phoneMethods/{id}"');
    expect(value(text, 'proofup_messages_sent_total', { kind: 'sms', outcome: 'ok' })).toBeGreaterThanOrEqual(2);
    expect(value(text, 'proofup_messages_sent_total', { kind: 'email', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(value(text, 'proofup_step_up_refusals_total', { reason: 'mfa-denied' })).toBe(1);
    expect(text).not.toMatch(new RegExp(`${ALEX.oid}|${ALEX.upn}|4255550193|${flowId}`));
    await exchange(sandbox, { ...chat, text: 'thanks' });
  });
});
