// The simulated Entra ID + Graph pair, for tests of the Graph client and the plan executor.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SANDBOX_CLIENT_ID, SANDBOX_TENANT_ID } from '../../src/config-model.js';
import { AppTokenProvider } from '../../src/graph/app-token.js';
import { AuthMethodsClient } from '../../src/graph/auth-methods-client.js';
import { HttpsClient } from '../../src/identity/https-client.js';
import type { Logger } from '../../src/logging.js';
import { EntraSimulator } from '../../src/sandbox/entra/entra-simulator.js';
import { ensureSandboxCertificate } from '../../src/sandbox/entra/tls.js';
import { GRAPH_APP_ROLES, GraphSimulator } from '../../src/sandbox/graph/graph-simulator.js';
import { captureLogs } from './log-capture.js';

export interface GraphSandbox {
  entra: EntraSimulator;
  graph: GraphSimulator;
  /** A client with an app-only token; sleeps are recorded instead of waited. */
  client(logger: Logger, sleeps?: number[]): AuthMethodsClient;
  stop(): Promise<void>;
}

export async function startGraphSandbox(): Promise<GraphSandbox> {
  const tls = await ensureSandboxCertificate(mkdtempSync(path.join(os.tmpdir(), 'proofup-graph-')));
  const entra = new EntraSimulator(
    tls,
    {
      clientId: SANDBOX_CLIENT_ID,
      clientSecret: 's3cret',
      redirectUris: [],
      appRoles: GRAPH_APP_ROLES,
    },
    { tenantId: SANDBOX_TENANT_ID },
  );
  await entra.start();
  const graph: GraphSimulator = new GraphSimulator(tls, (token) => entra.verifyAppToken(token, graph.url));
  await graph.start();
  const http = new HttpsClient({ extraCaPem: tls.cert });
  const tokens = new AppTokenProvider(
    {
      authorityHost: entra.authorityHost,
      tenantId: SANDBOX_TENANT_ID,
      clientId: SANDBOX_CLIENT_ID,
      clientSecret: 's3cret',
      resource: graph.url,
    },
    http,
    captureLogs().logger,
  );
  return {
    entra,
    graph,
    client: (logger, sleeps = []) =>
      new AuthMethodsClient({
        baseUrl: graph.url,
        http,
        token: tokens.token,
        logger,
        sleep: async (ms) => void sleeps.push(ms),
      }),
    async stop() {
      await graph.stop();
      await entra.stop();
    },
  };
}
