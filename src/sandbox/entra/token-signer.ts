import { randomUUID } from 'node:crypto';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

/** How to spoil the next ID token, to prove the bot refuses it. `null` in claims removes that claim. */
export interface IdTokenFault {
  signWith?: 'foreign-key' | 'alg-none';
  claims?: Record<string, unknown>;
}

/** Signs tokens as the sandbox tenant does: RS256 with a published key (kid), one hour of validity. */
export class TokenSigner {
  private kid = randomUUID();
  private key: CryptoKey | undefined;
  private foreign: CryptoKey | undefined;
  private publicJwk: JWK | undefined;

  async init(): Promise<void> {
    if (this.key) return;
    const pair = await generateKeyPair('RS256', { extractable: true });
    this.key = pair.privateKey;
    this.publicJwk = { ...(await exportJWK(pair.publicKey)), kid: this.kid, use: 'sig', kty: 'RSA', alg: 'RS256' };
    this.foreign = (await generateKeyPair('RS256')).privateKey;
  }

  jwks(): { keys: JWK[] } {
    return { keys: this.publicJwk ? [this.publicJwk] : [] };
  }

  async idToken(claims: JWTPayload, fault?: IdTokenFault): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = { iat: now, nbf: now, exp: now + 3600, uti: randomUUID(), ...claims };
    for (const [name, value] of Object.entries(fault?.claims ?? {})) {
      if (value === null) delete payload[name];
      else payload[name] = value;
    }
    if (fault?.signWith === 'alg-none') {
      const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.`;
    }
    const key = fault?.signWith === 'foreign-key' ? this.foreign : this.key;
    if (!key) throw new Error('TokenSigner.init() was not called');
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' }).sign(key);
  }

  async accessToken(claims: JWTPayload): Promise<string> {
    return this.idToken({ ...claims, ver: '1.0' });
  }
}
