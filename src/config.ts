// The only module that reads process.env. Everything else receives the typed Config built here. It chooses the
// profile and composes the wings (config-<wing>.ts: bot, identity, graph, storage, messaging, helpdesk, Slack,
// readiness, network, sandbox), each with its variables, schema, error messages and mapping.
import path from 'node:path';
import { z } from 'zod';
import { BOT_VARS, botFrom, botProblems, serverFrom } from './config-bot.js';
import { COMMON_VARS } from './config-common.js';
import { optional } from './config-fields.js';
import { graphFrom, PRODUCTION_GRAPH_VARS } from './config-graph.js';
import { helpdeskFrom, helpdeskProblems } from './config-helpdesk.js';
import { IDENTITY_VARS, identityProblems, stepUpFrom } from './config-identity.js';
import { callProblems, MESSAGING_VARS, messagingFrom } from './config-messaging.js';
import { ACS_CALLS_OPENID_URL, type Config, ConfigError, type LoadOptions, type Profile } from './config-model.js';
import { networkFrom } from './config-network.js';
import { readinessFrom } from './config-readiness.js';
import { sandboxFrom, sandboxSchema } from './config-sandbox.js';
import { slackFrom, slackProblems } from './config-slack.js';
import { auditFrom, storageFrom, storageProblems } from './config-storage.js';
import { projectRoot } from './paths.js';

export { sandboxSchema };

export const productionSchema = z.object({
  ...COMMON_VARS,
  ...BOT_VARS,
  ...IDENTITY_VARS,
  ...PRODUCTION_GRAPH_VARS,
  ...MESSAGING_VARS,
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

/** Rules that span several variables, one list per wing. Checked on the raw values, reported with the field errors. */
function crossFieldProblems(env: Env, options: LoadOptions): string[] {
  return [
    ...botProblems(env, options),
    ...identityProblems(env),
    ...helpdeskProblems(env),
    ...callProblems(env),
    ...slackProblems(env),
    ...storageProblems(env),
  ];
}

export function loadConfig(rawEnv: Env = process.env, options: LoadOptions = {}): Config {
  const env = blankToUndefined(rawEnv);
  const profile = chooseProfile(env);
  const root = projectRoot();
  const paths = { root, cards: path.join(root, 'cards'), data: path.join(root, 'data') };

  if (profile === 'sandbox') {
    const parsed = sandboxSchema.safeParse(env);
    if (!parsed.success) fail(describeIssues(parsed.error, env));
    return sandboxFrom(parsed.data, env, rawEnv, paths);
  }

  const parsed = productionSchema.safeParse(env);
  const problems = [...describeIssues(parsed.error, env), ...crossFieldProblems(env, options)];
  if (!parsed.success || problems.length > 0) fail(problems);
  const e = parsed.data;
  return {
    profile,
    ...serverFrom(e, e.HOST ?? '0.0.0.0'),
    storage: storageFrom(e, paths.data),
    paths,
    bot: botFrom(e),
    stepUp: stepUpFrom(e),
    ...graphFrom(e, e.GRAPH_BASE_URL, e.PHONE_HASH_KEY),
    network: networkFrom(e),
    ...messagingFrom(e, e.PUBLIC_BASE_URL, options.callsOpenIdUrlForTests ?? ACS_CALLS_OPENID_URL),
    audit: auditFrom(e, paths.data),
    helpdeskContact: e.HELPDESK_CONTACT,
    helpdesk: helpdeskFrom(e),
    readiness: readinessFrom(e),
    ...optional('slack', slackFrom(e)),
    metricsToken: e.METRICS_TOKEN,
  };
}
