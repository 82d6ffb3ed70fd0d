import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import type { Logger } from '../logging.js';
import type { HttpsClient } from './https-client.js';

export interface ConfidentialClientOptions {
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

/** msal-node's ConfidentialClientApplication for our tenant, over our HTTPS client, logging without PII. */
export function createConfidentialClient(
  options: ConfidentialClientOptions,
  http: HttpsClient,
  logger: Logger,
): ConfidentialClientApplication {
  const log = logger.child({ component: 'msal' });
  return new ConfidentialClientApplication({
    auth: {
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      authority: `${options.authorityHost}/${options.tenantId}`,
      // The authority host is trusted as configured (public or sovereign cloud, or the sandbox): no instance
      // discovery against login.microsoftonline.com.
      knownAuthorities: [new URL(options.authorityHost).host],
    },
    system: {
      networkClient: http.msalNetworkModule(),
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (level, message) => (level <= LogLevel.Error ? log.error(message) : log.warn(message)),
      },
    },
  });
}
