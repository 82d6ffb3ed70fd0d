// The Slack wing of the configuration: its variables, their schema and messages, and how they become SlackConfig.
// Two ways to hold the bot's token: SLACK_BOT_TOKEN (one workspace, the simple mode), or OAuth installs
// (SLACK_STATE_SECRET with the app's client id and secret): every workspace or Enterprise Grid org that installs the
// app through /slack/install gets its own token, kept encrypted (SLACK_TOKEN_KEY), for the ids SLACK_ALLOWED_WORKSPACES
// lists only.
import { z } from 'zod';
import { SANDBOX_SLACK_HELPDESK_CHANNEL, SANDBOX_SLACK_TEAM, type SlackConfig } from './config-model.js';

type Env = Record<string, string | undefined>;

const workspaceId = /^[TE][A-Z0-9]{2,}$/;

export const SLACK_VARS = {
  SLACK_SIGNING_SECRET: z.string().trim().min(16, "must be the app's signing secret").optional(),
  SLACK_BOT_TOKEN: z
    .string()
    .trim()
    .regex(/^xoxb-[\w-]+$/, 'must be a bot token (xoxb-…)')
    .optional(),
  SLACK_APP_TOKEN: z
    .string()
    .trim()
    .regex(/^xapp-[\w-]+$/, 'must be an app-level token (xapp-…)')
    .optional(),
  SLACK_API_URL: z.string().trim().url('must be a URL').optional(),
  SLACK_API_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(1000, 'must be at least 1000')
    .max(60_000, 'must be at most 60000')
    .optional(),
  SLACK_CLIENT_ID: z.string().trim().min(1).optional(),
  SLACK_CLIENT_SECRET: z.string().trim().min(1).optional(),
  SLACK_OIDC_URL: z.string().trim().url('must be a URL').optional(),
  SLACK_HELPDESK_CHANNEL: z
    .string()
    .trim()
    .regex(/^[CG][A-Z0-9]{2,}$/, "must be a Slack channel id (C… or G…), not the channel's name")
    .optional(),
  SLACK_STATE_SECRET: z.string().trim().min(32, 'must be at least 32 characters (a random secret)').optional(),
  SLACK_TOKEN_KEY: z
    .string()
    .trim()
    .refine(
      (v) => Buffer.from(v, 'base64').length === 32,
      'must be 32 random bytes in base64 (openssl rand -base64 32)',
    )
    .optional(),
  SLACK_ALLOWED_WORKSPACES: z
    .string()
    .trim()
    .refine(
      (v) => v.split(',').every((id) => workspaceId.test(id.trim())),
      'must be a comma-separated list of workspace (T…) and Enterprise Grid org (E…) ids',
    )
    .optional(),
  SLACK_HELPDESK_WORKSPACE: z
    .string()
    .trim()
    .regex(workspaceId, 'must be the id of the workspace (T…) or Grid org (E…) that has SLACK_HELPDESK_CHANNEL')
    .optional(),
};

type SlackEnv = { [K in Exclude<keyof typeof SLACK_VARS, 'SLACK_API_TIMEOUT_MS'>]?: string } & {
  SLACK_API_TIMEOUT_MS?: number;
};

interface SandboxSlack {
  apiUrl: string;
  signIn: NonNullable<SlackConfig['signIn']>;
}

export function slackFrom(e: SlackEnv, sandbox?: SandboxSlack): SlackConfig | undefined {
  if (!e.SLACK_SIGNING_SECRET || !(e.SLACK_BOT_TOKEN || e.SLACK_STATE_SECRET)) return undefined;
  const sandboxApiUrl = sandbox?.apiUrl;
  const signIn =
    e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET
      ? {
          clientId: e.SLACK_CLIENT_ID,
          clientSecret: e.SLACK_CLIENT_SECRET,
          baseUrl: (e.SLACK_OIDC_URL ?? 'https://slack.com').replace(/\/+$/, ''),
        }
      : sandbox?.signIn;
  const installs =
    !e.SLACK_BOT_TOKEN && e.SLACK_STATE_SECRET && e.SLACK_TOKEN_KEY && signIn
      ? {
          clientId: signIn.clientId,
          clientSecret: signIn.clientSecret,
          stateSecret: e.SLACK_STATE_SECRET,
          tokenKey: Buffer.from(e.SLACK_TOKEN_KEY, 'base64'),
          allowed: new Set(
            (e.SLACK_ALLOWED_WORKSPACES ?? '')
              .split(',')
              .map((id) => id.trim())
              .filter(Boolean),
          ),
          // Slack's web host, the Web API's (https://slack.com/oauth/v2/authorize; the sandbox's simulator serves both).
          authorizeUrl: new URL(
            '/oauth/v2/authorize',
            e.SLACK_API_URL ?? sandboxApiUrl ?? 'https://slack.com/api/',
          ).toString(),
          // The sandbox's helpdesk channel (C0HELPDESK) is in its own workspace.
          ...(e.SLACK_HELPDESK_WORKSPACE || sandboxApiUrl
            ? { helpdeskWorkspace: e.SLACK_HELPDESK_WORKSPACE ?? SANDBOX_SLACK_TEAM }
            : {}),
        }
      : undefined;
  return {
    ...(signIn ? { signIn } : {}),
    signingSecret: e.SLACK_SIGNING_SECRET,
    ...(e.SLACK_BOT_TOKEN ? { botToken: e.SLACK_BOT_TOKEN } : {}),
    ...(installs ? { installs } : {}),
    apiUrl: e.SLACK_API_URL ?? sandboxApiUrl ?? 'https://slack.com/api/',
    apiTimeoutMs: e.SLACK_API_TIMEOUT_MS ?? 10_000,
    ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
    simulated: !e.SLACK_API_URL && sandboxApiUrl !== undefined,
    ...(e.SLACK_HELPDESK_CHANNEL || sandboxApiUrl
      ? { helpdeskChannel: e.SLACK_HELPDESK_CHANNEL ?? SANDBOX_SLACK_HELPDESK_CHANNEL }
      : {}),
  };
}

/** Half a Slack app is a mistake worth stopping for. */
export function slackProblems(env: Env): string[] {
  if (Boolean(env.SLACK_CLIENT_ID) !== Boolean(env.SLACK_CLIENT_SECRET))
    return [
      'SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together (Sign in with Slack, which binds Slack users to Entra)',
    ];
  if (env.SLACK_OIDC_URL && !env.SLACK_OIDC_URL.startsWith('https://'))
    return ['SLACK_OIDC_URL must be an https:// URL'];
  if (env.SLACK_BOT_TOKEN && env.SLACK_STATE_SECRET)
    return [
      'SLACK_BOT_TOKEN and SLACK_STATE_SECRET exclude each other: one workspace with its token, or OAuth installs (leave SLACK_BOT_TOKEN empty)',
    ];
  if (env.SLACK_STATE_SECRET) return installProblems(env);
  const set = ['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN'].filter((n) => env[n]);
  if (set.length === 1)
    return [
      `${set[0] === 'SLACK_BOT_TOKEN' ? 'SLACK_SIGNING_SECRET' : 'SLACK_BOT_TOKEN'} is required when ${set[0]} is set (Slack needs both)`,
    ];
  return [];
}

/** OAuth installs need the whole set: who may install, where the tokens' key is, and the app's own credentials. */
function installProblems(env: Env): string[] {
  const needed: [string, string][] = [
    ['SLACK_SIGNING_SECRET', "the app's signing secret"],
    ['SLACK_TOKEN_KEY', 'the key the installed tokens are encrypted with'],
    ['SLACK_ALLOWED_WORKSPACES', 'the workspaces and Grid orgs that may install the app'],
    ['SLACK_CLIENT_ID', "the app's client id, which the OAuth install exchanges its code with"],
  ];
  const missing = needed.filter(([name]) => !env[name]);
  const problems = missing.map(([name, what]) => `${name} is required with SLACK_STATE_SECRET (${what})`);
  if (env.SLACK_HELPDESK_CHANNEL && !env.SLACK_HELPDESK_WORKSPACE)
    problems.push(
      'SLACK_HELPDESK_WORKSPACE is required with SLACK_HELPDESK_CHANNEL and SLACK_STATE_SECRET (which installation posts in that channel)',
    );
  return problems;
}
