// One contract, two implementations: the embedded SQLite store and Azure Blob Storage (on Azurite).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConversationState, TestAdapter } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStorage } from '../../src/storage/blob-storage.js';
import { SqliteStorage } from '../../src/storage/sqlite-storage.js';
import { isConflict, type ProofupStorage } from '../../src/storage/store.js';
import { type Azurite, startAzurite } from '../helpers/azurite.js';

interface Subject {
  name: string;
  open(): Promise<ProofupStorage>;
  teardown(): Promise<void>;
}

let tmp = '';
let azurite: Azurite | undefined;
let containerSeq = 0;

const subjects: Subject[] = [
  {
    name: 'SQLite',
    async open() {
      tmp ||= mkdtempSync(path.join(os.tmpdir(), 'proofup-sqlite-'));
      return new SqliteStorage(path.join(tmp, `state-${++containerSeq}.db`));
    },
    async teardown() {
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    },
  },
  {
    name: 'Azure Blob (Azurite)',
    async open() {
      azurite ??= await startAzurite();
      return new BlobStorage(azurite.connectionString, `contract-${++containerSeq}`);
    },
    async teardown() {
      await azurite?.stop();
    },
  },
];

describe('SQLite: one process per file', () => {
  it('a second process on the same file is refused with a clear message; the lock goes with the process', async () => {
    const { spawnSync } = await import('node:child_process');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'proofup-lock-'));
    const file = path.join(dir, 'state.db');
    const first = new SqliteStorage(file);
    const script = `import { SqliteStorage } from './src/storage/sqlite-storage.ts';
      try { new SqliteStorage(${JSON.stringify(file)}); console.log('opened'); }
      catch (e) { console.log(e.code + ': ' + e.message); }`;
    const second = () =>
      spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    const refused = second();
    expect(refused.stdout).toMatch(/PROOFUP_STORAGE_LOCKED: another process is using .*state\.db/);
    await first.close();
    expect(second().stdout).toMatch(/opened/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe.each(subjects)('$name storage contract', (subject) => {
  let store: ProofupStorage;
  beforeAll(async () => {
    store = await subject.open();
  });
  afterAll(async () => {
    await store.close();
    await subject.teardown();
  });

  it('reads nothing for unknown keys', async () => {
    expect(await store.read(['missing/1', 'missing/2'])).toEqual({});
  });

  it('writes, reads back with an eTag, and keeps nested data intact', async () => {
    await store.write({ 'conv/1': { count: 1, nested: { list: [1, 'two', { three: true }] }, name: 'Zoë ✓' } });
    const items = await store.read(['conv/1']);
    expect(items['conv/1']).toMatchObject({ count: 1, nested: { list: [1, 'two', { three: true }] }, name: 'Zoë ✓' });
    expect(typeof items['conv/1']?.eTag).toBe('string');
  });

  it('accepts a write carrying the current eTag and issues a new one', async () => {
    const first = (await store.read(['conv/1']))['conv/1'];
    await store.write({ 'conv/1': { ...first, count: 2 } });
    const second = (await store.read(['conv/1']))['conv/1'];
    expect(second?.count).toBe(2);
    expect(second?.eTag).not.toBe(first?.eTag);
  });

  it('rejects a write carrying a stale eTag (optimistic concurrency) and keeps the stored value', async () => {
    const current = (await store.read(['conv/1']))['conv/1'];
    await store.write({ 'conv/1': { ...current, count: 3 } });
    await expect(store.write({ 'conv/1': { ...current, count: 99 } })).rejects.toThrow(/eTag conflict/);
    expect((await store.read(['conv/1']))['conv/1']?.count).toBe(3);
  });

  it('rejects an eTag-guarded write to an item deleted meanwhile', async () => {
    await store.write({ 'conv/gone': { v: 1 } });
    const current = (await store.read(['conv/gone']))['conv/gone'];
    await store.delete(['conv/gone']);
    await expect(store.write({ 'conv/gone': { ...current, v: 2 } })).rejects.toThrow(/eTag conflict/);
  });

  it('overwrites with eTag "*" and without an eTag', async () => {
    await store.write({ 'conv/1': { count: 10, eTag: '*' } });
    expect((await store.read(['conv/1']))['conv/1']?.count).toBe(10);
    await store.write({ 'conv/1': { count: 11 } });
    expect((await store.read(['conv/1']))['conv/1']?.count).toBe(11);
  });

  it('deletes, and deleting a missing key is not an error', async () => {
    await store.delete(['conv/1', 'never/existed']);
    expect(await store.read(['conv/1'])).toEqual({});
  });

  it('handles keys with characters Teams and Slack ids contain', async () => {
    const key = 'msteams/conversations/a:1Xy_-z=+19:abc@thread.v2/users/29:1AbC';
    await store.write({ [key]: { ok: true } });
    expect((await store.read([key]))[key]?.ok).toBe(true);
  });

  it('a stale-eTag write fails with a TYPED conflict (isConflict), not only a message', async () => {
    await store.write({ 'cas/1': { v: 1 } });
    const current = (await store.read(['cas/1']))['cas/1'];
    await store.write({ 'cas/1': { ...current, v: 2 } });
    const err = await store.write({ 'cas/1': { ...current, v: 3 } }).catch((e: unknown) => e);
    expect(isConflict(err)).toBe(true);
  });

  it('create() writes only when the key is absent, once across racing writers', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.create('once/1', { i })));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.create('once/1', { i: 99 })).toBe(false);
    const item = (await store.read(['once/1']))['once/1'];
    expect(results[item?.i as number]).toBe(true);
  });

  it('ten racing compare-and-set writers on one record: exactly one wins each round', async () => {
    await store.write({ 'race/1': { n: 0 } });
    const current = (await store.read(['race/1']))['race/1'];
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => store.write({ 'race/1': { ...current, n: i + 1 } })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected' && isConflict(o.reason))).toHaveLength(9);
  });

  it('lists keys by prefix (and only those), with characters chat ids contain', async () => {
    await store.write({ 'list/a:1@thread.v2': { ok: 1 }, 'list/b/c': { ok: 2 }, 'listing/x': { ok: 3 } });
    expect((await store.keys('list/')).sort()).toEqual(['list/a:1@thread.v2', 'list/b/c']);
    expect(await store.keys('nothing-here/')).toEqual([]);
  });

  it('purges records under a prefix written before a time, and nothing newer', async () => {
    await store.write({ 'old/1': { v: 1 }, 'old/2': { v: 2 } });
    expect(await store.purge('old/', Date.now() - 60_000)).toBe(0);
    expect(await store.purge('old/', Date.now() + 60_000)).toBe(2);
    expect(await store.keys('old/')).toEqual([]);
  });

  it('answers the readiness ping', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('backs botbuilder ConversationState across turns', async () => {
    const state = new ConversationState(store);
    const counter = state.createProperty<number>('turns');
    const adapter = new TestAdapter(async (context) => {
      const n = (await counter.get(context, 0)) + 1;
      await counter.set(context, n);
      await state.saveChanges(context);
      await context.sendActivity(`turn ${n}`);
    });
    await adapter.send('a').assertReply('turn 1').send('b').assertReply('turn 2').startTest();
  });
});
