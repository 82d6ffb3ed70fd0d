// ACS Call Automation signs every mid-call webhook event with a JWT in the Authorization header (5-minute lifetime),
// issued by the Call Automation service for the ACS resource: we check it as Microsoft documents ("secure webhook
// endpoint"): OpenID configuration → its keys, RS256 signature, issuer, audience = the resource's immutable id,
// lifetime. Anything else is refused before any event is read.
import { jwtVerify } from 'jose';
import type { HttpsClient } from '../identity/https-client.js';
import { RemoteKeySet } from '../identity/remote-key-set.js';

export class CallEventRejected extends Error {}

interface Discovery {
  issuer: string;
  keys: RemoteKeySet;
  fetchedAt: number;
}

const DISCOVERY_CACHE_MS = 3_600_000;

export class CallEventVerifier {
  private discovery: Discovery | undefined;

  constructor(
    private readonly http: HttpsClient,
    private readonly options: { openIdConfigUrl: string; audience: string; now?: () => number },
  ) {}

  /** Resolves when the request carries a valid Call Automation token for our resource; throws CallEventRejected. */
  async verify(authorization: string | undefined): Promise<void> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw new CallEventRejected('no bearer token');
    const { issuer, keys } = await this.discover();
    const now = this.options.now?.() ?? Date.now();
    try {
      await jwtVerify(token, keys.getKey, {
        issuer,
        audience: this.options.audience,
        algorithms: ['RS256'],
        clockTolerance: 60,
        currentDate: new Date(now),
        requiredClaims: ['exp'],
      });
    } catch (err) {
      throw new CallEventRejected(`token refused: ${(err as Error).message}`);
    }
  }

  private async discover(): Promise<Discovery> {
    const now = this.options.now?.() ?? Date.now();
    if (this.discovery && now - this.discovery.fetchedAt < DISCOVERY_CACHE_MS) return this.discovery;
    const res = await this.http.request(this.options.openIdConfigUrl);
    if (res.status !== 200) throw new Error(`Call Automation OpenID configuration answered ${res.status}`);
    const doc = JSON.parse(res.body) as { issuer?: unknown; jwks_uri?: unknown };
    if (typeof doc.issuer !== 'string' || typeof doc.jwks_uri !== 'string')
      throw new Error('Call Automation OpenID configuration has no issuer or jwks_uri');
    this.discovery = { issuer: doc.issuer, keys: new RemoteKeySet(new URL(doc.jwks_uri), this.http), fetchedAt: now };
    return this.discovery;
  }
}
