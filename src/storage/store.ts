import type { Storage, StoreItems } from 'botbuilder';
import { AppError, ErrorCodes, isAppError } from '../errors.js';

/**
 * botbuilder Storage plus what the flow core needs on ONE record at a time: compare-and-set writes (eTag, typed
 * conflicts), create-if-absent (dedupe records), listing by key prefix (active flows are found by a query, not by an
 * index record every user rewrites), purging old records, a readiness probe and a clean close.
 */
export interface ProofupStorage extends Storage {
  /** One record, compare-and-set when `eTag` is given (typed conflict otherwise); resolves the record's new eTag. */
  writeOne(key: string, item: Record<string, unknown>, eTag?: string): Promise<string>;
  /** Writes only when the key does not exist yet; resolves false (and writes nothing) when it does. */
  create(key: string, item: Record<string, unknown>): Promise<boolean>;
  /** Every key that starts with `prefix`. */
  keys(prefix: string): Promise<string[]>;
  /** Deletes records under `prefix` last written before `before` (epoch ms); resolves how many. */
  purge(prefix: string, before: number): Promise<number>;
  /** Resolves when the backing store answers; rejects with the reason otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type { StoreItems };

export function conflictError(key: string, cause?: unknown): AppError {
  return new AppError(ErrorCodes.STORAGE_CONFLICT, `Storage: error writing "${key}" due to eTag conflict.`, { cause });
}

/** Another writer changed (or deleted) the record since it was read. */
export function isConflict(err: unknown): boolean {
  return isAppError(err, ErrorCodes.STORAGE_CONFLICT);
}
