import { SqliteStorage } from './sqlite-storage.js';
import type { ProofupStorage } from './store.js';

/** STORAGE_SQLITE_PATH, or AZURE_STORAGE_CONNECTION_STRING and a container: where Proofup keeps its records. */
export type StorageConfig =
  | { kind: 'sqlite'; path: string }
  | { kind: 'blob'; connectionString: string; container: string };

/** The configured store. The Azure Blob SDK is loaded only when STORAGE=blob (it costs start-up time otherwise). */
export async function createStorage(config: StorageConfig): Promise<ProofupStorage> {
  switch (config.kind) {
    case 'sqlite':
      return new SqliteStorage(config.path);
    case 'blob': {
      const { BlobStorage } = await import('./blob-storage.js');
      return new BlobStorage(config.connectionString, config.container);
    }
  }
}
