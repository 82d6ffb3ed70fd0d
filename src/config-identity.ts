// The identity wing of the configuration: the step-up sign-in to Entra ID (tenant, app registration and its credential,
// authority host, the bot's public address for the redirect, the auth context and how fresh the MFA must be). In the
// sandbox the tenant is the simulated one and nothing is read.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { authContext, guid, httpsUrl } from './config-fields.js';
import { SANDBOX_CLIENT_ID, SANDBOX_TENANT_ID, type StepUpConfig } from './config-model.js';

type Env = Record<string, string | undefined>;

/** Production only. */
export const IDENTITY_VARS = {
  ENTRA_TENANT_ID: guid,
  ENTRA_CLIENT_ID: guid.optional(),
  ENTRA_CLIENT_SECRET: z.string().optional(),
  ENTRA_CLIENT_CERTIFICATE_PATH: z.string().trim().min(1).optional(),
  ENTRA_AUTHORITY_HOST: httpsUrl.default('https://login.microsoftonline.com'),
  PUBLIC_BASE_URL: httpsUrl,
  STEP_UP_AUTH_CONTEXT: authContext,
  STEP_UP_MAX_AGE_SECONDS: z.coerce.number().int().min(60).max(3600).default(600),
};

type IdentityEnv = z.infer<z.ZodObject<typeof IDENTITY_VARS>> & {
  MicrosoftAppId: string;
  MicrosoftAppPassword?: string;
};

export function stepUpFrom(e: IdentityEnv): StepUpConfig {
  return {
    tenantId: e.ENTRA_TENANT_ID,
    // The step-up app registration may be the bot's own; then the bot's secret is reused.
    clientId: e.ENTRA_CLIENT_ID ?? e.MicrosoftAppId,
    clientSecret: e.ENTRA_CLIENT_CERTIFICATE_PATH ? '' : (e.ENTRA_CLIENT_SECRET ?? e.MicrosoftAppPassword ?? ''),
    clientCertificatePath: e.ENTRA_CLIENT_CERTIFICATE_PATH,
    authorityHost: e.ENTRA_AUTHORITY_HOST.replace(/\/+$/, ''),
    publicBaseUrl: e.PUBLIC_BASE_URL.replace(/\/+$/, ''),
    authContext: e.STEP_UP_AUTH_CONTEXT,
    maxAgeSeconds: e.STEP_UP_MAX_AGE_SECONDS,
  };
}

/** The sandbox's step-up: the simulated tenant on its port, the bot on loopback. */
export function sandboxStepUp(botPort: number, entraPort: number): StepUpConfig {
  return {
    tenantId: SANDBOX_TENANT_ID,
    clientId: SANDBOX_CLIENT_ID,
    // The simulated tenant and the bot share one process: a fresh secret each start is enough.
    clientSecret: randomBytes(24).toString('base64url'),
    authorityHost: `https://127.0.0.1:${entraPort}`,
    publicBaseUrl: `http://127.0.0.1:${botPort}`,
    authContext: 'c1',
    maxAgeSeconds: 600,
  };
}

/** A credential for the step-up app: its own, or the bot's when it is the bot's registration. */
export function identityProblems(env: Env): string[] {
  const problems: string[] = [];
  const ownCredential = env.ENTRA_CLIENT_SECRET || env.ENTRA_CLIENT_CERTIFICATE_PATH;
  if (env.ENTRA_CLIENT_ID && env.ENTRA_CLIENT_ID !== env.MicrosoftAppId && !ownCredential) {
    problems.push(
      'ENTRA_CLIENT_SECRET or ENTRA_CLIENT_CERTIFICATE_PATH is required when ENTRA_CLIENT_ID differs from MicrosoftAppId',
    );
  }
  if (!ownCredential && !env.MicrosoftAppPassword && env.MicrosoftAppType === 'UserAssignedMSI') {
    problems.push(
      'ENTRA_CLIENT_SECRET or ENTRA_CLIENT_CERTIFICATE_PATH is required when the bot has no MicrosoftAppPassword (UserAssignedMSI)',
    );
  }
  return problems;
}
