// Configuration of the network wing: how Proofup's outbound calls leave the machine. Behind a corporate proxy,
// HTTPS_PROXY / HTTP_PROXY name it and NO_PROXY the hosts reached directly (the usual variables, upper case). Unset:
// direct connections. What uses them: src/net/outbound-proxy.ts.
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
};

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
