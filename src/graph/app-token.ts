import type { ConfidentialClientApplication } from '@azure/msal-node';
import { ErrorCodes } from '../errors.js';
import { createConfidentialClient } from '../identity/confidential-client.js';
import type { HttpsClient } from '../identity/https-client.js';
import type { Logger } from '../logging.js';
import { GraphError } from './graph-error.js';

export interface AppTokenOptions {
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  clientCertificatePath?: string;
  /** e.g. https://graph.microsoft.com */
  resource: string;
}

/** The app registration's credentials (the step-up's) for an app-only token to `resource`. */
export function appTokenOptions(
  app: Pick<AppTokenOptions, 'authorityHost' | 'tenantId' | 'clientId' | 'clientSecret' | 'clientCertificatePath'>,
  resource: string,
): AppTokenOptions {
  const { authorityHost, tenantId, clientId, clientSecret, clientCertificatePath } = app;
  return { authorityHost, tenantId, clientId, clientSecret, clientCertificatePath, resource };
}

/** App-only token for Graph through msal-node's client-credential flow (msal caches it until near expiry). */
export class AppTokenProvider {
  private readonly cca: ConfidentialClientApplication;

  constructor(
    private readonly options: AppTokenOptions,
    http: HttpsClient,
    logger: Logger,
  ) {
    this.cca = createConfidentialClient(options, http, logger);
  }

  token = async (): Promise<string> => {
    try {
      const result = await this.cca.acquireTokenByClientCredential({ scopes: [`${this.options.resource}/.default`] });
      if (!result?.accessToken) throw new Error('no access token in the response');
      return result.accessToken;
    } catch (err) {
      const detail = (err as { errorCode?: string }).errorCode ?? (err as Error).message;
      throw new GraphError(ErrorCodes.GRAPH_AUTH_FAILED, 0, detail, undefined, `app token: ${detail}`, { cause: err });
    }
  };
}
