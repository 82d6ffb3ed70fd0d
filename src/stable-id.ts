// Ids derived from what they name: the same input gives the same UUID-shaped id (a ticket's Idempotency-Key, an ACS
// Repeatability-Request-Id), so work redone after a crash is recognised as the same work by whoever receives it.
import { createHash } from 'node:crypto';

/** A stable UUID-shaped id for `purpose` + `seed` (SHA-256; not a secret, not reversible to anything secret). */
export function stableUuid(purpose: string, seed: string): string {
  const h = createHash('sha256').update(`${purpose}\n${seed}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
