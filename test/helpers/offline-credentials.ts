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

  async createCredentials(appId: string, audience: string | undefined): Promise<ServiceClientCredentials> {
    if (appId !== this.appId) throw new Error(`unknown app id ${appId}`);
    const mint = () =>
      new SignJWT({ appid: appId })
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer(this.issuer)
        .setAudience(audience ?? 'https://api.botframework.com')
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(this.privateKey);
    return {
      signRequest: async <T>(request: T): Promise<T> => {
        (request as WebResourceLike).headers.set('authorization', `Bearer ${await mint()}`);
        return request;
      },
    } as ServiceClientCredentials;
  }
}
