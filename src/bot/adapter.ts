import { randomUUID } from 'node:crypto';
import {
  type Activity,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import type {
  AuthenticateRequestResult,
  BotFrameworkAuthentication,
  ServiceClientCredentialsFactory,
} from 'botframework-connector';
import type { Config } from '../config.js';
import { isAppError } from '../errors.js';
import type { Logger } from '../logging.js';
import { turnLogger } from './turn-logger.js';

/**
 * Inbound authentication: production validates Bot Framework JWTs with the configured (or public-cloud) endpoints;
 * the sandbox is anonymous. Outbound credentials come from the factory given (tests pass an offline one).
 */
export function createBotAuthentication(
  config: Config,
  credentialsFactory?: ServiceClientCredentialsFactory,
): BotFrameworkAuthentication {
  if (config.profile === 'sandbox') return new ConfigurationBotFrameworkAuthentication({});
  const settings = config.bot.frameworkSettings;
  const factory =
    credentialsFactory ??
    new ConfigurationServiceClientCredentialFactory({
      MicrosoftAppId: settings.MicrosoftAppId,
      MicrosoftAppPassword: settings.MicrosoftAppPassword,
      MicrosoftAppType: settings.MicrosoftAppType,
      MicrosoftAppTenantId: settings.MicrosoftAppTenantId,
    });
  return new ConfigurationBotFrameworkAuthentication(settings, factory);
}

/**
 * CloudAdapter split in two steps so the HTTP edge can answer every rejected token with 401: CloudAdapter.process()
 * answers 500 when the JWT library throws something other than AuthenticationError (e.g. a wrong signing key).
 */
export class ProofupAdapter extends CloudAdapter {
  authenticate(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
  }

  processAuthenticated(
    result: AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(result, activity, logic);
  }
}

/** The adapter with one exit for turn errors: log the code with ids, tell the user something true, change nothing. */
export function createAdapter(auth: BotFrameworkAuthentication, logger: Logger): ProofupAdapter {
  const adapter = new ProofupAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    const ref = randomUUID().slice(0, 8);
    const log = turnLogger(context, logger);
    log.error(
      {
        err: error,
        code: isAppError(error) ? error.code : 'PROOFUP_TURN_FAILED',
        ref,
        activityId: context.activity.id,
        conversationId: context.activity.conversation?.id,
        activityType: context.activity.type,
      },
      'turn failed',
    );
    try {
      await context.sendActivity(
        `Sorry, something went wrong on our side and nothing was changed. Please try again in a minute; ` +
          `if it keeps happening, contact the helpdesk and mention reference ${ref}.`,
      );
    } catch (sendError) {
      log.error({ err: sendError, ref }, 'could not tell the user about the failed turn');
    }
  };
  return adapter;
}
