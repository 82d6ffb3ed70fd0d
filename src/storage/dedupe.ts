// "Already processed?" for inbound deliveries (Bot Framework activity ids; Slack event ids later): a create-if-absent
// record per delivery, shared by every instance through the one store, removed by the sweep after a day.
import { createHash } from 'node:crypto';
import type { ProofupStorage } from './store.js';

export class DeliveryDedupe {
  constructor(private readonly storage: ProofupStorage) {}

  /** True the first time this (scope, id) is seen; false for every later delivery of it, on any instance. */
  async firstTime(scope: string, id: string): Promise<boolean> {
    const digest = createHash('sha256').update(`${scope}\n${id}`).digest('base64url');
    return this.storage.create(`seen/${digest}`, { at: Date.now() });
  }
}
