import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AuditRecord, parseSince, SqliteAuditLog } from '../../../src/audit/audit-log.js';
import { projectRoot } from '../../../src/paths.js';

const record = (at: Date, result: AuditRecord['result']): AuditRecord => ({
  id: `r-${at.getTime()}`,
  at: at.toISOString(),
  flowId: 'f-1',
  actorOid: '0a1e0000-0000-4000-8000-000000000020',
  channel: 'msteams',
  action: 'setPhone',
  phoneType: 'mobile',
  before: '+1 ••• ••• 01 00',
  after: '+49 ••• ••• 12 34',
  steps: [{ op: 'updatePhone', requestId: 'req-1' }],
  result,
  notified: { email: true, sms: true },
});

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
    await log.append(record(new Date(Date.now() - 2 * 86_400_000), 'done'));
    await log.append(record(new Date(Date.now() - 3600_000), 'rolled-back'));
    await log.close();

    const jsonl = exportAudit(file, ['--since', '24h', '--format', 'jsonl']).trim().split('\n');
    expect(jsonl).toHaveLength(1);
    expect(JSON.parse(jsonl[0] ?? '{}')).toMatchObject({ result: 'rolled-back', steps: [{ requestId: 'req-1' }] });

    const csv = exportAudit(file, ['--since', '7d', '--format', 'csv']).trim().split('\n');
    expect(csv[0]).toBe('at,id,flowId,actorOid,channel,action,phoneType,before,after,result,reason,steps,notified');
    expect(csv).toHaveLength(3);
    expect(csv[2]).toContain('rolled-back');
  });

  it('parses windows and refuses nonsense', () => {
    expect(parseSince('90m', 10_000_000).getTime()).toBe(10_000_000 - 5_400_000);
    expect(() => parseSince('yesterday')).toThrow(/--since must look like/);
  });
});
