import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unsignedToken } from '../helpers/bot-framework-issuer.js';
import { startTestBot, TEST_APP_ID, type TestBot } from '../helpers/test-bot.js';

let bot: TestBot;
beforeAll(async () => {
  bot = await startTestBot();
});
afterAll(async () => {
  await bot?.close();
});

describe('POST /api/messages in the production profile authenticates like Bot Framework', () => {
  const rejected: [string, () => Promise<string>][] = [
    ['no token', async () => ''],
    ['garbage', async () => 'not.a.jwt'],
    ['wrong issuer', () => bot.issuer.mint({ issuer: 'https://evil.example', serviceUrl: bot.connector.serviceUrl })],
    ['wrong audience', () => bot.issuer.mint({ audience: 'someone-else', serviceUrl: bot.connector.serviceUrl })],
    ['expired', () => bot.issuer.mint({ expiresInSeconds: -600, serviceUrl: bot.connector.serviceUrl })],
    ['not yet valid', () => bot.issuer.mint({ notBeforeOffsetSeconds: 3600, serviceUrl: bot.connector.serviceUrl })],
    ['wrong signing key', () => bot.issuer.mint({ foreignKey: true, serviceUrl: bot.connector.serviceUrl })],
    ['serviceurl claim for another service', () => bot.issuer.mint({ serviceUrl: 'https://evil.example/' })],
    [
      'alg none',
      async () =>
        unsignedToken({
          iss: bot.issuer.url,
          aud: TEST_APP_ID,
          serviceurl: bot.connector.serviceUrl,
          exp: Math.floor(Date.now() / 1000) + 600,
        }),
    ],
  ];

  it.each(rejected)('%s -> 401, the turn never runs', async (_name, token) => {
    const before = bot.connector.calls.length;
    const response = await bot.send(bot.activity({ text: 'change my MFA phone' }), await token());
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'Unauthorized' });
    await new Promise((r) => setTimeout(r, 50));
    expect(bot.connector.calls.length).toBe(before);
  });

  it('a valid channel token is accepted and the intro card reaches the connector with an authenticated call', async () => {
    const conversation = { id: 'a:auth-happy', conversationType: 'personal', isGroup: false, name: '' };
    const response = await bot.send(bot.activity({ text: 'change my MFA phone', conversation }));
    expect(response.status).toBe(200);
    const call = await bot.connector.waitFor((c) => c.conversationId === 'a:auth-happy');
    expect(call.authorized).toBe(true);
    const attachment = (call.body.attachments as { contentType: string; content: { body: { text?: string }[] } }[])[0];
    expect(attachment?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(attachment?.content.body[0]?.text).toBe('Change your sign-in security info');
  });

  it('rejections are logged with a stable code and never with the token', async () => {
    const token = await bot.issuer.mint({ foreignKey: true, serviceUrl: bot.connector.serviceUrl });
    await bot.send(bot.activity({ text: 'hi' }), token);
    const line = bot.logs.find((l) => l.includes('PROOFUP_BOT_AUTH_REJECTED'));
    expect(line).toBeDefined();
    expect(bot.logs.join('\n')).not.toContain(token.split('.')[2]);
  });
});

describe('HTTP edge', () => {
  it('refuses a body that is not an activity with 400', async () => {
    const response = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(response.status).toBe(400);
  });

  it.each([
    ['serviceUrl a number', { serviceUrl: 42 }],
    ['serviceUrl an object', { serviceUrl: { url: 'https://x' } }],
    ['id an array', { id: ['a'] }],
    ['channelId null', { channelId: null }],
  ])('refuses an activity with a field of the wrong type (%s) with 400', async (_name, bad) => {
    const response = await bot.send({ ...bot.activity({ text: 'hello' }), ...bad } as never);
    expect(response.status).toBe(400);
  });

  it('refuses a body over the size limit with 413', async () => {
    const response = await bot.send(bot.activity({ text: 'x'.repeat(bot.config.maxBodyBytes + 10) }));
    expect(response.status).toBe(413);
  });

  it('GET /healthz and /readyz answer 200 while storage is reachable', async () => {
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${bot.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });
});
