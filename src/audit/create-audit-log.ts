import type { AuditConfig } from '../config.js';
import { type AuditLog, SqliteAuditLog } from './audit-log.js';

/** The configured audit log. The Azure Tables SDK is loaded only when the audit goes to a table. */
export async function createAuditLog(config: AuditConfig): Promise<AuditLog> {
  if (config.kind === 'sqlite') return new SqliteAuditLog(config.path);
  const { TableAuditLog } = await import('./table-audit-log.js');
  return new TableAuditLog(config.connectionString, config.table);
}
