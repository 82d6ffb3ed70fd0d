// Behind a corporate proxy (HTTPS_PROXY, NO_PROXY=""): the bot's sign-in (Entra ID's token endpoint and signing keys)
// and its Graph calls are tunnelled through a local CONNECT proxy, and a whole mobile change still works, TLS verified
// end to end (the proxy only relays bytes; the sandbox's certificate is checked by the bot as before). The agent is
// picked per request by URL: the write rides the same kept-alive tunnel as the reads, so the proxy cannot count it.
import { beforeAll, describe, expect, it } from 'vitest';
import { type ConnectProxy, startConnectProxy } from '../helpers/connect-proxy.js';
import { useFlowBot } from '../helpers/flow-chat.js';

const env: Record<string, string> = { NO_PROXY: '' };
let proxy: ConnectProxy;
// Before the bot starts (hooks run in order): its configuration names the proxy.
beforeAll(async () => {
  proxy = await startConnectProxy();
  env.HTTPS_PROXY = proxy.url;
  env.HTTP_PROXY = proxy.url;
});
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
});
