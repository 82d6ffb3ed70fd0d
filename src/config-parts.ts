// The rules that span several variables (the production profile refuses to start on any; each wing brings its own),
// and the sandbox's key file. config.ts stays the one reader of the environment.

import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { helpdeskProblems } from './config-helpdesk.js';
import { callProblems } from './config-messaging.js';
import { CHANNEL_ENDPOINT_VARS, FETCHED_ENDPOINT_VARS, LOOPBACK_HTTP, type LoadOptions } from './config-model.js';
import { slackProblems } from './config-slack.js';

type Env = Record<string, string | undefined>;

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
  problems.push(...helpdeskProblems(env), ...callProblems(env), ...slackProblems(env));
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
