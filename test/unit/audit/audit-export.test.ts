import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { filterRecords, parseSince, SqliteAuditLog } from '../../../src/audit/audit-log.js';
import { projectRoot } from '../../../src/paths.js';
import { auditRecord } from '../../fixtures/audit-record.js';

function exportAudit(file: string, args: string[]): string {
  return execFileSync(process.execPath, ['--import', 'tsx', 'scripts/audit-export.ts', ...args], {
    cwd: projectRoot(),
    env: { PATH: process.env.PATH ?? '', AUDIT_SQLITE_PATH: file, PLAYGROUND: 'off' },
  }).toString();
}

describe('npm run audit', () => {
  it('exports records since a window as JSON lines and as CSV', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'proofup-audit-')), 'audit.db');
    const log = new SqliteAuditLog(file);
    await log.append(auditRecord(2 * 24 * 60, 'done'));
    await log.append(auditRecord(60, 'rolled-back'));
    await log.close();

    const jsonl = exportAudit(file, ['--since', '24h', '--format', 'jsonl']).trim().split('\n');
    expect(jsonl).toHaveLength(1);
    expect(JSON.parse(jsonl[0] ?? '{}')).toMatchObject({ result: 'rolled-back', steps: [{ requestId: 'req-1' }] });

    const csv = exportAudit(file, ['--since', '7d', '--format', 'csv']).trim().split('\n');
    expect(csv[0]).toBe(
      'at,id,flowId,actorOid,subjectOid,channel,action,event,phoneType,before,after,result,reason,steps,notified,slackUser',
    );
    expect(csv).toHaveLength(3);
    expect(csv[2]).toContain('rolled-back');
  });

  it('parses windows and refuses nonsense', () => {
    expect(parseSince('90m', 10_000_000).getTime()).toBe(10_000_000 - 5_400_000);
    expect(() => parseSince('yesterday')).toThrow(/--since must look like/);
  });
});

describe('filtering by actor and subject (npm run audit -- --actor/--subject)', () => {
  const base = { at: '2026-11-29T10:00:00Z', flowId: 'f', channel: 'msteams', steps: [], result: 'done' as const };
  const records = [
    { ...base, id: '1', actorOid: 'alex', action: 'setPhone' as const },
    { ...base, id: '2', actorOid: 'alex', subjectOid: 'alex', action: 'escalated' as const },
    { ...base, id: '3', actorOid: 'megan', subjectOid: 'alex', action: 'escalationTaken' as const },
    { ...base, id: '4', actorOid: 'megan', action: 'setPhone' as const },
  ];
  it("an agent's actions, everything about a user, or both", () => {
    expect(filterRecords(records, { actor: 'megan' }).map((r) => r.id)).toEqual(['3', '4']);
    expect(filterRecords(records, { subject: 'alex' }).map((r) => r.id)).toEqual(['1', '2', '3']);
    expect(filterRecords(records, { actor: 'megan', subject: 'alex' }).map((r) => r.id)).toEqual(['3']);
    expect(filterRecords(records, {})).toHaveLength(4);
  });
});
