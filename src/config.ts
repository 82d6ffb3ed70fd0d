// The only module that reads process.env. Everything else receives the typed Config built here.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';
import { guid, httpsUrl, optional } from './config-fields.js';
import { HELPDESK_VARS, helpdeskFrom } from './config-helpdesk.js';
import { MESSAGING_VARS, messagingFrom } from './config-messaging.js';
import {
  ACS_CALLS_OPENID_URL,
  type BotFrameworkSettings,
  CHANNEL_ENDPOINT_VARS,
  type Config,
  ConfigError,
  FRAMEWORK_VARS,
  type LoadOptions,
  numbersFrom,
  type Profile,
  SANDBOX_ACS_RESOURCE_ID,
  SANDBOX_CALLER_ID,
  SANDBOX_CLIENT_ID,
  SANDBOX_HELPDESK_AUTH_CONTEXT,
  SANDBOX_HELPDESK_GROUP_ID,
  SANDBOX_TEAMS_APP_ID,
  SANDBOX_TENANT_ID,
  SANDBOX_VERIFIED_ID_AUTHORITY,
} from './config-model.js';
import { NETWORK_VARS, networkFrom } from './config-network.js';
import { crossFieldProblems, sandboxKey } from './config-parts.js';
import { READINESS_VARS, readinessFrom, SANDBOX_CALENDAR_VARS } from './config-readiness.js';
import { SLACK_VARS, slackFrom } from './config-slack.js';
import { auditFrom, STORAGE_VARS, storageFrom } from './config-storage.js';
import { projectRoot } from './paths.js';

const nonEmpty = z.string().trim().min(1, 'is required');

const anyUrl = z.string().trim().url('must be a URL');
const port = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be a whole number')
  .min(0)
  .max(65535, 'must be at most 65535');
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const common = {
  PORT: port.default(3978),
  HOST: z.string().trim().min(1).optional(),
  LOG_LEVEL: logLevel.default('info'),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(262_144),
  ...STORAGE_VARS,
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(10_000),
  SHUTDOWN_READY_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  HELPDESK_CONTACT: z.string().trim().min(3).max(200).default('your IT helpdesk'),
  ...HELPDESK_VARS,
  ...SLACK_VARS,
  ...READINESS_VARS,
  ...NETWORK_VARS,
  AUTH_RATE_LIMIT_PER_5MIN: z.coerce.number().int().min(1).max(100_000).default(300),
  FLOWS_PER_DAY: z.coerce.number().int().min(1).max(10_000).default(20),
  ESCALATIONS_PER_HOUR: z.coerce.number().int().min(1).max(1000).default(3),
  GRAPH_TIMEOUT_MS: z.coerce.number().int().min(1000).max(120_000).default(60_000),
  CONNECTOR_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(8000),
  FLOW_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(90),
  DELIVERY_RETRY_HOURS: z.coerce.number().min(0.01).max(168).default(24),
  SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  // Where codes may be texted: "tenant" (the organisation's country plus the countries of the user's own numbers),
  // "*" (anywhere), or a list of ISO 3166 codes such as "US,CA,GB".
  SMS_ALLOWED_COUNTRIES: z
    .string()
    .trim()
    .transform((v) => (v === '*' || v.toLowerCase() === 'tenant' ? v.toLowerCase() : v.toUpperCase()))
    .refine(
      (v) => v === '*' || v === 'tenant' || v.split(/\s*,\s*/).every((c) => isSupportedCountry(c)),
      'must be "tenant", "*" or ISO 3166 country codes separated by commas (e.g. "US,CA,GB")',
    )
    .default('tenant'),
  SHARED_NUMBER_POLICY: z.enum(['refuse', 'warn', 'allow']).default('refuse'),
  // How a new office phone is accepted: proven by a call (default), only the directory's business phone, or any.
  OFFICE_PHONE_POLICY: z.enum(['verify-by-call', 'directory', 'any']).default('verify-by-call'),
  // Bearer token for GET /metrics (Prometheus). Production: no token, no /metrics route. The sandbox serves it openly.
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
};

export const sandboxSchema = z.object({
  ...common,
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

export const productionSchema = z.object({
  ...common,
  MicrosoftAppId: guid,
  MicrosoftAppPassword: z.string().optional(),
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']),
  MicrosoftAppTenantId: guid.optional(),
  ToBotFromChannelOpenIdMetadataUrl: anyUrl.optional(),
  ToBotFromChannelTokenIssuer: nonEmpty.optional(),
  ToBotFromEmulatorOpenIdMetadataUrl: anyUrl.optional(),
  ToChannelFromBotLoginUrl: anyUrl.optional(),
  ToChannelFromBotOAuthScope: nonEmpty.optional(),
  OAuthUrl: anyUrl.optional(),
  CallerId: nonEmpty.optional(),
  ValidateAuthority: z.enum(['true', 'false']).default('true'),
  // Step-up sign-in (identity module).
  ENTRA_TENANT_ID: guid,
  ENTRA_CLIENT_ID: guid.optional(),
  ENTRA_CLIENT_SECRET: z.string().optional(),
  ENTRA_CLIENT_CERTIFICATE_PATH: z.string().trim().min(1).optional(),
  ENTRA_AUTHORITY_HOST: httpsUrl.default('https://login.microsoftonline.com'),
  PUBLIC_BASE_URL: httpsUrl,
  STEP_UP_AUTH_CONTEXT: z
    .string()
    .trim()
    .regex(/^c([1-9]|[1-9][0-9])$/, 'must be an auth context id c1..c99'),
  STEP_UP_MAX_AGE_SECONDS: z.coerce.number().int().min(60).max(3600).default(600),
  // Microsoft Graph (security-info changes).
  GRAPH_BASE_URL: httpsUrl.default('https://graph.microsoft.com'),
  ...MESSAGING_VARS,
  // Key of the keyed hashes (HMAC-SHA256) that stand for phone numbers in storage: the shared-number index and the
  // per-number SMS limit. The same on every instance; changing it forgets the index (it is learned again).
  PHONE_HASH_KEY: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -base64 48)'),
});

export type {
  AuditConfig,
  BaseConfig,
  BotFrameworkSettings,
  Config,
  LoadOptions,
  LogLevel,
  NumbersConfig,
  ProductionConfig,
  Profile,
  SandboxConfig,
  StepUpConfig,
  StorageConfig,
} from './config-model.js';
export { ConfigError };

type Env = Record<string, string | undefined>;

/** sandbox when no tenant is configured, unless the operator says otherwise. NODE_ENV=production never falls back to the sandbox. */
export function chooseProfile(env: Env): Profile {
  const explicit = env.PROOFUP_PROFILE?.trim();
  if (explicit === 'sandbox' || explicit === 'production') return explicit;
  if (explicit) throw new ConfigError([`PROOFUP_PROFILE must be "sandbox" or "production" (got "${explicit}")`]);
  if (env.NODE_ENV === 'production' || env.ENTRA_TENANT_ID || env.MicrosoftAppId) return 'production';
  return 'sandbox';
}

export function blankToUndefined(env: Env): Env {
  return Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, v === undefined || v.trim() === '' ? undefined : v]),
  );
}

export function describeIssues(error: z.ZodError | undefined, env: Env): string[] {
  return (error?.issues ?? []).map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    if (env[name] === undefined) return `${name} is required`;
    const shown = /PASSWORD|SECRET|CONNECTION_STRING|KEY|TOKEN/i.test(name) ? '(value hidden)' : `(got "${env[name]}")`;
    return `${name} ${issue.message.replace(/^Invalid option: expected/, 'must be')} ${shown}`;
  });
}

export function fail(problems: string[]): never {
  throw new ConfigError([...new Set(problems)].sort());
}

export function loadConfig(rawEnv: Env = process.env, options: LoadOptions = {}): Config {
  const env = blankToUndefined(rawEnv);
  const profile = chooseProfile(env);
  const root = projectRoot();
  const paths = { root, cards: path.join(root, 'cards'), data: path.join(root, 'data') };

  if (profile === 'sandbox') {
    const parsed = sandboxSchema.safeParse(env);
    if (!parsed.success) fail(describeIssues(parsed.error, env));
    const e = parsed.data;
    // The simulated ACS and the bot share one process: a fresh access key each start is enough.
    const sandboxAcsKey = randomBytes(32).toString('base64');
    return {
      profile,
      port: e.PORT,
      // The sandbox accepts anonymous requests, so it must never be reachable from another machine.
      host: '127.0.0.1',
      logLevel: e.LOG_LEVEL,
      maxBodyBytes: e.MAX_BODY_BYTES,
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
      shutdownReadyDelayMs: e.SHUTDOWN_READY_DELAY_MS,
      storage: storageFrom(e, paths.data),
      paths,
      stepUp: {
        tenantId: SANDBOX_TENANT_ID,
        clientId: SANDBOX_CLIENT_ID,
        // The simulated tenant and the bot share one process: a fresh secret each start is enough.
        clientSecret: randomBytes(24).toString('base64url'),
        authorityHost: `https://127.0.0.1:${e.SANDBOX_ENTRA_PORT}`,
        publicBaseUrl: `http://127.0.0.1:${e.PORT}`,
        authContext: 'c1',
        maxAgeSeconds: 600,
      },
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
      officePhonePolicy: e.OFFICE_PHONE_POLICY,
      graph: { baseUrl: `https://127.0.0.1:${e.SANDBOX_GRAPH_PORT}`, timeoutMs: e.GRAPH_TIMEOUT_MS },
      flowLeaseMs: e.FLOW_LEASE_SECONDS * 1000,
      deliveryRetryMs: e.DELIVERY_RETRY_HOURS * 3_600_000,
      sweepIntervalMs: e.SWEEP_INTERVAL_SECONDS * 1000,
      connectorTimeoutMs: e.CONNECTOR_TIMEOUT_MS,
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
      authRateLimit: e.AUTH_RATE_LIMIT_PER_5MIN,
      limits: { flowsPerDay: e.FLOWS_PER_DAY, escalationsPerHour: e.ESCALATIONS_PER_HOUR },
      // The sandbox's numbers are made up; a key per data directory keeps its index across restarts.
      numbers: numbersFrom(e, sandboxKey(paths.data)),
      playground: {
        enabled: e.PLAYGROUND === 'on',
        port: e.PLAYGROUND_PORT,
        user: e.PLAYGROUND_USER,
        childEnv: {
          ...rawEnv,
          TEAMSAPPTESTER_BROWSER: 'none',
          M365_AGENTS_PLAYGROUND_LOGFILE: path.join(paths.data, 'playground.log'),
          M365_AGENTS_PLAYGROUND_CONFIG_PATH: path.join(root, '.m365agentsplayground.yml'),
        },
      },
    };
  }

  const parsed = productionSchema.safeParse(env);
  const problems = [...describeIssues(parsed.error, env), ...crossFieldProblems(env, options)];
  if (!parsed.success || problems.length > 0) fail(problems);
  const e = parsed.data;
  const frameworkSettings: BotFrameworkSettings = Object.fromEntries(
    [...FRAMEWORK_VARS, ...CHANNEL_ENDPOINT_VARS].map((name) => [name, e[name]]),
  );
  return {
    profile,
    port: e.PORT,
    host: e.HOST ?? '0.0.0.0',
    logLevel: e.LOG_LEVEL,
    maxBodyBytes: e.MAX_BODY_BYTES,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    shutdownReadyDelayMs: e.SHUTDOWN_READY_DELAY_MS,
    storage: storageFrom(e, paths.data),
    paths,
    bot: { appId: e.MicrosoftAppId, appType: e.MicrosoftAppType, tenantId: e.MicrosoftAppTenantId, frameworkSettings },
    stepUp: {
      tenantId: e.ENTRA_TENANT_ID,
      clientId: e.ENTRA_CLIENT_ID ?? e.MicrosoftAppId,
      clientSecret: e.ENTRA_CLIENT_CERTIFICATE_PATH ? '' : (e.ENTRA_CLIENT_SECRET ?? e.MicrosoftAppPassword ?? ''),
      clientCertificatePath: e.ENTRA_CLIENT_CERTIFICATE_PATH,
      authorityHost: e.ENTRA_AUTHORITY_HOST.replace(/\/+$/, ''),
      publicBaseUrl: e.PUBLIC_BASE_URL.replace(/\/+$/, ''),
      authContext: e.STEP_UP_AUTH_CONTEXT,
      maxAgeSeconds: e.STEP_UP_MAX_AGE_SECONDS,
    },
    graph: { baseUrl: e.GRAPH_BASE_URL.replace(/\/+$/, ''), timeoutMs: e.GRAPH_TIMEOUT_MS },
    flowLeaseMs: e.FLOW_LEASE_SECONDS * 1000,
    deliveryRetryMs: e.DELIVERY_RETRY_HOURS * 3_600_000,
    sweepIntervalMs: e.SWEEP_INTERVAL_SECONDS * 1000,
    connectorTimeoutMs: e.CONNECTOR_TIMEOUT_MS,
    network: networkFrom(e),
    ...messagingFrom(e, e.PUBLIC_BASE_URL, options.callsOpenIdUrlForTests ?? ACS_CALLS_OPENID_URL),
    officePhonePolicy: e.OFFICE_PHONE_POLICY,
    audit: auditFrom(e, paths.data),
    helpdeskContact: e.HELPDESK_CONTACT,
    helpdesk: helpdeskFrom(e),
    readiness: readinessFrom(e),
    ...optional('slack', slackFrom(e)),
    authRateLimit: e.AUTH_RATE_LIMIT_PER_5MIN,
    limits: { flowsPerDay: e.FLOWS_PER_DAY, escalationsPerHour: e.ESCALATIONS_PER_HOUR },
    numbers: numbersFrom(e, e.PHONE_HASH_KEY),
    metricsToken: e.METRICS_TOKEN,
  };
}
