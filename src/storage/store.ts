import type { Storage } from 'botbuilder';

/** botbuilder Storage plus what the host needs: a readiness probe and a clean close on shutdown. */
export interface ProofupStorage extends Storage {
  /** Resolves when the backing store answers; rejects with the reason otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function conflictMessage(key: string): string {
  return `Storage: error writing "${key}" due to eTag conflict.`;
}
