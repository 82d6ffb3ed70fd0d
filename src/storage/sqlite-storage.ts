import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { StoreItems } from 'botbuilder';
import { AppError, ErrorCodes } from '../errors.js';
import { conflictMessage, type ProofupStorage } from './store.js';

interface Row {
  key: string;
  etag: string;
  data: string;
}

/**
 * botbuilder Storage on an embedded SQLite file (WAL). Optimistic concurrency follows botbuilder's contract:
 * a write carrying an eTag other than "*" succeeds only if it matches the stored one (a missing item is a conflict
 * too: someone deleted it meanwhile); a write without an eTag, or with "*", overwrites. Each write() is one transaction.
 */
export class SqliteStorage implements ProofupStorage {
  private readonly db: Database.Database;
  private readonly selectOne: Database.Statement<[string], Row>;
  private readonly upsert: Database.Statement<[string, string, string, number]>;
  private readonly remove: Database.Statement<[string]>;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS state (
      key TEXT PRIMARY KEY,
      etag TEXT NOT NULL,
      data TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    )`);
    this.selectOne = this.db.prepare('SELECT key, etag, data FROM state WHERE key = ?');
    this.upsert = this.db.prepare(
      'INSERT INTO state (key, etag, data, updated_at) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT(key) DO UPDATE SET etag = excluded.etag, data = excluded.data, updated_at = excluded.updated_at',
    );
    this.remove = this.db.prepare('DELETE FROM state WHERE key = ?');
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const row = this.selectOne.get(key);
      if (row) items[key] = { ...JSON.parse(row.data), eTag: row.etag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const apply = this.db.transaction((entries: [string, Record<string, unknown>][]) => {
      for (const [key, item] of entries) {
        const { eTag, ...data } = item;
        if (typeof eTag === 'string' && eTag !== '' && eTag !== '*') {
          const current = this.selectOne.get(key);
          if (!current || current.etag !== eTag) {
            throw new AppError(ErrorCodes.STORAGE_CONFLICT, conflictMessage(key));
          }
        }
        this.upsert.run(key, `"${randomUUID()}"`, JSON.stringify(data), Date.now());
      }
    });
    apply(Object.entries(changes));
  }

  async delete(keys: string[]): Promise<void> {
    const apply = this.db.transaction((all: string[]) => {
      for (const key of all) this.remove.run(key);
    });
    apply(keys);
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
