// Sliding-window allowances per key ("at most N in the last hour/day"), shared by every instance: each take is a
// compare-and-set on the key's own record, so two instances cannot both take the last one. Records hold times only.
import type { Storage } from 'botbuilder';
import { RecordStore } from './records.js';
import { isConflict } from './store.js';

export class WindowCounter {
  private readonly records: RecordStore<{ sentAt: number[] }>;

  /** `prefix`: where the records live (its retention must cover `windowMs`). */
  constructor(
    storage: Storage,
    prefix: string,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.records = new RecordStore(storage, prefix);
  }

  /** Takes one from the allowance of `key`; false (and nothing taken) when `limit` were taken within the window. */
  async take(key: string, limit: number): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const found = await this.records.get(key);
      const now = this.now();
      const recent = (found?.value.sentAt ?? []).filter((t) => t > now - this.windowMs);
      if (recent.length >= limit) return false;
      try {
        await this.records.put(key, { sentAt: [...recent, now] }, found?.eTag);
        return true;
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
    }
    return false;
  }
}
