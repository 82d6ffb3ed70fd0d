// The helpdesk wing of the configuration (both profiles): its variables, their schema and messages, how they become
// HelpdeskConfig, and the rules that span several of them (checked before the production profile starts).
import { z } from 'zod';
import { authContext, guid } from './config-fields.js';
import { HELPDESK_VERIFICATIONS, type HelpdeskConfig, type HelpdeskVerification } from './config-model.js';
import { LANGUAGES, type Lang } from './i18n/i18n.js';
import { knownTimeZone } from './time.js';

type Env = Record<string, string | undefined>;

/**
 * The helpdesk's variables (both profiles): the Entra group whose members are agents, the Teams channel escalations
 * are posted to (its conversation id; unset: the first channel the bot is installed in), where tickets go (a signed
 * webhook and/or ServiceNow), the bot's Teams app catalog id (handoffs install it for people), and the Temporary
 * Access Pass rules (the stronger auth context agents sign in with, a second agent's approval, the pass's lifetime).
 */
export const HELPDESK_VARS = {
  HELPDESK_GROUP_ID: guid.optional(),
  HELPDESK_CHANNEL: z.string().trim().min(3).max(300).optional(),
  HELPDESK_LANGUAGE: z.enum(LANGUAGES).default('en'),
  HELPDESK_TIME_ZONE: z
    .string()
    .trim()
    .refine((v) => knownTimeZone(v) === v, 'must be an IANA time zone such as Europe/Berlin or America/New_York')
    .default('UTC'),
  ITSM_WEBHOOK_URL: z.string().trim().url('must be a URL').optional(),
  ITSM_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SERVICENOW_INSTANCE_URL: z.string().trim().url('must be a URL').optional(),
  SERVICENOW_USER: z.string().trim().min(1).optional(),
  SERVICENOW_PASSWORD: z.string().min(1).optional(),
  TEAMS_APP_CATALOG_ID: guid.optional(),
  HELPDESK_AUTH_CONTEXT: authContext.optional(),
  TAP_REQUIRES_SECOND_AGENT: z.enum(['true', 'false']).default('false'),
  HELPDESK_VERIFICATION: z
    .string()
    .trim()
    .toLowerCase()
    .refine(
      (v) => v.split(/\s*,\s*/).every((w) => (HELPDESK_VERIFICATIONS as readonly string[]).includes(w)),
      `must be a comma-separated list of: ${HELPDESK_VERIFICATIONS.join(', ')}`,
    )
    .default('step-up'),
  VERIFIED_ID_AUTHORITY: z
    .string()
    .trim()
    .regex(/^did:(web|ion):\S+$/, 'must be your verifier DID (did:web:… on the Verified ID blade)')
    .optional(),
  VERIFIED_ID_ACCEPTED_ISSUERS: z
    .string()
    .trim()
    .refine((v) => v.split(/\s*,\s*/).every((d) => /^did:(web|ion):\S+$/.test(d)), 'must be comma-separated DIDs')
    .optional(),
  VERIFIED_ID_FACE_CHECK_THRESHOLD: z.coerce
    .number({ error: 'must be a number from 50 to 100' })
    .int('must be a whole number')
    .min(50, 'must be at least 50 (Face Check accepts 50..100)')
    .max(100, 'must be at most 100')
    .default(70),
  VERIFIED_ID_ENDPOINT: z.string().trim().url('must be a URL').default('https://verifiedid.did.msidentity.com'),
  REMINDERS_PER_MINUTE: z.coerce
    .number({ error: 'must be a number of reminders per minute' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(600, 'must be at most 600 (Teams allows an app 50 requests a second per tenant; each reminder takes up to 4)')
    .default(60),
  TAP_LIFETIME_MINUTES: z.coerce
    .number({ error: 'must be a number of minutes' })
    .int('must be a whole number of minutes')
    .min(10, 'must be at least 10 (Entra allows 10 to 43200 minutes)')
    .max(43_200, 'must be at most 43200 (30 days)')
    .default(60),
};

type HelpdeskEnv = {
  HELPDESK_LANGUAGE: Lang;
  HELPDESK_TIME_ZONE: string;
  TEAMS_APP_CATALOG_ID?: string;
  HELPDESK_AUTH_CONTEXT?: string;
  TAP_REQUIRES_SECOND_AGENT: 'true' | 'false';
  HELPDESK_VERIFICATION: string;
  VERIFIED_ID_AUTHORITY?: string;
  VERIFIED_ID_ACCEPTED_ISSUERS?: string;
  VERIFIED_ID_FACE_CHECK_THRESHOLD: number;
  VERIFIED_ID_ENDPOINT: string;
  TAP_LIFETIME_MINUTES: number;
  REMINDERS_PER_MINUTE: number;
  HELPDESK_GROUP_ID?: string;
  HELPDESK_CHANNEL?: string;
  ITSM_WEBHOOK_URL?: string;
  ITSM_WEBHOOK_SECRET?: string;
  SERVICENOW_INSTANCE_URL?: string;
  SERVICENOW_USER?: string;
  SERVICENOW_PASSWORD?: string;
};

export function helpdeskFrom(e: HelpdeskEnv): HelpdeskConfig {
  return {
    lang: e.HELPDESK_LANGUAGE,
    timeZone: e.HELPDESK_TIME_ZONE,
    remindersPerMinute: e.REMINDERS_PER_MINUTE,
    ...(e.TEAMS_APP_CATALOG_ID ? { teamsAppId: e.TEAMS_APP_CATALOG_ID } : {}),
    ...(e.HELPDESK_AUTH_CONTEXT ? { authContext: e.HELPDESK_AUTH_CONTEXT } : {}),
    tap: {
      secondAgent: e.TAP_REQUIRES_SECOND_AGENT === 'true',
      lifetimeMinutes: e.TAP_LIFETIME_MINUTES,
      verification: [...new Set(e.HELPDESK_VERIFICATION.split(/\s*,\s*/) as HelpdeskVerification[])],
      ...(e.VERIFIED_ID_AUTHORITY
        ? {
            verifiedId: {
              endpoint: e.VERIFIED_ID_ENDPOINT.replace(/\/+$/, ''),
              authority: e.VERIFIED_ID_AUTHORITY,
              acceptedIssuers: e.VERIFIED_ID_ACCEPTED_ISSUERS?.split(/\s*,\s*/) ?? [e.VERIFIED_ID_AUTHORITY],
              faceCheckThreshold: e.VERIFIED_ID_FACE_CHECK_THRESHOLD,
            },
          }
        : {}),
    },
    ...(e.HELPDESK_GROUP_ID ? { groupId: e.HELPDESK_GROUP_ID } : {}),
    ...(e.HELPDESK_CHANNEL ? { channelId: e.HELPDESK_CHANNEL } : {}),
    ...(e.ITSM_WEBHOOK_URL && e.ITSM_WEBHOOK_SECRET
      ? { webhook: { url: e.ITSM_WEBHOOK_URL, secret: e.ITSM_WEBHOOK_SECRET } }
      : {}),
    ...(e.SERVICENOW_INSTANCE_URL && e.SERVICENOW_USER && e.SERVICENOW_PASSWORD
      ? {
          serviceNow: {
            instanceUrl: e.SERVICENOW_INSTANCE_URL,
            user: e.SERVICENOW_USER,
            password: e.SERVICENOW_PASSWORD,
          },
        }
      : {}),
  };
}

/** Ticket settings come in pairs or threes; half of one is a mistake worth stopping for. */
export function helpdeskProblems(env: Env): string[] {
  const problems: string[] = [];
  for (const name of ['ITSM_WEBHOOK_URL', 'SERVICENOW_INSTANCE_URL'])
    if (env[name] && !env[name]?.startsWith('https://'))
      problems.push(`${name} must be an https:// URL (tickets carry who asked for help and why)`);
  if (env.ITSM_WEBHOOK_URL && !env.ITSM_WEBHOOK_SECRET)
    problems.push('ITSM_WEBHOOK_SECRET is required when ITSM_WEBHOOK_URL is set (the requests are signed)');
  if (env.HELPDESK_GROUP_ID && !env.HELPDESK_CHANNEL)
    problems.push(
      'HELPDESK_CHANNEL is required when HELPDESK_GROUP_ID is set: escalation cards go only to the helpdesk channel you name (its conversation id, 19:…@thread.tacv2), never to the first channel that mentions the bot',
    );
  if (env.HELPDESK_AUTH_CONTEXT && env.HELPDESK_AUTH_CONTEXT === env.STEP_UP_AUTH_CONTEXT)
    problems.push(
      'HELPDESK_AUTH_CONTEXT must differ from STEP_UP_AUTH_CONTEXT (Temporary Access Passes need a stronger sign-in)',
    );
  if (/verified-id/i.test(env.HELPDESK_VERIFICATION ?? '') && !env.VERIFIED_ID_AUTHORITY)
    problems.push(
      'VERIFIED_ID_AUTHORITY is required when HELPDESK_VERIFICATION lists verified-id (your verifier DID, did:web:…)',
    );
  const sn = ['SERVICENOW_INSTANCE_URL', 'SERVICENOW_USER', 'SERVICENOW_PASSWORD'].filter((n) => env[n]);
  if (sn.length > 0 && sn.length < 3)
    for (const name of ['SERVICENOW_INSTANCE_URL', 'SERVICENOW_USER', 'SERVICENOW_PASSWORD'].filter((n) => !env[n]))
      problems.push(`${name} is required when any SERVICENOW_* variable is set`);
  return problems;
}
