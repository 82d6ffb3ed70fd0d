import { type BlockBlobClient, ContainerClient, RestError } from '@azure/storage-blob';
import type { StoreItems } from 'botbuilder';
import { conflictError, type ProofupStorage } from './store.js';

const isStatus = (err: unknown, ...codes: number[]) => err instanceof RestError && codes.includes(err.statusCode ?? 0);

async function text(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream ?? []) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Azure Blob Storage for scale-out (several bot instances): one JSON blob per record, the blob's ETag as the record's
 * eTag. Writes with an eTag are conditional (If-Match), creates are If-None-Match: *, so two instances racing on one
 * record get a typed conflict, never a lost update. Keys are URI-encoded into blob names as botbuilder-azure-blobs does.
 */
export class BlobStorage implements ProofupStorage {
  private readonly container: ContainerClient;
  private ready: Promise<unknown> | undefined;

  constructor(connectionString: string, containerName: string) {
    this.container = new ContainerClient(connectionString, containerName);
  }

  async read(keys: string[]): Promise<StoreItems> {
    await this.init();
    const items: StoreItems = {};
    await Promise.all(
      keys.map(async (key) => {
        try {
          // One request: the body and the ETag of that same version.
          const res = await this.blob(key).download();
          items[key] = { ...JSON.parse(await text(res.readableStreamBody)), eTag: res.etag };
        } catch (err) {
          if (!isStatus(err, 404)) throw err;
        }
      }),
    );
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    await Promise.all(
      Object.entries(changes).map(([key, item]) => {
        const eTag = (item as { eTag?: unknown }).eTag;
        return this.writeOne(key, item as Record<string, unknown>, typeof eTag === 'string' ? eTag : undefined);
      }),
    );
  }

  async writeOne(key: string, item: Record<string, unknown>, eTag?: string): Promise<string> {
    await this.init();
    const { eTag: _ignored, ...data } = item;
    const body = JSON.stringify(data);
    const guarded = Boolean(eTag && eTag !== '*');
    try {
      const res = await this.blob(key).upload(body, Buffer.byteLength(body), {
        conditions: guarded ? { ifMatch: eTag } : {},
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
      return res.etag ?? '';
    } catch (err) {
      if (guarded && isStatus(err, 404, 409, 412)) throw conflictError(key, err);
      throw err;
    }
  }

  async create(key: string, item: Record<string, unknown>): Promise<boolean> {
    await this.init();
    const { eTag: _ignored, ...data } = item;
    const body = JSON.stringify(data);
    try {
      await this.blob(key).upload(body, Buffer.byteLength(body), { conditions: { ifNoneMatch: '*' } });
      return true;
    } catch (err) {
      if (isStatus(err, 409, 412)) return false;
      throw err;
    }
  }

  async delete(keys: string[]): Promise<void> {
    await this.init();
    await Promise.all(keys.map((key) => this.blob(key).deleteIfExists()));
  }

  async keys(prefix: string): Promise<string[]> {
    await this.init();
    const found: string[] = [];
    for await (const blob of this.container.listBlobsFlat({ prefix: encodeURIComponent(prefix) }))
      found.push(decodeURIComponent(blob.name));
    return found;
  }

  async purge(prefix: string, before: number): Promise<number> {
    await this.init();
    let purged = 0;
    for await (const blob of this.container.listBlobsFlat({ prefix: encodeURIComponent(prefix) })) {
      if (blob.properties.lastModified.getTime() >= before) continue;
      await this.container
        .getBlobClient(blob.name)
        .deleteIfExists({ conditions: { ifMatch: blob.properties.etag } })
        .then(
          () => purged++,
          (err) => {
            if (!isStatus(err, 412)) throw err; // rewritten meanwhile: no longer old
          },
        );
    }
    return purged;
  }

  async ping(): Promise<void> {
    // "Reachable" means the account answers, with or without the container.
    await this.container.exists();
  }

  async close(): Promise<void> {
    // HTTP clients hold no resources that need closing.
  }

  private blob(key: string): BlockBlobClient {
    return this.container.getBlockBlobClient(encodeURIComponent(key));
  }

  private init(): Promise<unknown> {
    this.ready ??= this.container.createIfNotExists().catch((err) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }
}
