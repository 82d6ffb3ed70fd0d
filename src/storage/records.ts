import type { Storage } from 'botbuilder';
import { isConflict } from './store.js';

/**
 * A kind of record and how long it is kept: the sweep deletes its records this long (+ 1 hour) after their last write.
 * Each module that stores a kind declares it next to the code that writes it; src/retention.ts collects them.
 */
export interface Retained {
  prefix: string;
  lifetimeMs: number;
  /** What a record of this kind holds (docs/operations.md's storage table says the same). */
  holds: string;
}

export interface Versioned<T> {
  value: T;
  eTag: string;
}

/** Typed records on a botbuilder Storage, with the eTag exposed for compare-and-set updates. */
export class RecordStore<T extends object> {
  constructor(
    private readonly storage: Storage,
    private readonly prefix: string,
  ) {}

  async get(id: string): Promise<Versioned<T> | undefined> {
    const key = this.key(id);
    const item = (await this.storage.read([key]))[key] as (T & { eTag?: string }) | undefined;
    if (!item) return undefined;
    const { eTag, ...value } = item;
    return { value: value as T, eTag: eTag ?? '*' };
  }

  /** Writes; with an eTag the write fails (eTag conflict) if someone else wrote in between. */
  async put(id: string, value: T, eTag?: string): Promise<void> {
    await this.storage.write({ [this.key(id)]: { ...value, ...(eTag ? { eTag } : {}) } });
  }

  async delete(id: string): Promise<void> {
    await this.storage.delete([this.key(id)]);
  }

  private key(id: string): string {
    return `${this.prefix}/${id}`;
  }
}

/**
 * Read-modify-write of one record under optimistic concurrency: re-reads and retries when another writer got there
 * first (eTag conflict).
 */
export async function updateWithRetry<T extends object>(
  store: RecordStore<T>,
  id: string,
  change: (current: T | undefined) => T,
  tries = 5,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const current = await store.get(id);
    const next = change(current?.value);
    try {
      await store.put(id, next, current?.eTag);
      return next;
    } catch (err) {
      if (attempt >= tries || !isConflict(err)) throw err;
    }
  }
}
