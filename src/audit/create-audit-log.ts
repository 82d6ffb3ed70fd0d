import type { AuditConfig } from '../config.js';
import { type AuditLog, SqliteAuditLog } from './audit-log.js';
import { TableAuditLog } from './table-audit-log.js';

export function createAuditLog(config: AuditConfig): AuditLog {
  return config.kind === 'sqlite'
    ? new SqliteAuditLog(config.path)
    : new TableAuditLog(config.connectionString, config.table);
}
