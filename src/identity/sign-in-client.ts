// The OAuth 2.0 authorization-code flow with PKCE, through msal-node's ConfidentialClientApplication.
import { type ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node';
import type { Logger } from '../logging.js';
import { createConfidentialClient } from './confidential-client.js';
import type { HttpsClient } from './https-client.js';
import { StepUpError } from './step-up-errors.js';

export interface SignInClientOptions {
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  clientCertificatePath?: string;
  redirectUri: string;
  authContext: string;
  maxAgeSeconds: number;
}

const SCOPES = ['openid', 'profile'];

export class SignInClient {
  private readonly cca: ConfidentialClientApplication;
  private readonly crypto = new CryptoProvider();

  constructor(
    private readonly options: SignInClientOptions,
    http: HttpsClient,
    logger: Logger,
  ) {
    this.cca = createConfidentialClient(options, http, logger);
  }

  pkce(): Promise<{ verifier: string; challenge: string }> {
    return this.crypto.generatePkceCodes();
  }

  /** The sign-in URL: fresh MFA via the authentication context, max_age, prompt=login, state, nonce, PKCE. */
  async authorizationUrl(params: {
    state: string;
    nonce: string;
    codeChallenge: string;
    loginHint?: string;
    /** The language of the request (BCP 47, e.g. "de-DE"): Entra shows its sign-in pages in it (`ui_locales`). */
    uiLocales?: string;
    /** A stronger auth context than the configured one, for this sign-in only (helpdesk Temporary Access Passes). */
    authContext?: string;
  }): Promise<string> {
    const url = await this.cca.getAuthCodeUrl({
      scopes: SCOPES,
      redirectUri: this.options.redirectUri,
      responseMode: 'query',
      state: params.state,
      nonce: params.nonce,
      codeChallenge: params.codeChallenge,
      codeChallengeMethod: 'S256',
      prompt: 'login',
      loginHint: params.loginHint,
      claims: JSON.stringify({
        id_token: { acrs: { essential: true, value: params.authContext ?? this.options.authContext } },
      }),
      extraQueryParameters: {
        max_age: String(this.options.maxAgeSeconds),
        ...(params.uiLocales ? { ui_locales: params.uiLocales } : {}),
      },
    });
    // Defence in depth: whatever MSAL builds, we only ever send the browser to the configured authority.
    const expected = `${this.options.authorityHost}/${this.options.tenantId}/`;
    if (!url.startsWith(expected))
      throw new Error(`sign-in URL is not on the configured authority (${new URL(url).origin})`);
    return url;
  }

  /** Redeems the code; returns the raw ID token, which the caller MUST verify (msal-node does not). */
  async redeem(params: { code: string; state: string; nonce: string; codeVerifier: string }): Promise<string> {
    try {
      const result = await this.cca.acquireTokenByCode(
        {
          code: params.code,
          scopes: SCOPES,
          redirectUri: this.options.redirectUri,
          codeVerifier: params.codeVerifier,
          state: params.state,
          nonce: params.nonce,
        },
        { code: params.code, state: params.state },
      );
      if (!result?.idToken) throw new StepUpError('token-malformed', { detail: 'no id_token in the response' });
      // Keep nothing: the bot needs the verified claims once, not a token cache of everyone who signed in.
      if (result.account) await this.cca.getTokenCache().removeAccount(result.account);
      return result.idToken;
    } catch (err) {
      if (err instanceof StepUpError) throw err;
      const code = (err as { errorCode?: string }).errorCode ?? '';
      if (code === 'nonce_mismatch') throw new StepUpError('token-nonce', { cause: err });
      if (code === 'temporarily_unavailable') {
        const seconds = /retry after (\d+) s/.exec((err as Error).message)?.[1] ?? '0';
        throw new StepUpError('sign-in-busy', {
          cause: err,
          detail: `retry after ${seconds} s`,
          retryAfterSeconds: Number(seconds),
        });
      }
      throw new StepUpError('sign-in-error', { cause: err, detail: code || (err as Error).message });
    }
  }
}
