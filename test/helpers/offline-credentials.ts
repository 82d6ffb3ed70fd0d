// Outbound credentials that work offline: instead of asking Entra (login.microsoftonline.com) for a client-credential
// token, sign one locally with a key the capturing connector trusts. Same interface as botbuilder's factories.

import type { ServiceClientCredentials } from 'botframework-connector';
import { ServiceClientCredentialsFactory } from 'botframework-connector';
import { type CryptoKey, generateKeyPair, SignJWT } from 'jose';

type WebResourceLike = { headers: { set(name: string, value: string): void } };

export class OfflineCredentialsFactory extends ServiceClientCredentialsFactory {
  readonly issuer = 'https://login.offline.test/botframework.com';

  private constructor(
    private readonly appId: string,
    private readonly privateKey: CryptoKey,
    readonly publicKey: CryptoKey,
  ) {
    super();
  }

  static async create(appId: string): Promise<OfflineCredentialsFactory> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    return new OfflineCredentialsFactory(appId, privateKey, publicKey);
  }

  async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.appId;
  }

  async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }

  /** Like MSAL's token cache in production: one token per audience, reused until shortly before it expires. */
  private readonly cache = new Map<string, { token: Promise<string>; until: number }>();

  async createCredentials(appId: string, audience: string | undefined): Promise<ServiceClientCredentials> {
    if (appId !== this.appId) throw new Error(`unknown app id ${appId}`);
    const aud = audience ?? 'https://api.botframework.com';
    const mint = () => {
      const cached = this.cache.get(aud);
      if (cached && cached.until > Date.now()) return cached.token;
      const token = this.sign(appId, aud);
      this.cache.set(aud, { token, until: Date.now() + 5 * 60_000 });
      return token;
    };
    return {
      signRequest: async <T>(request: T): Promise<T> => {
        (request as WebResourceLike).headers.set('authorization', `Bearer ${await mint()}`);
        return request;
      },
    } as ServiceClientCredentials;
  }

  private sign(appId: string, audience: string): Promise<string> {
    return new SignJWT({ appid: appId })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(this.issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(this.privateKey);
  }
}
