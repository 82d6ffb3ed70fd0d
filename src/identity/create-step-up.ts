import type { Storage } from 'botbuilder';
import type { Config } from '../config.js';
import type { Logger } from '../logging.js';
import { HttpsClient } from './https-client.js';
import { IdTokenVerifier } from './id-token-verifier.js';
import { SignInClient } from './sign-in-client.js';
import { SlackBindings } from './slack-bindings.js';
import { SlackIdentity } from './slack-identity.js';
import { StepUpService } from './step-up-service.js';

/** Builds the step-up from configuration. `extraCaPem` trusts one more CA (the sandbox's own certificate). */
export function createStepUpService(
  config: Config,
  storage: Storage,
  logger: Logger,
  extraCaPem?: string,
): StepUpService {
  const s = config.stepUp;
  const http = new HttpsClient({ extraCaPem });
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
            }),
            bindings: new SlackBindings(storage),
          },
        }
      : {}),
  });
}
