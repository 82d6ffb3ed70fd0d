// The identity provider's signing keys (JWKS) for jose, cached as the provider says (Cache-Control max-age) but never
// longer than an hour: a key Entra withdraws (rotated after a compromise) stops being trusted within the hour, not a
// day later. An unknown kid refetches at once (at most every 30 s), so a NEW key works immediately.
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { HttpsClient } from './https-client.js';

export const MAX_KEY_CACHE_MS = 3_600_000;
const COOLDOWN_MS = 30_000;

/** Seconds of `max-age` (or `s-maxage`) in a Cache-Control header; 0 for no-store/no-cache; undefined if absent. */
export function cacheSeconds(header: string | undefined): number | undefined {
  if (!header) return undefined;
  if (/\b(no-store|no-cache)\b/i.test(header)) return 0;
  const m = /\b(?:s-maxage|max-age)\s*=\s*"?(\d+)/i.exec(header);
  return m ? Number(m[1]) : undefined;
}

export class RemoteKeySet {
  private local: ReturnType<typeof createLocalJWKSet> | undefined;
  private expiresAt = 0;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly url: URL,
    private readonly http: HttpsClient,
    private readonly now: () => number = Date.now,
  ) {}

  /** For jose's jwtVerify. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    if (!this.local || this.now() >= this.expiresAt) await this.refresh();
    try {
      return await (this.local as ReturnType<typeof createLocalJWKSet>)(header, token);
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey) || this.now() - this.fetchedAt < COOLDOWN_MS) throw err;
      await this.refresh();
      return (this.local as ReturnType<typeof createLocalJWKSet>)(header, token);
    }
  };

  private refresh(): Promise<void> {
    this.pending ??= this.fetch().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetch(): Promise<void> {
    const res = await this.http.request(this.url.toString());
    if (res.status !== 200) throw new Error(`signing keys answered HTTP ${res.status}`);
    const jwks = JSON.parse(res.body) as JSONWebKeySet;
    if (!Array.isArray(jwks?.keys)) throw new Error('signing keys: not a JWKS');
    this.local = createLocalJWKSet(jwks);
    const seconds = cacheSeconds(res.headers['cache-control']);
    const now = this.now();
    this.fetchedAt = now;
    this.expiresAt = now + Math.min(seconds === undefined ? MAX_KEY_CACHE_MS : seconds * 1000, MAX_KEY_CACHE_MS);
  }
}
