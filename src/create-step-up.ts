import type { Storage } from 'botbuilder';
import type { Config } from './config.js';
import { HttpsClient } from './identity/https-client.js';
import { IdTokenVerifier } from './identity/id-token-verifier.js';
import { SignInClient } from './identity/sign-in-client.js';
import type { SlackBindings } from './identity/slack-bindings.js';
import { SlackIdentity } from './identity/slack-identity.js';
import { StepUpService } from './identity/step-up-service.js';
import type { Logger } from './logging.js';

/**
 * Builds the step-up from configuration. `extraCaPem` trusts one more CA (the sandbox's own certificate);
 * `slackBindings` is where Slack users are bound (used when Sign in with Slack is configured).
 */
export function createStepUpService(
  config: Config,
  storage: Storage,
  logger: Logger,
  slackBindings: SlackBindings,
  extraCaPem?: string,
): StepUpService {
  const s = config.stepUp;
  const http = new HttpsClient({ extraCaPem, proxy: config.network.proxy });
  const signIn = new SignInClient(
    {
      authorityHost: s.authorityHost,
      tenantId: s.tenantId,
      clientId: s.clientId,
      clientSecret: s.clientSecret,
      clientCertificatePath: s.clientCertificatePath,
      redirectUri: `${s.publicBaseUrl}/auth/callback`,
      authContext: s.authContext,
      maxAgeSeconds: s.maxAgeSeconds,
    },
    http,
    logger,
  );
  const verifier = new IdTokenVerifier(http, {
    authorityHost: s.authorityHost,
    tenantId: s.tenantId,
    clientId: s.clientId,
    authContext: s.authContext,
    maxAgeSeconds: s.maxAgeSeconds,
  });
  return new StepUpService({
    storage,
    signIn,
    verifier,
    profile: config.profile,
    publicBaseUrl: s.publicBaseUrl,
    maxAgeSeconds: s.maxAgeSeconds,
    ...(config.slack?.signIn
      ? {
          slack: {
            identity: new SlackIdentity(http, {
              ...config.slack.signIn,
              redirectUri: `${s.publicBaseUrl}/auth/slack/callback`,
              onRevokeFailed: (reason) =>
                logger.warn(
                  { code: 'PROOFUP_SLACK_REVOKE_FAILED', reason },
                  'Slack did not confirm the revocation of a Sign in with Slack user token',
                ),
            }),
            bindings: slackBindings,
          },
        }
      : {}),
  });
}
