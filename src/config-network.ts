// Configuration of the network wing: how Proofup's outbound calls leave the machine. Behind a corporate proxy,
// HTTPS_PROXY / HTTP_PROXY name it and NO_PROXY the hosts reached directly (the usual variables, upper case; unset:
// direct connections; what uses them: src/net/outbound-proxy.ts); ACS_TIMEOUT_MS is the deadline of one call to Azure
// Communication Services (Graph's is GRAPH_TIMEOUT_MS, the Bot Connector's CONNECTOR_TIMEOUT_MS).
import { z } from 'zod';
import type { OutboundProxy } from './net/outbound-proxy.js';

const proxyUrl = z
  .string()
  .trim()
  .url('must be a URL such as http://proxy.contoso.com:8080')
  .refine((v) => /^https?:\/\//i.test(v), 'must be an http:// or https:// proxy URL')
  .optional();

export const NETWORK_VARS = {
  // A corporate proxy for outbound HTTPS (Entra ID, Graph, Slack, ACS, Bot Connector, tickets), e.g.
  // http://proxy.contoso.com:8080. TLS to each service stays end to end (CONNECT).
  HTTPS_PROXY: proxyUrl,
  // The same for outbound plain-HTTP calls (ticket webhooks on http://).
  HTTP_PROXY: proxyUrl,
  // Hosts reached without the proxy: comma-separated names, ".domain" (and its subdomains), host:port, or *.
  NO_PROXY: z.string().trim().max(2000).optional(),
  // How long one call to Azure Communication Services (an SMS, an e-mail until accepted) may take, in ms (1000..120000,
  // default 30000). A send that runs out is retried by the notifier with the same repeatable id: never sent twice.
  ACS_TIMEOUT_MS: z.coerce.number().int().min(1000).max(120_000).default(30_000),
};

export interface NetworkConfig {
  /** Absent: direct connections. */
  proxy?: OutboundProxy;
  acsTimeoutMs: number;
}

export function networkFrom(e: {
  HTTPS_PROXY?: string;
  HTTP_PROXY?: string;
  NO_PROXY?: string;
  ACS_TIMEOUT_MS: number;
}): NetworkConfig {
  const proxy = outboundProxyFrom(e);
  return { ...(proxy ? { proxy } : {}), acsTimeoutMs: e.ACS_TIMEOUT_MS };
}

export function outboundProxyFrom(e: {
  HTTPS_PROXY?: string;
  HTTP_PROXY?: string;
  NO_PROXY?: string;
}): OutboundProxy | undefined {
  if (!e.HTTPS_PROXY && !e.HTTP_PROXY) return undefined;
  return {
    ...(e.HTTPS_PROXY ? { httpsProxy: e.HTTPS_PROXY } : {}),
    ...(e.HTTP_PROXY ? { httpProxy: e.HTTP_PROXY } : {}),
    ...(e.NO_PROXY ? { noProxy: e.NO_PROXY } : {}),
  };
}
