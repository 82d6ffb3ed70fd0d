// Starts the real server in-process, in the PRODUCTION profile, on an ephemeral loopback port. Bot Framework
// authentication points at a local issuer; replies go to a capturing connector; outbound auth is signed offline.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { type App, createApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { SANDBOX_VERIFIED_ID_AUTHORITY } from '../../src/config-model.js';
import { VERIFIED_ID_RESOURCE } from '../../src/helpdesk/verified-id.js';
import { CallSimulator } from '../../src/sandbox/calls/call-simulator.js';
import { EntraSimulator } from '../../src/sandbox/entra/entra-simulator.js';
import { ensureSandboxCertificate } from '../../src/sandbox/entra/tls.js';
import { GRAPH_APP_ROLES, GraphSimulator } from '../../src/sandbox/graph/graph-simulator.js';
import { Outbox } from '../../src/sandbox/outbox/outbox.js';
import type { SlackUser } from '../../src/sandbox/slack/slack-api-simulator.js';
import { SlackOidcSimulator } from '../../src/sandbox/slack/slack-oidc-simulator.js';
import { VerifiedIdSimulator } from '../../src/sandbox/verified-id/verified-id-simulator.js';
import { type BotFrameworkIssuer, startBotFrameworkIssuer } from './bot-framework-issuer.js';
import { type CapturingConnector, startCapturingConnector } from './capturing-connector.js';
import { leakingLines } from './leak-scan.js';
import { captureLogs } from './log-capture.js';
import { OfflineCredentialsFactory } from './offline-credentials.js';
import { freePort } from './ports.js';

export const TEST_APP_ID = '5f2d0d4e-3c8b-4a8e-9c1d-2b7a6e0f1a01';
export const TEST_TENANT_ID = '7a1b2c3d-0000-4000-8000-00000000c0de';
export const TEST_ACS_RESOURCE_ID = 'ac5ac5ac-0000-4000-8000-0000000007e5';

export interface TestBot {
  url: string;
  config: Config;
  app: App;
  issuer: BotFrameworkIssuer;
  connector: CapturingConnector;
  logs: string[];
  /** The simulated Entra ID the step-up signs in against (fault injection: entra.nextIdTokenFault). */
  entra: EntraSimulator;
  /** Trusts the simulator's certificate, for test requests to it. */
  caPem: string;
  /** The simulated Graph (fault injection: graph.inject). */
  graph: GraphSimulator;
  /** Every SMS, e-mail and call the bot made. */
  outbox: Outbox;
  /** The simulated ACS Call Automation (calls, their signed events). */
  calls: CallSimulator;
  /** Verified ID and the sandbox wallet (when HELPDESK_VERIFICATION lists verified-id). */
  verifiedId?: VerifiedIdSimulator;
  /** Sign in with Slack, simulated (sandbox profile with Slack on). */
  slackOidc?: SlackOidcSimulator;
  /** POSTs an activity with a valid channel token unless `token` is given ('' for none). */
  send(activity: Partial<Activity>, token?: string): Promise<Response>;
  activity(overrides?: Partial<Activity>): Partial<Activity>;
  close(): Promise<void>;
}

export function productionEnv(issuer: BotFrameworkIssuer, dataDir: string): Record<string, string> {
  return {
    PROOFUP_PROFILE: 'production',
    MicrosoftAppId: TEST_APP_ID,
    MicrosoftAppPassword: 'offline-test-secret',
    MicrosoftAppType: 'MultiTenant',
    ToBotFromChannelOpenIdMetadataUrl: issuer.metadataUrl,
    ToBotFromChannelTokenIssuer: issuer.url,
    ToBotFromEmulatorOpenIdMetadataUrl: issuer.metadataUrl,
    ToChannelFromBotLoginUrl: 'https://login.offline.test/botframework.com',
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    OAuthUrl: 'https://token.offline.test',
    CallerId: 'urn:botframework:azure',
    ValidateAuthority: 'false',
    ENTRA_TENANT_ID: TEST_TENANT_ID,
    ACS_CONNECTION_STRING: 'endpoint=https://acs.offline.test/;accesskey=b2ZmbGluZQ==',
    SMS_FROM: '+18005550100',
    EMAIL_FROM: 'proofup@contoso.test',
    PHONE_HASH_KEY: 'test-phone-hash-key-0123456789abcdef0123456789',
    // No calls unless a harness sets up a Call Automation stand-in (startTestBot does).
    OFFICE_PHONE_POLICY: 'directory',
    AUDIT_SQLITE_PATH: path.join(dataDir, 'audit.db'),
    PUBLIC_BASE_URL: 'https://proofup.offline.test',
    STEP_UP_AUTH_CONTEXT: 'c1',
    SQLITE_PATH: path.join(dataDir, 'proofup.db'),
    LOG_LEVEL: 'debug',
  };
}

export interface TestBotOptions {
  /** production (default): Bot Framework JWTs required. sandbox: anonymous, typed-code binding. */
  profile?: 'production' | 'sandbox';
  env?: Record<string, string>;
  /** The Slack workspace's people, for the simulated Sign in with Slack. */
  slackUsers?: () => SlackUser[];
  /**
   * Production only: the bot gets its own token the way it would in Azure (its app id and secret, client credentials
   * at ToChannelFromBotLoginUrl — the simulated Entra ID here) instead of from the offline credentials factory; the
   * connector then accepts only tokens that Entra ID issued for the Bot Framework.
   */
  realBotCredentials?: boolean;
}

export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  // The simulators' ports are chosen before the configuration is loaded (it names them), so one of them can be taken
  // by another test file in the moment between; then everything started is stopped and the bot starts again.
  for (let attempt = 1; ; attempt++) {
    const started: Array<() => unknown> = [];
    try {
      return await startTestBotOnce(options, started);
    } catch (err) {
      await Promise.allSettled(started.reverse().map((stop) => stop()));
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === 3) throw err;
    }
  }
}

async function startTestBotOnce(options: TestBotOptions, started: Array<() => unknown>): Promise<TestBot> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'proofup-it-'));
  started.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const issuer = await startBotFrameworkIssuer(TEST_APP_ID);
  started.push(() => issuer.close());
  const credentials = await OfflineCredentialsFactory.create(TEST_APP_ID);
  const sandbox = options.profile === 'sandbox';
  let entraRef: EntraSimulator | undefined;
  const connector = await startCapturingConnector({
    key: credentials.publicKey,
    issuer: credentials.issuer,
    audience: 'https://api.botframework.com',
    requireAuth: !sandbox,
    ...(options.realBotCredentials
      ? {
          check: async (token: string) =>
            Boolean(await entraRef?.verifyAppToken(token, 'https://api.botframework.com')),
        }
      : {}),
  });
  started.push(() => connector.close());
  const tls = await ensureSandboxCertificate(dataDir);
  const [entraPort, graphPort, acsPort, slackOidcPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  let url = '';
  // The simulated Verified ID listens first, on a port the system picks (a port from freePort() can be taken by a
  // bot started alongside before this one binds it); the sandbox configuration is then given that port.
  const verifiedId = sandbox
    ? new VerifiedIdSimulator(tls, async (token) => entraRef?.verifyAppToken(token, VERIFIED_ID_RESOURCE), {
        authority: options.env?.VERIFIED_ID_AUTHORITY ?? SANDBOX_VERIFIED_ID_AUTHORITY,
        // The public callback URL reaches this in-process bot, as a tunnel would.
        route: (uri) => `${url}${new URL(uri).pathname}${new URL(uri).search}`,
      })
    : undefined;
  started.push(() => verifiedId?.stop());
  const verifiedIdPort = verifiedId ? new URL(await verifiedId.start(0)).port : '0';
  const acsKey = randomBytes(32).toString('base64');
  const env = sandbox
    ? {
        PROOFUP_PROFILE: 'sandbox',
        SQLITE_PATH: path.join(dataDir, 'proofup.db'),
        SANDBOX_ENTRA_PORT: String(entraPort),
        SANDBOX_GRAPH_PORT: String(graphPort),
        SANDBOX_ACS_PORT: String(acsPort),
        SANDBOX_SLACK_OIDC_PORT: String(slackOidcPort),
        SANDBOX_VERIFIED_ID_PORT: verifiedIdPort,
        AUDIT_SQLITE_PATH: path.join(dataDir, 'audit.db'),
        LOG_LEVEL: 'debug',
      }
    : {
        ...productionEnv(issuer, dataDir),
        ENTRA_AUTHORITY_HOST: `https://127.0.0.1:${entraPort}`,
        GRAPH_BASE_URL: `https://127.0.0.1:${graphPort}`,
        // The ACS resource is the simulated one (SMS and e-mail still go to the outbox through `messaging`).
        ACS_CONNECTION_STRING: `endpoint=https://127.0.0.1:${acsPort}/;accesskey=${acsKey}`,
        ACS_CALL_FROM: '+18005550111',
        ACS_RESOURCE_ID: TEST_ACS_RESOURCE_ID,
        ACS_COGNITIVE_SERVICES_ENDPOINT: 'https://speech.offline.test',
        OFFICE_PHONE_POLICY: 'verify-by-call',
        ...(options.realBotCredentials
          ? { ToChannelFromBotLoginUrl: `https://127.0.0.1:${entraPort}/${TEST_TENANT_ID}` }
          : {}),
      };
  const config = loadConfig(
    { ...env, ...options.env },
    {
      loopbackChannelForTests: true,
      callsOpenIdUrlForTests: `https://127.0.0.1:${acsPort}/calling/.well-known/acsopenidconfiguration`,
    },
  );
  const entra = new EntraSimulator(
    tls,
    {
      clientId: config.stepUp.clientId,
      clientSecret: config.stepUp.clientSecret,
      redirectUris: [`${config.stepUp.publicBaseUrl}/auth/callback`],
      appRoles: GRAPH_APP_ROLES,
      // What an admin uploads to the app registration: the certificate only, not the key.
      certificatePem: config.stepUp.clientCertificatePath
        ? /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(
            readFileSync(config.stepUp.clientCertificatePath, 'utf8'),
          )?.[0]
        : undefined,
    },
    { tenantId: config.stepUp.tenantId },
  );
  started.push(() => entra.stop());
  await entra.start(entraPort);
  entraRef = entra;
  const graph: GraphSimulator = new GraphSimulator(tls, (token) => entra.verifyAppToken(token, config.graph.baseUrl));
  started.push(() => graph.stop());
  await graph.start(graphPort);
  const outbox = new Outbox();
  const { logger, lines } = captureLogs();
  const calls = new CallSimulator({
    tls,
    port: acsPort,
    accessKey: config.profile === 'sandbox' ? config.sandboxCalls.accessKey : acsKey,
    resourceId: config.calls?.resourceId ?? TEST_ACS_RESOURCE_ID,
    outbox,
    logger,
    delayMs: 50,
    // The public callback URL reaches this in-process bot, as a tunnel would.
    route: (uri) => `${url}${new URL(uri).pathname}${new URL(uri).search}`,
  });
  started.push(() => calls.stop());
  await calls.start();
  const signIn = config.slack?.signIn;
  const slackOidc =
    signIn?.clientId === 'sandbox-slack-client'
      ? new SlackOidcSimulator(tls, signIn, options.slackUsers ?? (() => []))
      : undefined;
  started.push(() => slackOidc?.stop());
  await slackOidc?.start(slackOidcPort);
  const app = await createApp(config, logger, {
    credentialsFactory: sandbox || options.realBotCredentials ? undefined : credentials,
    extraCaPem: tls.cert,
    messaging: outbox,
  });
  started.push(() => app.close());
  url = await app.listen(0, '127.0.0.1');

  const activity = (overrides: Partial<Activity> = {}): Partial<Activity> => ({
    type: 'message',
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl: connector.serviceUrl,
    from: { id: '29:user-alex', name: 'Alex Wilber', aadObjectId: '0a1e0000-0000-4000-8000-000000000020' },
    recipient: { id: `28:${TEST_APP_ID}`, name: 'Proofup' },
    conversation: {
      id: 'a:personal-alex',
      conversationType: 'personal',
      tenantId: TEST_TENANT_ID,
      isGroup: false,
      name: '',
    },
    channelData: { tenant: { id: TEST_TENANT_ID } },
    timestamp: new Date(),
    ...overrides,
  });

  return {
    url,
    config,
    app,
    issuer,
    connector,
    logs: lines,
    entra,
    graph,
    outbox,
    calls,
    ...(slackOidc ? { slackOidc } : {}),
    ...(verifiedId ? { verifiedId } : {}),
    caPem: tls.cert,
    activity,
    async send(body, token) {
      const bearer =
        token ?? (sandbox ? '' : await issuer.mint({ serviceUrl: body.serviceUrl ?? connector.serviceUrl }));
      return fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        body: JSON.stringify(body),
      });
    },
    async close() {
      // Every integration test that uses this bot also proves its logs hold no raw number or token.
      const leaks = leakingLines(lines);
      if (leaks.length)
        throw new Error(`raw phone numbers or tokens in ${leaks.length} log line(s):\n${leaks.slice(0, 3).join('\n')}`);
      await app.close();
      await Promise.all([
        issuer.close(),
        connector.close(),
        entra.stop(),
        graph.stop(),
        calls.stop(),
        slackOidc?.stop(),
        verifiedId?.stop(),
      ]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
