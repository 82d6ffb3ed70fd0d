import https from 'node:https';
import { createSecureContext, rootCertificates } from 'node:tls';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

export interface HttpsResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The identity module's only HTTP client (MSAL's network module and the JWKS fetcher both use it). TLS is always
 * verified; an extra CA (the sandbox's own certificate) can be trusted on top of the system roots.
 */
export class HttpsClient {
  private readonly agent: https.Agent;

  constructor(options: { extraCaPem?: string; timeoutMs?: number } = {}) {
    this.agent = new https.Agent({
      keepAlive: true,
      // An idle pooled socket is dropped before a server's usual 5 s keep-alive would close it under a new request.
      timeout: 4000,
      // Built once: a `ca` list would be parsed again for every new TLS connection.
      ...(options.extraCaPem
        ? { secureContext: createSecureContext({ ca: [...rootCertificates, options.extraCaPem] }) }
        : {}),
    });
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  private readonly timeoutMs: number;

  request(
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<HttpsResponse> {
    const target = new URL(url);
    if (target.protocol !== 'https:')
      return Promise.reject(new Error(`refusing a non-https identity endpoint: ${target.origin}`));
    return new Promise((resolve, reject) => {
      const req = https.request(
        target,
        { method: init.method ?? 'GET', headers: init.headers, agent: this.agent, timeout: this.timeoutMs },
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
      req.on('error', reject);
      if (init.body) req.write(init.body);
      req.end();
    });
  }

  /** A WHATWG fetch over this client (for jose's remote JWKS). */
  fetch = async (url: string | URL, init?: { method?: string; headers?: unknown }): Promise<Response> => {
    const res = await this.request(String(url), {
      method: init?.method,
      headers: init?.headers as Record<string, string>,
    });
    return new Response(res.body, { status: res.status, headers: res.headers });
  };

  /** MSAL's INetworkModule over this client. */
  msalNetworkModule(): INetworkModule {
    const send = async <T>(
      method: string,
      url: string,
      options?: NetworkRequestOptions,
    ): Promise<NetworkResponse<T>> => {
      const res = await this.request(url, { method, headers: options?.headers, body: options?.body });
      let body: unknown;
      try {
        body = res.body ? JSON.parse(res.body) : {};
      } catch {
        body = { error: 'invalid_json', error_description: `HTTP ${res.status} with a non-JSON body` };
      }
      return { status: res.status, headers: res.headers, body: body as T };
    };
    return {
      sendGetRequestAsync: (url, options) => send('GET', url, options),
      sendPostRequestAsync: (url, options) => send('POST', url, options),
    };
  }
}
