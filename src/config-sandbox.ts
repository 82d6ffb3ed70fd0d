// The sandbox wing of the configuration: the profile that runs everything on this machine — the simulated Entra ID,
// Graph, ACS, Slack and Verified ID on loopback ports, the Agents Playground and who it chats as — and the sandbox's
// values for every other wing (its tenant, its helpdesk group, a fresh secret per start).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { port, serverFrom } from './config-bot.js';
import { COMMON_VARS } from './config-common.js';
import { optional } from './config-fields.js';
import { graphFrom } from './config-graph.js';
import { helpdeskFrom } from './config-helpdesk.js';
import { sandboxStepUp } from './config-identity.js';
import {
  SANDBOX_ACS_RESOURCE_ID,
  SANDBOX_CALLER_ID,
  SANDBOX_HELPDESK_AUTH_CONTEXT,
  SANDBOX_HELPDESK_GROUP_ID,
  SANDBOX_TEAMS_APP_ID,
  SANDBOX_VERIFIED_ID_AUTHORITY,
  type SandboxConfig,
} from './config-model.js';
import { networkFrom } from './config-network.js';
import { readinessFrom, SANDBOX_CALENDAR_VARS } from './config-readiness.js';
import { slackFrom } from './config-slack.js';
import { auditFrom, storageFrom } from './config-storage.js';

type Env = Record<string, string | undefined>;

export const sandboxSchema = z.object({
  ...COMMON_VARS,
  PLAYGROUND_PORT: port.default(56150),
  SANDBOX_ENTRA_PORT: port.default(3979),
  SANDBOX_GRAPH_PORT: port.default(3980),
  OUTBOX_PORT: port.default(3981),
  SANDBOX_ACS_PORT: port.default(3982),
  SANDBOX_SLACK_PORT: port.default(3983),
  SANDBOX_SLACK_OIDC_PORT: port.default(3984),
  SANDBOX_VERIFIED_ID_PORT: port.default(3985),
  PLAYGROUND: z.enum(['on', 'off']).default('on'),
  // Who the Playground chats as (it has no user menu): a sandbox person's first name.
  PLAYGROUND_USER: z.enum(['alex', 'megan', 'adele', 'isaiah', 'patti']).default('alex'),
  ...SANDBOX_CALENDAR_VARS,
});

/**
 * The sandbox configuration from its parsed variables. `env`: the environment with blanks as unset (a few defaults
 * depend on whether the operator set a variable); `rawEnv`: as given (handed to the Playground's process).
 */
export function sandboxFrom(
  e: z.infer<typeof sandboxSchema>,
  env: Env,
  rawEnv: Env,
  paths: SandboxConfig['paths'],
): SandboxConfig {
  // The simulated ACS and the bot share one process: a fresh access key each start is enough.
  const sandboxAcsKey = randomBytes(32).toString('base64');
  return {
    profile: 'sandbox',
    // The sandbox accepts anonymous requests, so it must never be reachable from another machine.
    ...serverFrom(e, '127.0.0.1'),
    storage: storageFrom(e, paths.data),
    paths,
    stepUp: sandboxStepUp(e.PORT, e.SANDBOX_ENTRA_PORT),
    sandboxEntra: { port: e.SANDBOX_ENTRA_PORT, tlsDir: paths.data },
    sandboxGraph: { port: e.SANDBOX_GRAPH_PORT },
    outbox: { port: e.OUTBOX_PORT },
    sandboxCalls: { port: e.SANDBOX_ACS_PORT, accessKey: sandboxAcsKey },
    sandboxSlack: { port: e.SANDBOX_SLACK_PORT, oidcPort: e.SANDBOX_SLACK_OIDC_PORT },
    sandboxVerifiedId: { port: e.SANDBOX_VERIFIED_ID_PORT },
    ...optional(
      'slack',
      slackFrom(e, {
        apiUrl: `http://127.0.0.1:${e.SANDBOX_SLACK_PORT}/api/`,
        // The sandbox plays Sign in with Slack too (HTTPS, its certificate), with a client made for this run.
        signIn: {
          clientId: 'sandbox-slack-client',
          clientSecret: randomBytes(24).toString('base64url'),
          baseUrl: `https://127.0.0.1:${e.SANDBOX_SLACK_OIDC_PORT}`,
        },
      }),
    ),
    calls: {
      connectionString: `endpoint=https://127.0.0.1:${e.SANDBOX_ACS_PORT}/;accesskey=${sandboxAcsKey}`,
      from: SANDBOX_CALLER_ID,
      resourceId: SANDBOX_ACS_RESOURCE_ID,
      openIdConfigUrl: `https://127.0.0.1:${e.SANDBOX_ACS_PORT}/calling/.well-known/acsopenidconfiguration`,
      eventsUrl: `http://127.0.0.1:${e.PORT}/api/calls/events`,
    },
    // The sandbox's numbers are made up; a key per data directory keeps its index across restarts.
    ...graphFrom(e, `https://127.0.0.1:${e.SANDBOX_GRAPH_PORT}`, sandboxKey(paths.data)),
    network: networkFrom(e),
    audit: auditFrom(e, paths.data),
    helpdeskContact: e.HELPDESK_CONTACT,
    readiness: readinessFrom(e, {
      mySignInsUrl: `https://127.0.0.1:${e.SANDBOX_GRAPH_PORT}/_sandbox/mysignins`,
      now: Date.now(),
    }),
    // The sandbox's directory has a helpdesk group (Alex and Megan) unless another is configured.
    // The sandbox, and only it, takes the first channel that mentions the bot when none is configured.
    helpdesk: {
      ...helpdeskFrom({
        ...e,
        // Every way the person can be verified (Verified ID against its simulator: sandbox DID, its own port).
        HELPDESK_VERIFICATION: env.HELPDESK_VERIFICATION ?? 'step-up,verified-id,manager',
        VERIFIED_ID_AUTHORITY: e.VERIFIED_ID_AUTHORITY ?? SANDBOX_VERIFIED_ID_AUTHORITY,
        VERIFIED_ID_ENDPOINT: env.VERIFIED_ID_ENDPOINT ?? `https://127.0.0.1:${e.SANDBOX_VERIFIED_ID_PORT}`,
        HELPDESK_GROUP_ID: e.HELPDESK_GROUP_ID ?? SANDBOX_HELPDESK_GROUP_ID,
        TEAMS_APP_CATALOG_ID: e.TEAMS_APP_CATALOG_ID ?? SANDBOX_TEAMS_APP_ID,
        HELPDESK_AUTH_CONTEXT: e.HELPDESK_AUTH_CONTEXT ?? SANDBOX_HELPDESK_AUTH_CONTEXT,
      }),
      ...(e.HELPDESK_CHANNEL ? {} : { firstChannelIsHelpdesk: true }),
    },
    playground: {
      enabled: e.PLAYGROUND === 'on',
      port: e.PLAYGROUND_PORT,
      user: e.PLAYGROUND_USER,
      childEnv: {
        ...rawEnv,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_LOGFILE: path.join(paths.data, 'playground.log'),
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: path.join(paths.root, '.m365agentsplayground.yml'),
      },
    },
  };
}

/** The sandbox's phone-hash key: made once per data directory (0600), so restarts keep the index. */
export function sandboxKey(dataDir: string): string {
  const file = path.join(dataDir, 'phone-hash.key');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    const key = randomBytes(48).toString('base64url');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, key, { mode: 0o600 });
    return key;
  }
}
