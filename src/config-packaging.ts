// Settings for `npm run package` (the Teams app zip): separate from the runtime profiles, same error reporting.
import { z } from 'zod';
import { blankToUndefined, describeIssues, fail } from './config.js';
import { guid, httpsUrl } from './config-fields.js';

type Env = Record<string, string | undefined>;

export interface PackagingConfig {
  botId: string;
  teamsAppId: string;
  publicHost: string;
  version: string;
}

export const packagingSchema = z.object({
  MicrosoftAppId: guid,
  TEAMS_APP_ID: guid.optional(),
  PUBLIC_BASE_URL: httpsUrl,
  TEAMS_APP_VERSION: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/, 'must be a semantic version like 1.0.0')
    .default('1.0.0'),
});

/** `rawEnv`: the caller's environment variables (the packaging script passes its own). */
export function loadPackagingConfig(rawEnv: Env): PackagingConfig {
  const env = blankToUndefined(rawEnv);
  const parsed = packagingSchema.safeParse(env);
  if (!parsed.success) fail(describeIssues(parsed.error, env));
  const e = parsed.data;
  return {
    botId: e.MicrosoftAppId,
    teamsAppId: e.TEAMS_APP_ID ?? e.MicrosoftAppId,
    publicHost: new URL(e.PUBLIC_BASE_URL).host,
    version: e.TEAMS_APP_VERSION,
  };
}
