// The outbound proxy: NO_PROXY read as undici (fetch) reads it, so the HTTPS client and fetch() agree on every host;
// and fetch() really routed through a proxy once configured, and back after.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { bypassesProxy, proxyFor, routeFetchThroughProxy } from '../../src/net/outbound-proxy.js';
import { startConnectProxy } from '../helpers/connect-proxy.js';

const PROXY = 'http://proxy.contoso.test:8080';
describe('NO_PROXY, as undici (fetch) reads it', () => {
  // [NO_PROXY, URL, direct?] — undici's rules (env-http-proxy-agent.js): "*" all; a name matches itself and its
  // subdomains; a leading "." or "*." the same; a port must match when given.
  it.each([
    ['', 'https://graph.microsoft.com/v1.0/me', false],
    ['*', 'https://graph.microsoft.com/v1.0/me', true],
    ['graph.microsoft.com', 'https://graph.microsoft.com/v1.0/me', true],
    ['graph.microsoft.com', 'https://login.microsoftonline.com/x', false],
    ['microsoftonline.com', 'https://login.microsoftonline.com/x', true],
    ['.microsoftonline.com', 'https://login.microsoftonline.com/x', true],
    ['*.microsoftonline.com', 'https://login.microsoftonline.com/x', true],
    ['contoso.com', 'https://notcontoso.com/x', false],
    ['contoso.service-now.com:443', 'https://contoso.service-now.com/api', true],
    ['contoso.service-now.com:8443', 'https://contoso.service-now.com/api', false],
    ['hooks.contoso.com:8080, intranet', 'http://hooks.contoso.com:8080/t', true],
    ['hooks.contoso.com:8080, intranet', 'https://intranet:8443/x', true],
    ['127.0.0.1', 'https://127.0.0.1:3984/x', true],
    ['[::1]', 'https://[::1]:3984/x', true],
  ] as const)('NO_PROXY="%s": %s direct=%s', (noProxy, url, direct) => {
    expect(bypassesProxy(new URL(url), noProxy)).toBe(direct);
    expect(proxyFor(new URL(url), { httpsProxy: PROXY, httpProxy: PROXY, noProxy })).toBe(direct ? undefined : PROXY);
  });

  it('no proxy for the scheme: direct', () => {
    expect(proxyFor(new URL('http://hooks.contoso.com/t'), { httpsProxy: PROXY })).toBeUndefined();
  });
});

describe('fetch() through the proxy', () => {
  it('goes through it once configured, and directly again once undone', async () => {
    const proxy = await startConnectProxy();
    const target = http.createServer((_req, res) => res.end('hello'));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/x`;
    const undo = routeFetchThroughProxy({ httpProxy: proxy.url, httpsProxy: proxy.url, noProxy: '' });
    try {
      expect(await (await fetch(url)).text()).toBe('hello');
      expect(proxy.seen.length).toBe(1);
    } finally {
      undo();
    }
    expect(await (await fetch(url)).text()).toBe('hello');
    expect(proxy.seen.length).toBe(1); // the second went direct
    expect(routeFetchThroughProxy(undefined)).toBeTypeOf('function'); // nothing configured: nothing changes
    await proxy.close();
    await new Promise((resolve) => target.close(resolve));
  });
});
