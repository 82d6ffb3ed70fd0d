// The audit for scale-out deployments: Azure Table Storage (same storage account as the Blob state). Append-only:
// entities are created, never upserted or deleted; partition per UTC day, row keys sort by time. A record delivered twice
// (same id and time) is stored once.
import { TableClient } from '@azure/data-tables';
import type { AuditLog, AuditRecord } from './audit-log.js';

export class TableAuditLog implements AuditLog {
  private readonly client: TableClient;
  private ready: Promise<void> | undefined;

  constructor(connectionString: string, table: string) {
    this.client = TableClient.fromConnectionString(connectionString, table, {
      allowInsecureConnection: /^DefaultEndpointsProtocol=http;/i.test(connectionString),
    });
  }

  async append(record: AuditRecord): Promise<void> {
    await this.ensureTable();
    try {
      await this.client.createEntity({
        partitionKey: record.at.slice(0, 10),
        rowKey: `${record.at}_${record.id}`,
        record: JSON.stringify(record),
      });
    } catch (err) {
      // 409: this record (same time, same id) is already there — a redelivery after a crash, appended once.
      if ((err as { statusCode?: number }).statusCode !== 409) throw err;
    }
  }

  async since(from: Date): Promise<AuditRecord[]> {
    await this.ensureTable();
    const fromKey = from.toISOString();
    const entities = this.client.listEntities<{ record: string }>({
      queryOptions: { filter: `PartitionKey ge '${fromKey.slice(0, 10)}' and RowKey ge '${fromKey}'` },
    });
    const records: AuditRecord[] = [];
    for await (const entity of entities) records.push(JSON.parse(entity.record) as AuditRecord);
    return records.sort((a, b) => a.at.localeCompare(b.at));
  }

  async close(): Promise<void> {
    // HTTP client: nothing to release.
  }

  private ensureTable(): Promise<void> {
    this.ready ??= this.client.createTable().catch((err: { statusCode?: number }) => {
      this.ready = undefined;
      if (err.statusCode !== 409) throw err; // 409: it already exists
    });
    return this.ready;
  }
}
