import type { SandboxConfig } from '../config.js';
import { VERIFIED_ID_RESOURCE } from '../helpdesk/verified-id.js';
import type { Logger } from '../logging.js';
import { CallSimulator } from './calls/call-simulator.js';
import { DEMO_USERS } from './entra/demo-directory.js';
import { EntraSimulator } from './entra/entra-simulator.js';
import { ensureSandboxCertificate } from './entra/tls.js';
import { GRAPH_APP_ROLES, GraphSimulator } from './graph/graph-simulator.js';
import { Outbox } from './outbox/outbox.js';
import { serveOutbox } from './outbox/outbox-page.js';
import { startPlayground } from './playground.js';
import { playgroundConfigFor } from './playground-user.js';
import { SlackApiSimulator } from './slack/slack-api-simulator.js';
import { SlackOidcSimulator } from './slack/slack-oidc-simulator.js';
import { VerifiedIdSimulator } from './verified-id/verified-id-simulator.js';

export interface SandboxServices {
  /** The sandbox certificate, trusted by the bot's identity and Graph clients as an extra CA. */
  caPem: string;
  outbox: Outbox;
  calls: CallSimulator;
  stop(): Promise<void>;
}

/**
 * The simulated Entra ID and Graph on loopback HTTPS (the bot's sandbox app registration: client id, secret, redirect
 * URI, Graph application permissions), and the outbox for SMS and e-mail with its page.
 */
export async function startSandboxServices(config: SandboxConfig, logger: Logger): Promise<SandboxServices> {
  const tls = await ensureSandboxCertificate(config.sandboxEntra.tlsDir);
  const simulator = new EntraSimulator(
    tls,
    {
      clientId: config.stepUp.clientId,
      clientSecret: config.stepUp.clientSecret,
      redirectUris: [`${config.stepUp.publicBaseUrl}/auth/callback`],
      appRoles: GRAPH_APP_ROLES,
    },
    { tenantId: config.stepUp.tenantId },
  );
  const url = await simulator.start(config.sandboxEntra.port);
  logger.info({ url }, `Sandbox Entra ID (simulated sign-in) on ${url}`);
  const graph: GraphSimulator = new GraphSimulator(tls, (token) =>
    simulator.verifyAppToken(token, config.graph.baseUrl),
  );
  await graph.start(config.sandboxGraph.port);
  logger.info({ url: graph.url }, `Sandbox Microsoft Graph on ${graph.url}`);
  const outbox = new Outbox();
  const page = await serveOutbox(outbox, config.outbox.port);
  logger.info({ url: page.url }, `Sandbox outbox (every SMS, e-mail and call, codes included) at ${page.url}`);
  const calls = new CallSimulator({
    tls,
    port: config.sandboxCalls.port,
    accessKey: config.sandboxCalls.accessKey,
    resourceId: config.calls?.resourceId ?? '',
    outbox,
    logger,
  });
  await calls.start();
  logger.info({ url: calls.url }, `Sandbox ACS Call Automation (simulated calls) on ${calls.url}`);
  const verifiedId = config.helpdesk.tap.verifiedId
    ? new VerifiedIdSimulator(tls, (token) => simulator.verifyAppToken(token, VERIFIED_ID_RESOURCE), {
        authority: config.helpdesk.tap.verifiedId.authority,
      })
    : undefined;
  if (verifiedId) {
    await verifiedId.start(config.sandboxVerifiedId.port);
    logger.info({ url: verifiedId.url }, `Sandbox Verified ID with a simulated Authenticator on ${verifiedId.url}`);
  }
  const slack = config.slack?.simulated ? sandboxSlack(config.slack.botToken) : undefined;
  const signIn = config.slack?.signIn;
  if (slack && signIn) slack.oauthClient = { clientId: signIn.clientId, clientSecret: signIn.clientSecret };
  const slackOidc =
    slack && signIn?.clientId === 'sandbox-slack-client'
      ? new SlackOidcSimulator(tls, signIn, () => [...slack.users.values()])
      : undefined;
  if (slack) {
    await slack.start(config.sandboxSlack.port);
    logger.info({ url: slack.url }, `Sandbox Slack Web API on ${slack.url} (npm run slack -- "change my MFA phone")`);
  }
  if (slackOidc) {
    await slackOidc.start(config.sandboxSlack.oidcPort);
    logger.info({ url: slackOidc.url }, `Sandbox Sign in with Slack on ${slackOidc.url}`);
  }
  return {
    caPem: tls.cert,
    outbox,
    calls,
    stop: async () => {
      await verifiedId?.stop();
      await slackOidc?.stop();
      await slack?.stop();
      await calls.stop();
      await page.stop();
      await graph.stop();
      await simulator.stop();
    },
  };
}

/** The Agents Playground next to the bot. Returns its stop function. */
export async function startSandboxPlayground(
  config: SandboxConfig,
  botEndpoint: string,
  logger: Logger,
): Promise<() => Promise<void>> {
  if (!config.playground.enabled) {
    logger.info('Agents Playground disabled (PLAYGROUND=off)');
    return async () => {};
  }
  const env = config.playground.childEnv;
  const configFile = playgroundConfigFor(
    config.playground.user,
    env.M365_AGENTS_PLAYGROUND_CONFIG_PATH as string,
    config.paths.data,
  );
  const playground = await startPlayground({
    botEndpoint,
    port: config.playground.port,
    env: { ...env, M365_AGENTS_PLAYGROUND_CONFIG_PATH: configFile },
    logger,
  });
  logger.info(
    { url: playground.url, user: config.playground.user },
    `Open the Agents Playground at ${playground.url} (you are ${config.playground.user}) and say "change my MFA phone"`,
  );
  return playground.stop;
}

/** The Slack workspace of the sandbox: the sandbox people as Slack users (U + first name), English locale. */
export function sandboxSlack(botToken: string | undefined): SlackApiSimulator {
  const slack = new SlackApiSimulator(botToken);
  // Without a bot token (OAuth installs): the sandbox workspace installs the app from /slack/install.
  slack.installable.set(slack.teamId, { id: slack.teamId, name: 'Proofup Sandbox' });
  for (const person of DEMO_USERS) {
    const first = (person.name.split(' ')[0] as string).toUpperCase();
    slack.users.set(`U${first}`, {
      id: `U${first}`,
      team_id: slack.teamId,
      name: first.toLowerCase(),
      real_name: person.name,
      locale: 'en-US',
      email: person.upn,
    });
  }
  return slack;
}
