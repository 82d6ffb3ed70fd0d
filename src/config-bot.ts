// The bot wing of the configuration: the HTTP server the bot runs in (both profiles), its per-person and per-address
// limits, how long its durable work may take, and — production only — its Bot Framework registration (app id, type,
// secret and the channel-endpoint overrides of sovereign clouds), with the rules that span those variables.
import { z } from 'zod';
import { guid } from './config-fields.js';
import type { BaseConfig, BotFrameworkSettings, LoadOptions, LogLevel, ProductionConfig } from './config-model.js';

type Env = Record<string, string | undefined>;

const nonEmpty = z.string().trim().min(1, 'is required');
const anyUrl = z.string().trim().url('must be a URL');

export const port = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be a whole number')
  .min(0)
  .max(65535, 'must be at most 65535');

/** The server and the durable core's timings and limits (both profiles). */
export const SERVER_VARS = {
  PORT: port.default(3978),
  HOST: z.string().trim().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(262_144),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(10_000),
  SHUTDOWN_READY_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  AUTH_RATE_LIMIT_PER_5MIN: z.coerce.number().int().min(1).max(100_000).default(300),
  FLOWS_PER_DAY: z.coerce.number().int().min(1).max(10_000).default(20),
  ESCALATIONS_PER_HOUR: z.coerce.number().int().min(1).max(1000).default(3),
  CONNECTOR_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(8000),
  FLOW_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(90),
  DELIVERY_RETRY_HOURS: z.coerce.number().min(0.01).max(168).default(24),
  SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  // Bearer token for GET /metrics (Prometheus). Production: no token, no /metrics route. The sandbox serves it openly.
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
};

/** The bot's Bot Framework registration (production). */
export const BOT_VARS = {
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
};

/** The Bot Framework's own settings, passed to its configuration factory as they are. */
const FRAMEWORK_VARS = [
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppType',
  'MicrosoftAppTenantId',
  'ValidateAuthority',
] as const;

/** Bot Framework channel-endpoint overrides (sovereign clouds, local test issuers). All or none. */
const CHANNEL_ENDPOINT_VARS = [
  'ToBotFromChannelOpenIdMetadataUrl',
  'ToBotFromChannelTokenIssuer',
  'ToBotFromEmulatorOpenIdMetadataUrl',
  'ToChannelFromBotLoginUrl',
  'ToChannelFromBotOAuthScope',
  'OAuthUrl',
  'CallerId',
] as const;

/** Channel-endpoint overrides that are FETCHED (signing keys, tokens): over plain HTTP anyone on the path could forge. */
const FETCHED_ENDPOINT_VARS = [
  'ToBotFromChannelOpenIdMetadataUrl',
  'ToBotFromEmulatorOpenIdMetadataUrl',
  'ToChannelFromBotLoginUrl',
  'OAuthUrl',
] as const;

const LOOPBACK_HTTP = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/;

type ServerEnv = z.infer<z.ZodObject<typeof SERVER_VARS>>;
type BotEnv = z.infer<z.ZodObject<typeof BOT_VARS>>;

/** The parts of every configuration that come from the server variables (the host is the profile's choice). */
export function serverFrom(
  e: ServerEnv,
  host: string,
): Pick<
  BaseConfig,
  | 'port'
  | 'host'
  | 'logLevel'
  | 'maxBodyBytes'
  | 'shutdownGraceMs'
  | 'shutdownReadyDelayMs'
  | 'authRateLimit'
  | 'limits'
  | 'connectorTimeoutMs'
  | 'flowLeaseMs'
  | 'deliveryRetryMs'
  | 'sweepIntervalMs'
> {
  return {
    port: e.PORT,
    host,
    logLevel: e.LOG_LEVEL as LogLevel,
    maxBodyBytes: e.MAX_BODY_BYTES,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    shutdownReadyDelayMs: e.SHUTDOWN_READY_DELAY_MS,
    authRateLimit: e.AUTH_RATE_LIMIT_PER_5MIN,
    limits: { flowsPerDay: e.FLOWS_PER_DAY, escalationsPerHour: e.ESCALATIONS_PER_HOUR },
    connectorTimeoutMs: e.CONNECTOR_TIMEOUT_MS,
    flowLeaseMs: e.FLOW_LEASE_SECONDS * 1000,
    deliveryRetryMs: e.DELIVERY_RETRY_HOURS * 3_600_000,
    sweepIntervalMs: e.SWEEP_INTERVAL_SECONDS * 1000,
  };
}

export function botFrom(e: BotEnv): ProductionConfig['bot'] {
  const frameworkSettings: BotFrameworkSettings = Object.fromEntries(
    [...FRAMEWORK_VARS, ...CHANNEL_ENDPOINT_VARS].map((name) => [name, e[name]]),
  );
  return { appId: e.MicrosoftAppId, appType: e.MicrosoftAppType, tenantId: e.MicrosoftAppTenantId, frameworkSettings };
}

/** The registration's rules across variables: a secret unless a managed identity, a tenant when single-tenant, https. */
export function botProblems(env: Env, options: LoadOptions): string[] {
  const problems: string[] = [];
  for (const name of FETCHED_ENDPOINT_VARS) {
    const value = env[name]?.trim();
    if (!value || value.startsWith('https://') || (options.loopbackChannelForTests && LOOPBACK_HTTP.test(value)))
      continue;
    problems.push(
      `${name} must be an https:// URL: signing keys or tokens fetched over plain HTTP would let anyone forge activities (got "${value}")`,
    );
  }
  const appType = env.MicrosoftAppType;
  if (appType !== 'UserAssignedMSI' && !env.MicrosoftAppPassword) {
    problems.push(`MicrosoftAppPassword is required${appType ? ` when MicrosoftAppType is ${appType}` : ''}`);
  }
  if ((appType === 'SingleTenant' || appType === 'UserAssignedMSI') && !env.MicrosoftAppTenantId) {
    problems.push(`MicrosoftAppTenantId is required when MicrosoftAppType is ${appType}`);
  }
  const set = CHANNEL_ENDPOINT_VARS.filter((name) => env[name] !== undefined);
  if (set.length > 0 && set.length < CHANNEL_ENDPOINT_VARS.length) {
    for (const name of CHANNEL_ENDPOINT_VARS.filter((n) => env[n] === undefined)) {
      problems.push(`${name} is required when any channel-endpoint override is set (${set.join(', ')})`);
    }
  }
  return problems;
}
