import { type AuditLog, SqliteAuditLog } from './audit-log.js';

/** AUDIT_SQLITE_PATH or AUDIT_TABLE_*: where the audit lives. */
export type AuditConfig = { kind: 'sqlite'; path: string } | { kind: 'table'; connectionString: string; table: string };

/** The configured audit log. The Azure Tables SDK is loaded only when the audit goes to a table. */
export async function createAuditLog(config: AuditConfig): Promise<AuditLog> {
  if (config.kind === 'sqlite') return new SqliteAuditLog(config.path);
  const { TableAuditLog } = await import('./table-audit-log.js');
  return new TableAuditLog(config.connectionString, config.table);
}
