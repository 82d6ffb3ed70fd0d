// Pure pieces of the configuration: the rules that span several variables (the production profile refuses to start
// on any), and how the helpdesk variables map to the configuration. config.ts stays the one reader of the environment.
import {
  CHANNEL_ENDPOINT_VARS,
  FETCHED_ENDPOINT_VARS,
  type HelpdeskConfig,
  LOOPBACK_HTTP,
  type LoadOptions,
} from './config-model.js';
import type { Lang } from './i18n/i18n.js';

type Env = Record<string, string | undefined>;

type HelpdeskEnv = {
  HELPDESK_LANGUAGE: Lang;
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
  const sn = ['SERVICENOW_INSTANCE_URL', 'SERVICENOW_USER', 'SERVICENOW_PASSWORD'].filter((n) => env[n]);
  if (sn.length > 0 && sn.length < 3)
    for (const name of ['SERVICENOW_INSTANCE_URL', 'SERVICENOW_USER', 'SERVICENOW_PASSWORD'].filter((n) => !env[n]))
      problems.push(`${name} is required when any SERVICENOW_* variable is set`);
  return problems;
}

/** Calls need their three settings; the default office phone policy needs calls (or an explicit other policy). */
export function callProblems(env: Env): string[] {
  if (env.ACS_CALL_FROM)
    return ['ACS_RESOURCE_ID', 'ACS_COGNITIVE_SERVICES_ENDPOINT']
      .filter((name) => !env[name])
      .map((name) => `${name} is required when ACS_CALL_FROM is set (calls that read a code aloud)`);
  if ((env.OFFICE_PHONE_POLICY ?? 'verify-by-call') !== 'verify-by-call') return [];
  return [
    'OFFICE_PHONE_POLICY=verify-by-call (the default) proves office phones by a call: set ACS_CALL_FROM, ACS_RESOURCE_ID and ACS_COGNITIVE_SERVICES_ENDPOINT, or set OFFICE_PHONE_POLICY=directory',
  ];
}

/** Rules that span several variables. Checked on the raw values so they are reported together with field errors. */
export function crossFieldProblems(env: Env, options: LoadOptions): string[] {
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
  problems.push(...helpdeskProblems(env), ...callProblems(env));
  // The step-up app registration may be the bot's own; then the bot's secret is reused.
  const ownCredential = env.ENTRA_CLIENT_SECRET || env.ENTRA_CLIENT_CERTIFICATE_PATH;
  if (env.ENTRA_CLIENT_ID && env.ENTRA_CLIENT_ID !== env.MicrosoftAppId && !ownCredential) {
    problems.push(
      'ENTRA_CLIENT_SECRET or ENTRA_CLIENT_CERTIFICATE_PATH is required when ENTRA_CLIENT_ID differs from MicrosoftAppId',
    );
  }
  if (!ownCredential && !env.MicrosoftAppPassword && appType === 'UserAssignedMSI') {
    problems.push(
      'ENTRA_CLIENT_SECRET or ENTRA_CLIENT_CERTIFICATE_PATH is required when the bot has no MicrosoftAppPassword (UserAssignedMSI)',
    );
  }
  if (env.STORAGE === 'blob' && !env.BLOB_CONNECTION_STRING) {
    problems.push('BLOB_CONNECTION_STRING is required when STORAGE=blob');
  }
  return problems;
}
