// The shape of Proofup's configuration (what loadConfig in config.ts returns) and its errors. Types and pure checks
// only: config.ts stays the one reader of the environment.

import type { AuditConfig } from './audit/create-audit-log.js';
import type { NetworkConfig } from './config-network.js';
import type { ReadinessConfig } from './config-readiness.js';
import type { OfficePhonePolicy } from './flow/options.js';
import type { Lang } from './i18n/i18n.js';
import type { Profile } from './profile.js';
import type { StorageConfig } from './storage/create-storage.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface StepUpConfig {
  tenantId: string;
  clientId: string;
  /** Client secret, unless a certificate (PEM file with the private key and the certificate) is configured. */
  clientSecret: string;
  clientCertificatePath?: string;
  authorityHost: string;
  publicBaseUrl: string;
  authContext: string;
  maxAgeSeconds: number;
}

/** Where the append-only audit goes: SQLite with the embedded store, Azure Table Storage with Blob scale-out. */
export type { AuditConfig, Profile, StorageConfig };

export interface NumbersConfig {
  /** Countries codes may be texted to: any, the tenant's (see SMS_ALLOWED_COUNTRIES), or a fixed list. */
  smsCountries: '*' | 'tenant' | string[];
  sharedPolicy: 'refuse' | 'warn' | 'allow';
  /** HMAC key for the hashes that stand for phone numbers in storage. */
  hashKey: string;
}

/** Calls that read a code aloud (ACS Call Automation). */
export interface CallsConfig {
  connectionString: string;
  /** The ACS phone number calls come from (E.164). */
  from: string;
  /** The ACS resource's immutable id: the audience of the tokens on its webhook events. */
  resourceId: string;
  /** Where Call Automation publishes its token issuer and keys. */
  openIdConfigUrl: string;
  /** <PUBLIC_BASE_URL>/api/calls/events */
  eventsUrl: string;
  /** Azure AI services endpoint connected to the ACS resource (text-to-speech). */
  cognitiveServicesEndpoint?: string;
}

/**
 * Ways a person is verified before the helpdesk acts for them: `step-up` — they complete Proofup's step-up in their own
 * chat (they still have a factor); `verified-id` — Microsoft Entra Verified ID with Face Check on the pass page (they
 * lost every factor); `manager` — the person's manager (Graph) confirms in their own chat after their own step-up;
 * `attestation` — the agent's recorded word alone (weaker: only when listed).
 */
export const HELPDESK_VERIFICATIONS = ['step-up', 'verified-id', 'manager', 'attestation'] as const;
export type HelpdeskVerification = (typeof HELPDESK_VERIFICATIONS)[number];

/** Helpdesk: who the agents are, where escalations go. */
export interface HelpdeskConfig {
  /** The language of the cards in the helpdesk channel. */
  lang: Lang;
  /** HELPDESK_TIME_ZONE: the time zone of the helpdesk channel's cards (IANA; default UTC). */
  timeZone: string;
  /** REMINDERS_PER_MINUTE: how fast a reminder campaign sends (default 60). */
  remindersPerMinute: number;
  groupId?: string;
  channelId?: string;
  /**
   * Sandbox only, when no channel is configured: the first channel that mentions the bot becomes the helpdesk
   * channel. Production never guesses (HELPDESK_CHANNEL is required with HELPDESK_GROUP_ID).
   */
  firstChannelIsHelpdesk?: boolean;
  webhook?: { url: string; secret: string };
  serviceNow?: { instanceUrl: string; user: string; password: string };
  /** The bot's id in the Teams app catalog: handoffs install the bot for people (unset: no handoffs). */
  teamsAppId?: string;
  /** The stronger auth context an agent signs in with before issuing a Temporary Access Pass (unset: no passes). */
  authContext?: string;
  tap: {
    secondAgent: boolean;
    lifetimeMinutes: number;
    /** HELPDESK_VERIFICATION: what counts as the person verified before a pass (see docs/helpdesk.md). */
    verification: readonly HelpdeskVerification[];
    /** VERIFIED_ID_*: the Request Service, the verifier's DID, accepted issuers, Face Check's threshold. */
    verifiedId?: { endpoint: string; authority: string; acceptedIssuers: string[]; faceCheckThreshold: number };
  };
}

/** OAuth installs (config-slack.ts): each workspace or Grid org that installs the app has its own bot token. */
export interface SlackInstallsConfig {
  clientId: string;
  clientSecret: string;
  /** Signs the install's state (with a browser cookie: @slack/oauth's ClearStateStore). */
  stateSecret: string;
  /** AES-256-GCM key of the installed tokens at rest. */
  tokenKey: Buffer;
  /** Workspace (T…) and Grid org (E…) ids that may install; an install or an event from any other is refused. */
  allowed: ReadonlySet<string>;
  /** Slack's OAuth v2 authorize page (https://slack.com/oauth/v2/authorize; the sandbox's simulator there). */
  authorizeUrl: string;
  /** The installation whose token posts in SLACK_HELPDESK_CHANNEL. */
  helpdeskWorkspace?: string;
}

export interface SlackConfig {
  signingSecret: string;
  /** SLACK_BOT_TOKEN: one workspace. Absent: `installs`. */
  botToken?: string;
  installs?: SlackInstallsConfig;
  /** Web API base URL, ending in /api/. */
  apiUrl: string;
  /** SLACK_API_TIMEOUT_MS: the deadline of one Web API request (default 10 s); retries are bounded too. */
  apiTimeoutMs: number;
  /** Socket Mode instead of the HTTP endpoint. */
  appToken?: string;
  /** The sandbox started its Slack Web API simulator for this. */
  simulated: boolean;
  /**
   * Sign in with Slack (OIDC client of the Slack app): proves which Slack user holds the browser, so a Slack user can
   * be bound to an Entra account. Absent: Slack users cannot verify (production refuses; the sandbox simulates it).
   */
  signIn?: { clientId: string; clientSecret: string; baseUrl: string };
  /**
   * SLACK_HELPDESK_CHANNEL: the Slack channel (its id) where requests for the helpdesk are posted with "Take it". The
   * sandbox uses C0HELPDESK. Absent: Slack users' requests go to the ticket systems and the Teams channel only.
   */
  helpdeskChannel?: string;
}

/** The sandbox's Slack helpdesk channel. */
export const SANDBOX_SLACK_HELPDESK_CHANNEL = 'C0HELPDESK';
/** The sandbox's Slack workspace (its simulator's). */
export const SANDBOX_SLACK_TEAM = 'T0SANDBOX';

export interface BaseConfig {
  profile: Profile;
  /** Absent: no Slack. */
  slack?: SlackConfig;
  /** Absent: no calls (codes by SMS only; alternate phones must be mobiles). */
  calls?: CallsConfig;
  officePhonePolicy: OfficePhonePolicy;
  stepUp: StepUpConfig;
  graph: { baseUrl: string; timeoutMs: number };
  /** How long one Bot Connector call may take, its retries included. */
  connectorTimeoutMs: number;
  /** HTTPS_PROXY, HTTP_PROXY, NO_PROXY (outbound calls through a corporate proxy) and ACS_TIMEOUT_MS. */
  network: NetworkConfig;
  /** How long one instance may hold a flow's outbox before another takes over (must outlast one Graph call). */
  flowLeaseMs: number;
  /** How long a failing flow effect (a card, a notice) is retried before it is dropped (DELIVERY_RETRY_HOURS). */
  deliveryRetryMs: number;
  /** How often idle flows are expired and orphaned outboxes resumed. */
  sweepIntervalMs: number;
  audit: AuditConfig;
  helpdeskContact: string;
  helpdesk: HelpdeskConfig;
  /** The passkey move and the SMS/voice retirement: telecom policy, opted-in countries, calendar, My Sign-ins. */
  readiness: ReadinessConfig;
  /** Requests per client address per 5 minutes on /auth/* (offices behind one NAT share an address). */
  authRateLimit: number;
  /** Per person (Entra object id): changes started per day, requests for the helpdesk per hour. */
  limits: { flowsPerDay: number; escalationsPerHour: number };
  numbers: NumbersConfig;
  port: number;
  host: string;
  logLevel: LogLevel;
  maxBodyBytes: number;
  shutdownGraceMs: number;
  /** How long /readyz says 503 (requests refused with 503) before the listener closes: the load balancer's notice. */
  shutdownReadyDelayMs: number;
  storage: StorageConfig;
  paths: { root: string; cards: string; data: string };
}

export interface SandboxConfig extends BaseConfig {
  profile: 'sandbox';
  playground: { enabled: boolean; port: number; user: string; childEnv: NodeJS.ProcessEnv };
  sandboxSlack: { port: number; oidcPort: number };
  sandboxEntra: { port: number; tlsDir: string };
  sandboxGraph: { port: number };
  outbox: { port: number };
  /** The simulated ACS Call Automation endpoint. */
  sandboxCalls: { port: number; accessKey: string };
  sandboxVerifiedId: { port: number };
}

/** Values handed to botbuilder's ConfigurationBotFrameworkAuthentication under its own names. */
export type BotFrameworkSettings = Record<string, string | undefined>;

export interface ProductionConfig extends BaseConfig {
  profile: 'production';
  /** Bearer token for /metrics; without it there is no /metrics route. */
  metricsToken?: string;
  bot: { appId: string; appType: string; tenantId?: string; frameworkSettings: BotFrameworkSettings };
  acs: { connectionString: string; smsFrom: string; emailFrom: string };
}

export type Config = SandboxConfig | ProductionConfig;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`,
    );
    this.name = 'ConfigError';
  }
}

/** endpoint=https://host[:port][/];accesskey=… — exactly what the ACS SDKs accept (a path makes them throw at start). */
export function validAcsConnectionString(value: string): boolean {
  const parts = new Map(
    value.split(';').flatMap((p) => {
      const at = p.indexOf('=');
      return at > 0 ? [[p.slice(0, at).trim().toLowerCase(), p.slice(at + 1).trim()] as const] : [];
    }),
  );
  const endpoint = parts.get('endpoint');
  if (!endpoint || !parts.get('accesskey')) return false;
  try {
    const url = new URL(endpoint);
    return url.protocol === 'https:' && (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash;
  } catch {
    return false;
  }
}

/** The sandbox tenant (simulated Entra ID) and its app registration. Also in .m365agentsplayground.yml. */
export const SANDBOX_TENANT_ID = '7a1b2c3d-0000-4000-8000-00000000c0de';
export const SANDBOX_CLIENT_ID = 'b07d0a5e-0000-4000-8000-00000000b07d';
/** The simulated ACS resource (its immutable id is the audience of its call events) and its caller id. */
export const SANDBOX_ACS_RESOURCE_ID = 'ac5ac5ac-0000-4000-8000-00000000ca11';
export const SANDBOX_CALLER_ID = '+14255550199';
/** The sandbox's stronger auth context for Temporary Access Passes (HELPDESK_AUTH_CONTEXT). */
export const SANDBOX_HELPDESK_AUTH_CONTEXT = 'c2';
/** The simulated Verified ID's verifier (and issuer) DID. */
export const SANDBOX_VERIFIED_ID_AUTHORITY = 'did:web:verifiedid.sandbox.proofup.test';
/** The bot's id in the sandbox tenant's Teams app catalog (TEAMS_APP_CATALOG_ID). */
export const SANDBOX_TEAMS_APP_ID = 'a9900000-0000-4000-8000-00000000a990';
/** The sandbox directory's helpdesk group (src/sandbox/graph/demo-methods.ts has its members). */
export const SANDBOX_HELPDESK_GROUP_ID = '4e1bde5c-0000-4000-8000-0000000011e1';

/** Where Call Automation publishes the issuer and signing keys of its webhook event tokens. */
export const ACS_CALLS_OPENID_URL =
  'https://acscallautomation.communication.azure.com/calling/.well-known/acsopenidconfiguration';

export interface LoadOptions {
  /**
   * Tests only (never from the environment): accept http://127.0.0.1 channel endpoints, for a local test issuer of
   * Bot Framework tokens in the production profile.
   */
  loopbackChannelForTests?: boolean;
  /** Tests only: Call Automation's OpenID configuration at a local stand-in instead of Microsoft's. */
  callsOpenIdUrlForTests?: string;
}
