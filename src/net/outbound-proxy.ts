// Outbound calls through a corporate proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY — read by config.ts like every variable).
// Node's fetch ignores these variables, so fetch (Slack's Web API, ticket webhooks, Verified ID's callbacks out) gets
// undici's EnvHttpProxyAgent as its global dispatcher; the identity and Graph client (https-client.ts) tunnels through
// the proxy with CONNECT (https-proxy-agent), and so does the bot's own token and its signing-key fetch (bot/adapter.ts).
// The Azure SDKs (ACS, the Bot Connector's client) read the same variables themselves. TLS to the real endpoint is
// verified end to end either way: the proxy only sees a tunnel.
import { type Dispatcher, EnvHttpProxyAgent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';

export interface OutboundProxy {
  /** For https:// targets. */
  httpsProxy?: string;
  /** For http:// targets. */
  httpProxy?: string;
  /** Hosts reached directly: "host", ".domain" or "domain" (and its subdomains), "host:port", "*" for all. */
  noProxy?: string;
}

/** Whether NO_PROXY names this host (curl's rules: a domain covers its subdomains; a port must match when given). */
export function bypassesProxy(url: URL, noProxy = ''): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true;
      const match = /^(.*?)(?::(\d+))?$/.exec(entry.toLowerCase()) as RegExpExecArray;
      const name = (match[1] as string).replace(/^\*?\./, '').replace(/^\[|\]$/g, '');
      if (match[2] && match[2] !== port) return false;
      return host === name || host.endsWith(`.${name}`);
    });
}

/** The proxy URL for `url`, or undefined to connect directly. */
export function proxyFor(url: URL, proxy: OutboundProxy | undefined): string | undefined {
  const via = url.protocol === 'https:' ? proxy?.httpsProxy : proxy?.httpProxy;
  return via && !bypassesProxy(url, proxy?.noProxy) ? via : undefined;
}

/**
 * Routes every fetch() of this process through the proxy (when one is configured); returns how to undo it (tests,
 * and an app that closes). No proxy configured: nothing changes.
 */
export function routeFetchThroughProxy(proxy: OutboundProxy | undefined): () => void {
  if (!proxy?.httpsProxy && !proxy?.httpProxy) return () => undefined;
  const before: Dispatcher = getGlobalDispatcher();
  const agent = new EnvHttpProxyAgent({
    ...(proxy.httpProxy ? { httpProxy: proxy.httpProxy } : {}),
    ...(proxy.httpsProxy ? { httpsProxy: proxy.httpsProxy } : {}),
    noProxy: proxy.noProxy ?? '',
  });
  setGlobalDispatcher(agent);
  return () => {
    setGlobalDispatcher(before);
    void agent.close().catch(() => undefined);
  };
}
