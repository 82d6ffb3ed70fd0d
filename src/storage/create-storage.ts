import type { StorageConfig } from '../config.js';
import { BlobStorage } from './blob-storage.js';
import { SqliteStorage } from './sqlite-storage.js';
import type { ProofupStorage } from './store.js';

export function createStorage(config: StorageConfig): ProofupStorage {
  switch (config.kind) {
    case 'sqlite':
      return new SqliteStorage(config.path);
    case 'blob':
      return new BlobStorage(config.connectionString, config.container);
  }
}
