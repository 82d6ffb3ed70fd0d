import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import type { Logger } from '../logging.js';
import type { HttpsClient } from './https-client.js';

export interface ConfidentialClientOptions {
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** PEM file with the private key and the certificate; preferred over the secret when set. */
  clientCertificatePath?: string;
}

/** msal-node's certificate credential from one PEM file: private key, SHA-256 thumbprint and x5c. */
export function certificateCredential(pemFile: string): { privateKey: string; thumbprintSha256: string; x5c: string } {
  const pem = readFileSync(pemFile, 'utf8');
  const privateKey = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(
    pem,
  )?.[0];
  const certificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  if (!privateKey || !certificate) throw new Error(`${pemFile} must hold a private key and a certificate (PEM)`);
  const der = new X509Certificate(certificate).raw;
  return { privateKey, thumbprintSha256: createHash('sha256').update(der).digest('hex'), x5c: der.toString('base64') };
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
      ...(options.clientCertificatePath
        ? { clientCertificate: certificateCredential(options.clientCertificatePath) }
        : { clientSecret: options.clientSecret }),
      authority: `${options.authorityHost}/${options.tenantId}`,
      // The authority host is trusted as configured (public or sovereign cloud, or the sandbox): no instance
      // discovery against login.microsoftonline.com.
      knownAuthorities: [new URL(options.authorityHost).host],
    },
    system: {
      networkClient: http.msalNetworkModule(log),
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (level, message) => (level <= LogLevel.Error ? log.error(message) : log.warn(message)),
      },
    },
  });
}
