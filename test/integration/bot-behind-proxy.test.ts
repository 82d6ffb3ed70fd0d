// The production bot behind a corporate proxy with no direct way out (HTTPS_PROXY, HTTP_PROXY, NO_PROXY=""): it must
// fetch the Bot Framework's signing keys through the proxy to accept a message at all, and get its own token for the
// Bot Connector through it to answer. botbuilder does neither by itself (node-fetch without an agent; an msal-node of
// its own that ignores the proxy variables). Here the bot gets its token as in Azure — app id and secret, client
// credentials — from the simulated Entra ID, and the connector accepts only a token Entra issued for the Bot Framework.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectProxy, startConnectProxy } from '../helpers/connect-proxy.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

let proxy: ConnectProxy;
let bot: TestBot;

beforeAll(async () => {
  proxy = await startConnectProxy();
  bot = await startTestBot({
    realBotCredentials: true,
    env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NO_PROXY: '' },
  });
});
afterAll(async () => {
  await bot?.close();
  await proxy?.close();
});

describe('the production bot behind a proxy', () => {
  it('accepts a message (signing keys through the proxy) and answers it (its token through the proxy)', async () => {
    const port = (url: string) => new URL(url).port;
    const res = await bot.send(bot.activity({ text: 'hi' }));
    expect(res.status).toBe(200);
    const reply = await bot.connector.waitFor((c) => c.method === 'POST' && c.conversationId === 'a:personal-alex');
    expect(reply.authorized).toBe(true); // a token Entra ID issued for https://api.botframework.com
    expect(proxy.seen).toContain(`CONNECT 127.0.0.1:${port(bot.issuer.metadataUrl)}`); // the signing keys
    expect(proxy.seen).toContain(`CONNECT 127.0.0.1:${port(bot.entra.authorityHost)}`); // the bot's own token
  });
});
