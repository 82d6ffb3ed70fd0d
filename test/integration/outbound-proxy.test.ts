// Behind a corporate proxy (HTTPS_PROXY, NO_PROXY=""): the bot's sign-in (Entra ID's token endpoint and signing keys)
// and its Graph calls are tunnelled through a local CONNECT proxy, and a whole mobile change still works, TLS verified
// end to end (the proxy only relays bytes; the sandbox's certificate is checked by the bot as before). The agent is
// picked per request by URL: the write rides the same kept-alive tunnel as the reads, so the proxy cannot count it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackApiSimulator } from '../../src/sandbox/slack/slack-api-simulator.js';
import { sandboxSlack } from '../../src/sandbox/start-sandbox.js';
import { type ConnectProxy, startConnectProxy } from '../helpers/connect-proxy.js';
import { useFlowBot } from '../helpers/flow-chat.js';
import { dm, JSON_TYPE, postToSlackEndpoint, SLACK_TEST_SECRET, SLACK_TEST_TOKEN } from '../helpers/slack-requests.js';

const env: Record<string, string> = { NO_PROXY: '' };
let proxy: ConnectProxy;
let slack: SlackApiSimulator;
// Before the bot starts (hooks run in order): its configuration names the proxy.
beforeAll(async () => {
  proxy = await startConnectProxy();
  env.HTTPS_PROXY = proxy.url;
  env.HTTP_PROXY = proxy.url;
  // Slack on too: its Web API (the simulator, plain HTTP here) is reached through the proxy like the rest.
  slack = sandboxSlack(SLACK_TEST_TOKEN);
  env.SLACK_API_URL = await slack.start();
  env.SLACK_SIGNING_SECRET = SLACK_TEST_SECRET;
  env.SLACK_BOT_TOKEN = SLACK_TEST_TOKEN;
});
afterAll(() => slack?.stop());
const ctx = useFlowBot('proxy', { profile: 'sandbox', env });

describe('outbound calls through HTTPS_PROXY', () => {
  it('sign-in, Graph reads and the change itself go through the proxy, and the change is done', async () => {
    const port = (url: string) => new URL(url).port;
    const entra = `CONNECT 127.0.0.1:${port(ctx.bot.entra.authorityHost)}`;
    const graph = `CONNECT 127.0.0.1:${port(ctx.bot.graph.url)}`;
    const { chat, flowId } = await ctx.chats.verified();
    expect(proxy.seen).toContain(entra); // the token redemption (and the signing keys)
    expect(proxy.seen).toContain(graph); // the security info read

    await ctx.chats.submit(chat, { action: 'sec.editPhone', flowId, phoneType: 'mobile' });
    await ctx.chats.submit(chat, { action: 'sec.submitNumber', flowId, country: 'US', number: '(425) 555-0177' });
    const code = await ctx.chats.codeFor('+14255550177');
    await ctx.chats.submit(chat, { action: 'sec.submitCode', flowId, code });
    await ctx.chats.submit(chat, { action: 'sec.confirm', flowId });
    const done = await ctx.chats.shownIn(chat, /Your mobile phone changed from/);
    expect(JSON.stringify(done.body)).toContain('+1 ••• ••• 01 77');
    expect(ctx.bot.graph.users.get(chat.from.aadObjectId as string)?.phones.mobile).toBe('+1 4255550177');
    expect(
      proxy.seen.every(
        (s) =>
          s.startsWith('CONNECT 127.0.0.1:') ||
          s.startsWith('GET http://127.0.0.1:') ||
          s.startsWith('POST http://127.0.0.1:'),
      ),
    ).toBe(true);
  });

  it("Slack's Web API goes through the proxy too: a DM is answered", async () => {
    // undici's proxy agent tunnels plain HTTP too.
    const at = `CONNECT 127.0.0.1:${new URL(slack.url).port}`;
    await postToSlackEndpoint({ url: ctx.bot.url, secret: SLACK_TEST_SECRET }, dm('UMEGAN', 'help'), JSON_TYPE);
    await expect.poll(() => slack.of('chat.postMessage').length, { timeout: 5000 }).toBeGreaterThan(0);
    expect(proxy.seen).toContain(at);
  });
});
