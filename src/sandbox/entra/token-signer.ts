import { randomUUID } from 'node:crypto';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

/** How to spoil the next ID token, to prove the bot refuses it. `null` in claims removes that claim. */
export interface IdTokenFault {
  /** retired-key: the key published before the last rotate() (withdrawn from the JWKS, e.g. after a compromise). */
  signWith?: 'foreign-key' | 'alg-none' | 'retired-key';
  claims?: Record<string, unknown>;
}

/** Signs tokens as the sandbox tenant does: RS256 with a published key (kid), one hour of validity. */
export class TokenSigner {
  private kid = randomUUID();
  private key: CryptoKey | undefined;
  private foreign: CryptoKey | undefined;
  private publicJwk: JWK | undefined;
  private retired: { key: CryptoKey; kid: string } | undefined;

  async init(): Promise<void> {
    if (this.key) return;
    const pair = await generateKeyPair('RS256', { extractable: true });
    this.key = pair.privateKey;
    this.publicJwk = { ...(await exportJWK(pair.publicKey)), kid: this.kid, use: 'sig', kty: 'RSA', alg: 'RS256' };
    this.foreign = (await generateKeyPair('RS256')).privateKey;
  }

  /** A new signing key replaces the published one (as Entra rolls keys, or withdraws a compromised one). */
  async rotate(): Promise<void> {
    if (this.key) this.retired = { key: this.key, kid: this.kid };
    this.key = undefined;
    this.kid = randomUUID();
    await this.init();
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
    const retired = fault?.signWith === 'retired-key' ? this.retired : undefined;
    const key = retired?.key ?? (fault?.signWith === 'foreign-key' ? this.foreign : this.key);
    if (!key) throw new Error('TokenSigner.init() was not called');
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: retired?.kid ?? this.kid, typ: 'JWT' })
      .sign(key);
  }

  async accessToken(claims: JWTPayload): Promise<string> {
    return this.idToken({ ...claims, ver: '1.0' });
  }
}
