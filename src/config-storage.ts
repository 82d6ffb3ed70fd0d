// The storage wing of the configuration (both profiles): where the state and the audit live — SQLite files on one
// machine, or Azure Blob Storage and Table Storage for several instances — their variables, schema and mapping.
import path from 'node:path';
import { z } from 'zod';
import { type AuditConfig, ConfigError, type StorageConfig } from './config-model.js';

export const STORAGE_VARS = {
  STORAGE: z.enum(['sqlite', 'blob']).default('sqlite'),
  SQLITE_PATH: z.string().trim().min(1).optional(),
  BLOB_CONNECTION_STRING: z.string().trim().min(1).optional(),
  BLOB_CONTAINER: z
    .string()
    .trim()
    .regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, 'must be a valid Azure container name')
    .default('proofup-state'),
  AUDIT_SQLITE_PATH: z.string().trim().min(1).optional(),
  AUDIT_TABLE: z
    .string()
    .trim()
    .regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/, 'must be a valid Azure table name')
    .default('proofupaudit'),
};

export function auditFrom(
  env: { STORAGE: 'sqlite' | 'blob'; BLOB_CONNECTION_STRING?: string; AUDIT_SQLITE_PATH?: string; AUDIT_TABLE: string },
  dataDir: string,
): AuditConfig {
  if (env.STORAGE === 'blob' && env.BLOB_CONNECTION_STRING) {
    return { kind: 'table', connectionString: env.BLOB_CONNECTION_STRING, table: env.AUDIT_TABLE };
  }
  return { kind: 'sqlite', path: env.AUDIT_SQLITE_PATH ?? path.join(dataDir, 'audit.db') };
}

export function storageFrom(
  env: { STORAGE: 'sqlite' | 'blob'; BLOB_CONNECTION_STRING?: string; BLOB_CONTAINER: string; SQLITE_PATH?: string },
  dataDir: string,
): StorageConfig {
  if (env.STORAGE === 'blob') {
    if (!env.BLOB_CONNECTION_STRING) throw new ConfigError(['BLOB_CONNECTION_STRING is required when STORAGE=blob']);
    return { kind: 'blob', connectionString: env.BLOB_CONNECTION_STRING, container: env.BLOB_CONTAINER };
  }
  return { kind: 'sqlite', path: env.SQLITE_PATH ?? path.join(dataDir, 'proofup.db') };
}

/** The rule across the storage variables (reported with every other problem before the profile starts). */
export function storageProblems(env: Record<string, string | undefined>): string[] {
  return env.STORAGE === 'blob' && !env.BLOB_CONNECTION_STRING
    ? ['BLOB_CONNECTION_STRING is required when STORAGE=blob']
    : [];
}
