import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { StoreItems } from 'botbuilder';
import { AppError, ErrorCodes } from '../errors.js';
import { conflictError, type ProofupStorage } from './store.js';

interface Row {
  key: string;
  etag: string;
  data: string;
}

/**
 * botbuilder Storage on an embedded SQLite file (WAL). Optimistic concurrency follows botbuilder's contract:
 * a write carrying an eTag other than "*" succeeds only if it matches the stored one (a missing item is a conflict
 * too: someone deleted it meanwhile); a write without an eTag, or with "*", overwrites. Each write() is one transaction.
 *
 * ONE process per file: the connection takes SQLite's exclusive lock at open and keeps it, so a second Proofup on the
 * same file refuses to start (PROOFUP_STORAGE_LOCKED) instead of racing it. The operating system drops the lock when the
 * process dies (even kill -9), so a restart never finds a stale lock. Several instances: STORAGE=blob.
 */
export class SqliteStorage implements ProofupStorage {
  private readonly db: Database.Database;
  private readonly selectOne: Database.Statement<[string], Row>;
  private readonly upsert: Database.Statement<[string, string, string, number]>;
  private readonly insertNew: Database.Statement<[string, string, string, number]>;
  private readonly remove: Database.Statement<[string]>;
  private readonly byPrefix: Database.Statement<[string, string], { key: string }>;
  private readonly purgeOld: Database.Statement<[string, string, number]>;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    try {
      this.db.pragma('busy_timeout = 1000');
      this.db.pragma('locking_mode = EXCLUSIVE');
      this.db.pragma('journal_mode = WAL');
      this.db.exec('BEGIN EXCLUSIVE; COMMIT;'); // take the lock now, not at the first write
    } catch (err) {
      this.db.close();
      if ((err as { code?: string }).code === 'SQLITE_BUSY' || (err as { code?: string }).code === 'SQLITE_LOCKED')
        throw new AppError(
          ErrorCodes.STORAGE_LOCKED,
          `another process is using ${file}. Only one Proofup instance may use a SQLite file; stop the other one, or use STORAGE=blob for several instances.`,
          { cause: err },
        );
      throw err;
    }
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
    this.insertNew = this.db.prepare(
      'INSERT INTO state (key, etag, data, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO NOTHING',
    );
    this.remove = this.db.prepare('DELETE FROM state WHERE key = ?');
    this.byPrefix = this.db.prepare('SELECT key FROM state WHERE key >= ? AND key < ? ORDER BY key');
    this.purgeOld = this.db.prepare('DELETE FROM state WHERE key >= ? AND key < ? AND updated_at < ?');
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const row = this.selectOne.get(key);
      if (row) items[key] = { ...JSON.parse(row.data), eTag: row.etag };
    }
    return items;
  }

  // Transactions made once (better-sqlite3 wraps a function per call of db.transaction; a change writes dozens of times).
  private txs?: {
    writeAll: (entries: [string, Record<string, unknown>][]) => void;
    writeOne: (key: string, next: string, json: string, eTag: string | undefined) => void;
    deleteAll: (keys: string[]) => void;
  };

  private transactions() {
    this.txs ??= {
      writeAll: this.db.transaction((entries: [string, Record<string, unknown>][]) => {
        for (const [key, item] of entries) {
          const { eTag, ...data } = item;
          if (typeof eTag === 'string' && eTag !== '' && eTag !== '*') {
            const current = this.selectOne.get(key);
            if (!current || current.etag !== eTag) throw conflictError(key);
          }
          this.upsert.run(key, `"${randomUUID()}"`, JSON.stringify(data), Date.now());
        }
      }),
      writeOne: this.db.transaction((key: string, next: string, json: string, eTag: string | undefined) => {
        if (eTag && eTag !== '*') {
          const current = this.selectOne.get(key);
          if (!current || current.etag !== eTag) throw conflictError(key);
        }
        this.upsert.run(key, next, json, Date.now());
      }),
      deleteAll: this.db.transaction((all: string[]) => {
        for (const key of all) this.remove.run(key);
      }),
    };
    return this.txs;
  }

  async write(changes: StoreItems): Promise<void> {
    this.transactions().writeAll(Object.entries(changes));
  }

  async writeOne(key: string, item: Record<string, unknown>, eTag?: string): Promise<string> {
    const { eTag: _ignored, ...data } = item;
    const next = `"${randomUUID()}"`;
    this.transactions().writeOne(key, next, JSON.stringify(data), eTag);
    return next;
  }

  async create(key: string, item: Record<string, unknown>): Promise<boolean> {
    const { eTag: _ignored, ...data } = item;
    return this.insertNew.run(key, `"${randomUUID()}"`, JSON.stringify(data), Date.now()).changes === 1;
  }

  async delete(keys: string[]): Promise<void> {
    this.transactions().deleteAll(keys);
  }

  async keys(prefix: string): Promise<string[]> {
    return this.byPrefix.all(prefix, `${prefix}\uffff`).map((r) => r.key);
  }

  async purge(prefix: string, before: number): Promise<number> {
    return this.purgeOld.run(prefix, `${prefix}\uffff`, before).changes;
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
