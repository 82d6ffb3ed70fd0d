// A local stand-in for the Bot Framework channel token issuer: OpenID metadata + JWKS over HTTP, and a minting
// function for channel -> bot tokens shaped like the real ones (RS256, kid, iss, aud, serviceurl, exp).
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

export interface MintOptions {
  audience?: string;
  issuer?: string;
  serviceUrl?: string;
  expiresInSeconds?: number;
  notBeforeOffsetSeconds?: number;
  /** Sign with a key the JWKS does not publish, under the published kid. */
  foreignKey?: boolean;
  claims?: Record<string, unknown>;
}

export interface BotFrameworkIssuer {
  url: string;
  metadataUrl: string;
  /** How often the signing keys were fetched (by the bot under test). */
  readonly keyFetches: number;
  mint(options?: MintOptions): Promise<string>;
  close(): Promise<void>;
}

export async function startBotFrameworkIssuer(appId: string): Promise<BotFrameworkIssuer> {
  const kid = randomUUID();
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const foreign = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };

  let url = '';
  let keyFetches = 0;
  const server: Server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') {
      res.end(
        JSON.stringify({ issuer: url, jwks_uri: `${url}/keys`, id_token_signing_alg_values_supported: ['RS256'] }),
      );
    } else if (req.url === '/keys') {
      keyFetches++;
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    metadataUrl: `${url}/.well-known/openid-configuration`,
    get keyFetches() {
      return keyFetches;
    },
    async mint(options: MintOptions = {}) {
      const now = Math.floor(Date.now() / 1000);
      const jwt = new SignJWT({ serviceurl: options.serviceUrl, ...options.claims })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(options.issuer ?? url)
        .setAudience(options.audience ?? appId)
        .setIssuedAt(now - 10)
        .setNotBefore(now - 10 + (options.notBeforeOffsetSeconds ?? 0))
        .setExpirationTime(now + (options.expiresInSeconds ?? 3600));
      return jwt.sign(options.foreignKey ? foreign.privateKey : privateKey);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** An unsigned token (alg "none") with otherwise valid claims. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
}
