// One audit contract, two stores: SQLite (embedded) and Azure Table Storage (scale-out, on Azurite).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type AuditLog, SqliteAuditLog } from '../../src/audit/audit-log.js';
import { TableAuditLog } from '../../src/audit/table-audit-log.js';
import { auditRecord } from '../fixtures/audit-record.js';
import { type Azurite, startAzurite } from '../helpers/azurite.js';

let azurite: Azurite | undefined;
afterAll(async () => {
  await azurite?.stop();
});

const subjects: [string, () => Promise<AuditLog>][] = [
  [
    'SQLite',
    async () => new SqliteAuditLog(path.join(mkdtempSync(path.join(os.tmpdir(), 'proofup-audit-')), 'audit.db')),
  ],
  [
    'Azure Table (Azurite)',
    async () => {
      azurite ??= await startAzurite();
      return new TableAuditLog(azurite.connectionString, `audit${Date.now()}`);
    },
  ],
];

const record = auditRecord;

describe.each(subjects)('%s audit log', (_name, open) => {
  it('appends, and returns the records since a time in order', async () => {
    const log = await open();
    await log.append(record(3 * 24 * 60, 'done'));
    await log.append(record(90, 'refused'));
    const latest = record(5, 'done');
    await log.append(latest);
    const recent = await log.since(new Date(Date.now() - 2 * 3600_000));
    expect(recent.map((r) => r.result)).toEqual(['refused', 'done']);
    expect(recent[1]).toEqual(latest);
    expect(await log.since(new Date(Date.now() - 7 * 24 * 3600_000))).toHaveLength(3);
    await log.close();
  });

  it('is idempotent by record id: a record delivered twice (after a crash) is stored once, never overwritten', async () => {
    const log = await open();
    const r = record(1, 'done');
    await log.append(r);
    await log.append({ ...r, result: 'failed' }); // a redelivery can never rewrite what was recorded
    const stored = (await log.since(new Date(Date.now() - 3600_000))).filter((x) => x.id === r.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.result).toBe('done');
    await log.close();
  });
});
