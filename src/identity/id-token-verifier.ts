// msal-node does not verify ID tokens (signature, issuer, audience, lifetime): we do, with jose, against the
// tenant's published keys (from OIDC discovery; cached as the provider says, at most 1 h; refetched for an unknown kid).
import { errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { HttpsClient } from './https-client.js';
import { RemoteKeySet } from './remote-key-set.js';
import { StepUpError } from './step-up-errors.js';
import { checkStepUpClaims, type VerifiedSignIn } from './step-up-policy.js';

export interface IdTokenVerifierOptions {
  authorityHost: string;
  tenantId: string;
  clientId: string;
  authContext: string;
  maxAgeSeconds: number;
  clockSkewSeconds?: number;
  now?: () => number;
}

export function mapJoseError(err: unknown): StepUpError {
  if (err instanceof errors.JWTExpired) return new StepUpError('token-expired', { cause: err });
  if (err instanceof errors.JWTClaimValidationFailed) {
    const byClaim: Record<string, StepUpError['reason']> = {
      nbf: 'token-not-yet-valid',
      iss: 'token-issuer',
      aud: 'token-audience',
    };
    return new StepUpError(byClaim[err.claim] ?? 'token-malformed', { cause: err, detail: err.claim });
  }
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) {
    return new StepUpError('token-algorithm', { cause: err });
  }
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey) {
    return new StepUpError('token-signature', { cause: err });
  }
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid)
    return new StepUpError('token-algorithm', { cause: err });
  return new StepUpError('token-malformed', { cause: err });
}

export class IdTokenVerifier {
  private keys: JWTVerifyGetKey | undefined;
  private readonly issuer: string;

  constructor(
    private readonly http: HttpsClient,
    private readonly options: IdTokenVerifierOptions,
  ) {
    this.issuer = `${options.authorityHost}/${options.tenantId}/v2.0`;
  }

  /** `authContext`: the one this sign-in asked for, when stronger than the configured one. */
  async verify(idToken: string, nonce: string, authContext?: string): Promise<VerifiedSignIn> {
    const keys = await this.tenantKeys();
    const skew = this.options.clockSkewSeconds ?? 120;
    const now = this.options.now?.() ?? Date.now();
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(idToken, keys, {
        issuer: this.issuer,
        audience: this.options.clientId,
        algorithms: ['RS256'],
        clockTolerance: skew,
        currentDate: new Date(now),
        requiredClaims: ['exp', 'iat', 'nbf'],
      }));
    } catch (err) {
      throw mapJoseError(err);
    }
    // OIDC Core 3.1.3.7: jose accepts any `aud` that CONTAINS our client id; a token that also names other audiences
    // (or was issued to another authorized party) was not made for us alone.
    const aud = payload.aud;
    if (Array.isArray(aud) && (aud.length !== 1 || aud[0] !== this.options.clientId))
      throw new StepUpError('token-audience', { detail: 'more than one audience' });
    if (payload.azp !== undefined && payload.azp !== this.options.clientId)
      throw new StepUpError('token-audience', { detail: 'azp' });
    return checkStepUpClaims(payload, {
      tenantId: this.options.tenantId,
      nonce,
      authContext: authContext ?? this.options.authContext,
      maxAgeSeconds: this.options.maxAgeSeconds,
      nowSeconds: Math.floor(now / 1000),
      clockSkewSeconds: skew,
    });
  }

  /** The tenant's JWKS, located through discovery (the jwks_uri must be on the authority's own host). */
  private async tenantKeys(): Promise<JWTVerifyGetKey> {
    if (this.keys) return this.keys;
    const discoveryUrl = `${this.issuer}/.well-known/openid-configuration`;
    const res = await this.http.request(discoveryUrl);
    if (res.status !== 200) throw new Error(`OIDC discovery answered HTTP ${res.status}`);
    const doc = JSON.parse(res.body) as { issuer?: string; jwks_uri?: string };
    if (doc.issuer !== this.issuer)
      throw new Error(`OIDC discovery names issuer ${doc.issuer}, expected ${this.issuer}`);
    const jwksUri = new URL(doc.jwks_uri ?? '');
    if (jwksUri.origin !== new URL(this.options.authorityHost).origin) {
      throw new Error(`OIDC discovery points keys at another host: ${jwksUri.origin}`);
    }
    this.keys = new RemoteKeySet(jwksUri, this.http, this.options.now).getKey;
    return this.keys;
  }
}
