// Runs every so often on every instance: ends flows idle for 15 minutes (telling their chat), resumes outboxes whose
// deliverer went away, removes tombstones after a day and every other record an hour after its lifetime (retention.ts). Every action is a normal
// compare-and-set transition, so two instances sweeping at once do each thing once.
import { IDLE_LIMIT_MS } from '../flow/flow.js';
import type { Logger } from '../logging.js';
import type { Retained } from '../storage/records.js';
import type { ProofupStorage } from '../storage/store.js';
import type { FlowRunner } from './flow-runner.js';
import type { FlowStore } from './flow-store.js';
import { waitingForRetry } from './flow-store.js';

export const TOMBSTONE_TTL_MS = 24 * 3600_000;
/** A record is deleted this long after its lifetime: slack for clocks and a late sweep (never read after it). */
export const RETENTION_SLACK_MS = 3_600_000;

export interface SweepResult {
  expired: number;
  /** Passkey watches that re-read the person's methods in this sweep. */
  watched: number;
  resumed: number;
  purged: number;
}

export class FlowSweeper {
  constructor(
    private readonly runner: FlowRunner,
    private readonly store: FlowStore,
    private readonly storage: ProofupStorage,
    private readonly logger: Logger,
    /** Every kind of record with a lifetime (src/retention.ts collects them from the modules that write them). */
    private readonly retained: readonly Retained[] = [],
    private readonly now: () => number = Date.now,
  ) {}

  async sweep(): Promise<SweepResult> {
    const result: SweepResult = { expired: 0, resumed: 0, purged: 0, watched: 0 };
    for (const key of await this.store.keys()) {
      try {
        const found = await this.store.get(key);
        const flow = found?.value;
        if (!flow) continue;
        const now = this.now();
        if (flow.outbox.length > 0) {
          if (this.runner.leaseLapsed(key, found) && !waitingForRetry(flow, now)) {
            await this.runner.drain(key, true);
            result.resumed++;
          }
        } else if (flow.stage === 'ended') {
          if ((flow.endedAt ?? flow.updatedAt) < now - TOMBSTONE_TTL_MS) {
            await this.store.delete(key);
            result.purged++;
          }
        } else if (
          flow.stage === 'passkey' &&
          flow.passkey?.nextCheckAt !== undefined &&
          flow.passkey.nextCheckAt <= now
        ) {
          // A passkey watch is due: one re-read of the person's methods (it ends the watch when the passkey is there).
          await this.runner.handle(flow.chat, flow.address, { type: 'passkeyCheck' });
          result.watched++;
        } else if (flow.stage !== 'applying' && now - flow.updatedAt > IDLE_LIMIT_MS) {
          await this.runner.handle(flow.chat, flow.address, { type: 'expire' });
          result.expired++;
        }
      } catch (err) {
        this.logger.warn({ err }, 'sweeping one flow failed; the next sweep tries again');
      }
    }
    // Everything else that has a lifetime: gone one hour after it (see retention.ts and docs/operations.md).
    for (const { prefix, lifetimeMs } of this.retained)
      result.purged += await this.storage.purge(prefix, this.now() - lifetimeMs - RETENTION_SLACK_MS);
    return result;
  }
}
