// "Already processed?" for inbound deliveries (Bot Framework activity ids; Slack event ids later): a create-if-absent
// record per delivery, shared by every instance through the one store, removed by the sweep after a day.
import { createHash } from 'node:crypto';
import type { Retained } from './records.js';
import type { ProofupStorage } from './store.js';

export class DeliveryDedupe {
  constructor(private readonly storage: ProofupStorage) {}

  /** True the first time this (scope, id) is seen; false for every later delivery of it, on any instance. */
  async firstTime(scope: string, id: string): Promise<boolean> {
    return this.storage.create(this.key(scope, id), { at: Date.now() });
  }

  /** Whether this delivery was already processed to the end (marked by `processed`). */
  async seen(scope: string, id: string): Promise<boolean> {
    const key = this.key(scope, id);
    return Boolean((await this.storage.read([key]))[key]);
  }

  /** Marks a delivery processed, once its turn has ended (a crash before this leaves it to be processed again). */
  async processed(scope: string, id: string): Promise<void> {
    await this.storage.create(this.key(scope, id), { at: Date.now() });
  }

  private key(scope: string, id: string): string {
    return `seen/${createHash('sha256').update(`${scope}\n${id}`).digest('base64url')}`;
  }
}

/** Delivered ids (src/retention.ts collects it). */
export const DEDUPE_RECORDS: readonly Retained[] = [
  { prefix: 'seen/', lifetimeMs: 24 * 3_600_000, holds: 'hashes of delivered activity ids (duplicate deliveries)' },
];
