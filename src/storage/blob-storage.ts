import { ContainerClient } from '@azure/storage-blob';
import type { StoreItems } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import type { ProofupStorage } from './store.js';

/** Azure Blob Storage for scale-out (several bot instances). State goes through botbuilder's own BlobsStorage. */
export class BlobStorage implements ProofupStorage {
  private readonly blobs: BlobsStorage;
  private readonly container: ContainerClient;

  constructor(connectionString: string, containerName: string) {
    this.blobs = new BlobsStorage(connectionString, containerName);
    this.container = new ContainerClient(connectionString, containerName);
  }

  read(keys: string[]): Promise<StoreItems> {
    return this.blobs.read(keys);
  }

  write(changes: StoreItems): Promise<void> {
    return this.blobs.write(changes);
  }

  delete(keys: string[]): Promise<void> {
    return this.blobs.delete(keys);
  }

  async ping(): Promise<void> {
    // The container is created on first write; "reachable" means the account answers, with or without it.
    await this.container.exists();
  }

  async close(): Promise<void> {
    // HTTP clients hold no resources that need closing.
  }
}
