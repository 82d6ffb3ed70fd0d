// Whether another instance's lease on a flow has lapsed, judged by THIS process's own elapsed time: the record has not
// changed (same eTag) for a whole lease period since this instance first saw it so. A deliverer renews its lease by
// writing, so it changes the eTag; the wall-clock time in `lease.until` was written by another machine and is never
// compared with this one's (a clock minutes ahead would take over a flow mid-write).
import type { Flow } from '../flow/flow.js';
import type { Versioned } from '../storage/records.js';

export class LeaseWatch {
  /** When this instance first saw each flow's record at its current version while someone held its lease. */
  private readonly sightings = new Map<string, { eTag: string; at: number }>();

  constructor(
    private readonly leaseMs: number,
    private readonly monotonic: () => number,
  ) {}

  lapsed(key: string, found: Versioned<Flow>): boolean {
    if (!found.value.lease) {
      this.sightings.delete(key);
      return true;
    }
    const seen = this.sightings.get(key);
    const now = this.monotonic();
    if (!seen || seen.eTag !== found.eTag) {
      this.sightings.set(key, { eTag: found.eTag, at: now });
      return false;
    }
    return now - seen.at >= this.leaseMs;
  }
}
