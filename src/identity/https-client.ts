import https from 'node:https';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { HttpsProxyAgent } from 'https-proxy-agent';
import type { Logger } from '../logging.js';
import { type OutboundProxy, proxyFor } from '../net/outbound-proxy.js';

const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

export interface HttpsResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The identity module's only HTTP client (MSAL's network module and the signing-key fetcher both use it; so do Graph
 * and Verified ID). TLS is always verified; an extra CA (the sandbox's own certificate) can be trusted on top of the
 * system roots. Behind a corporate proxy (HTTPS_PROXY, NO_PROXY) it tunnels with CONNECT; TLS stays end to end.
 */
export class HttpsClient {
  private readonly agent: https.Agent;
  private readonly secureContext?: SecureContext;
  private readonly proxy?: OutboundProxy;
  private readonly proxyAgents = new Map<string, HttpsProxyAgent<string>>();

  constructor(options: { extraCaPem?: string; timeoutMs?: number; proxy?: OutboundProxy } = {}) {
    // Built once: a `ca` list would be parsed again for every new TLS connection.
    this.secureContext = options.extraCaPem
      ? createSecureContext({ ca: [...rootCertificates, options.extraCaPem] })
      : undefined;
    this.agent = new https.Agent({
      keepAlive: true,
      // An idle pooled socket is dropped before a server's usual 5 s keep-alive would close it under a new request.
      timeout: 4000,
      ...(this.secureContext ? { secureContext: this.secureContext } : {}),
    });
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.proxy = options.proxy;
  }

  /** The direct agent, or one that tunnels through the configured proxy (one per proxy URL, kept alive). */
  private agentFor(target: URL): https.Agent {
    const via = proxyFor(target, this.proxy);
    if (!via) return this.agent;
    let agent = this.proxyAgents.get(via);
    if (!agent) {
      agent = new HttpsProxyAgent(via, { keepAlive: true, timeout: 4000 });
      this.proxyAgents.set(via, agent);
    }
    return agent as unknown as https.Agent;
  }

  private readonly timeoutMs: number;

  /**
   * `retryStaleSocket` (default: GET only): a pooled keep-alive socket the server closed just as we wrote on it
   * (Node's documented race, `reusedSocket` + ECONNRESET) is retried once on a fresh socket. The same error can also
   * mean the server processed the request and then dropped the connection, so only requests that are safe to send
   * twice opt in: reads, and token requests (a redeemed code cannot be redeemed again). Graph writes never do.
   */
  async request(
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: string; retryStaleSocket?: boolean } = {},
  ): Promise<HttpsResponse> {
    const target = new URL(url);
    if (target.protocol !== 'https:') throw new Error(`refusing a non-https identity endpoint: ${target.origin}`);
    try {
      return await this.once(target, init);
    } catch (err) {
      const retry = init.retryStaleSocket ?? (init.method ?? 'GET') === 'GET';
      const stale =
        (err as { reusedSocket?: boolean }).reusedSocket && STALE_SOCKET.has((err as { code?: string }).code ?? '');
      if (!retry || !stale) throw err;
      return this.once(target, init);
    }
  }

  private once(
    target: URL,
    init: { method?: string; headers?: Record<string, string>; body?: string },
  ): Promise<HttpsResponse> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        target,
        {
          method: init.method ?? 'GET',
          headers: init.headers,
          agent: this.agentFor(target),
          timeout: this.timeoutMs,
          // Through a tunnel the target's TLS is set up per request: the extra CA must ride along.
          ...(this.secureContext ? { secureContext: this.secureContext } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers))
              if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
            resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`identity endpoint did not answer within ${this.timeoutMs} ms`)));
      req.on('error', (err) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
      if (init.body) req.write(init.body);
      req.end();
    });
  }

  /**
   * MSAL's INetworkModule over this client. Two things msal-node would otherwise do badly:
   * - it reports any transport failure as `network_error` and drops the cause: the cause is logged here;
   * - after ONE 5xx or 429 from the token endpoint it refuses every request with the same parameters — i.e. every
   *   user's code redemption — for 60 s or more without calling Entra (its throttling cache). A 5xx is retried once
   *   here; one that persists, and a 429, reach msal as OAuth's own `temporarily_unavailable` (HTTP 400, the
   *   Retry-After kept in the description), so the user is told to try again in N seconds and the NEXT sign-in is
   *   not locked out.
   */
  msalNetworkModule(logger?: Logger): INetworkModule {
    const send = async <T>(
      method: string,
      url: string,
      options?: NetworkRequestOptions,
    ): Promise<NetworkResponse<T>> => {
      const call = () =>
        this.request(url, { method, headers: options?.headers, body: options?.body, retryStaleSocket: true });
      let res: HttpsResponse;
      try {
        res = await call();
        if (res.status >= 500) {
          logger?.warn(
            { status: res.status, host: new URL(url).host },
            'identity endpoint answered 5xx; retrying once',
          );
          await new Promise((r) => setTimeout(r, 300));
          res = await call();
        }
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        logger?.warn(
          { code: e.code, reason: e.message, host: new URL(url).host, method },
          'identity endpoint request failed (msal reports it as network_error)',
        );
        throw err;
      }
      let body: unknown;
      try {
        body = res.body ? JSON.parse(res.body) : {};
      } catch {
        body = { error: 'invalid_json', error_description: `HTTP ${res.status} with a non-JSON body` };
      }
      if (res.status === 429 || res.status >= 500) {
        const seconds = Math.min(Math.max(Number(res.headers['retry-after']) || 0, 0), 300);
        const { 'retry-after': _dropped, ...headers } = res.headers;
        return {
          status: 400,
          headers,
          body: {
            error: 'temporarily_unavailable',
            error_description: `Entra answered HTTP ${res.status}; retry after ${seconds} s`,
          } as T,
        };
      }
      return { status: res.status, headers: res.headers, body: body as T };
    };
    return {
      sendGetRequestAsync: (url, options) => send('GET', url, options),
      sendPostRequestAsync: (url, options) => send('POST', url, options),
    };
  }
}
