// Who holds which mobile/alternate number, so a number registered to ANOTHER person can be refused (account takeover
// by registering a colleague's — or an attacker-controlled shared — number). Numbers never appear in storage: each
// is a keyed hash (HMAC-SHA256, key from PHONE_HASH_KEY). Learned from every security-info read and every change;
// a hit is confirmed by reading the other holder's methods from Graph right then, so a number they have since
// dropped outside the bot is forgotten instead of refused. Every check costs exactly ONE Graph read, whoever holds the
// number (the most recent other holder's methods, or — nobody else — the asker's own): how long a check takes or how
// many requests it makes must not tell a user whether a colleague holds a number. Office numbers are exempt (a
// shared desk line is normal).
import { createHmac } from 'node:crypto';
import type { PhoneType, SecurityInfo } from '../graph/auth-methods.js';
import type { Logger } from '../logging.js';
import { e164Of } from '../phone/phone-number.js';
import { RecordStore, type Retained, updateWithRetry } from '../storage/records.js';
import type { ProofupStorage } from '../storage/store.js';

export const TEXTABLE: readonly PhoneType[] = ['mobile', 'alternateMobile'];
/** A holder not seen again for this long is dropped when the record is next written (no number lives forever). */
export const HOLDER_LIFETIME_MS = 180 * 24 * 3_600_000;

interface Holders {
  holders: { oid: string; seenAt: number }[];
}

export class NumberRegistry {
  private readonly index: RecordStore<Holders>;

  constructor(
    storage: ProofupStorage,
    private readonly key: string,
    private readonly graph: { securityInfo(oid: string): Promise<SecurityInfo> },
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.index = new RecordStore(storage, 'phoneidx');
  }

  /** The keyed hash that stands for a number (E.164) in storage. */
  tag(e164: string): string {
    return createHmac('sha256', this.key).update(e164).digest('base64url');
  }

  /** Records that `oid` holds the mobile and alternate numbers of `info` (writes only what is new or stale). */
  async learn(oid: string, info: SecurityInfo): Promise<void> {
    for (const type of TEXTABLE) {
      const number = info.phones[type];
      if (number) await this.hold(oid, e164Of(number));
    }
  }

  /** `oid` now holds `e164` (after a change). */
  async hold(oid: string, e164: string): Promise<void> {
    const tag = this.tag(e164);
    const now = this.now();
    const current = (await this.index.get(tag))?.value.holders ?? [];
    const mine = current.find((h) => h.oid === oid);
    if (mine && now - mine.seenAt < 24 * 3_600_000) return; // known and fresh: no write
    await updateWithRetry(this.index, tag, (value) => ({
      holders: [
        ...(value?.holders ?? []).filter((h) => h.oid !== oid && now - h.seenAt < HOLDER_LIFETIME_MS),
        { oid, seenAt: now },
      ],
    }));
  }

  /** `oid` no longer holds `e164` (replaced or removed through the bot). */
  async release(oid: string, e164: string): Promise<void> {
    const tag = this.tag(e164);
    if (!(await this.index.get(tag))?.value.holders.some((h) => h.oid === oid)) return;
    await updateWithRetry(this.index, tag, (value) => ({
      holders: (value?.holders ?? []).filter((h) => h.oid !== oid),
    }));
  }

  /**
   * Whether someone other than `oid` holds `e164` now (never who: callers get a yes or no). One Graph read either way:
   * the most recently seen other holder is confirmed (dropped outside the bot: released; any older holder in the
   * index still counts); with no other holder, the asker's own methods are read instead, for the same cost.
   */
  async heldByAnother(oid: string, e164: string): Promise<boolean> {
    const others = ((await this.index.get(this.tag(e164)))?.value.holders ?? [])
      .filter((h) => h.oid !== oid)
      .sort((a, b) => b.seenAt - a.seenAt);
    const [latest, ...older] = others;
    let info: SecurityInfo;
    try {
      info = await this.graph.securityInfo(latest?.oid ?? oid);
    } catch (err) {
      if (!latest) return false;
      // Cannot confirm (user deleted, Graph down): the index alone decides, so a takeover is not let through.
      this.logger.warn({ err, code: 'PROOFUP_SHARED_NUMBER_UNCONFIRMED' }, 'could not re-read the other holder');
      return true;
    }
    if (!latest) return false;
    if (TEXTABLE.some((t) => info.phones[t] && e164Of(info.phones[t] as string) === e164)) return true;
    await this.release(latest.oid, e164); // they dropped it outside the bot
    return older.length > 0;
  }
}

/** The shared-number index (src/retention.ts collects it). */
export const NUMBER_INDEX_RECORDS: readonly Retained[] = [
  {
    prefix: 'phoneidx/',
    lifetimeMs: HOLDER_LIFETIME_MS,
    holds: 'shared-number index: keyed hash of a number and the oids holding it',
  },
];
