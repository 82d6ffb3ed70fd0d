// npm run audit -- --since 24h --format csv|jsonl [--actor <oid>] [--subject <oid>]   (prints the records to stdout)
import { parseArgs } from 'node:util';
import { filterRecords, parseSince, toCsv } from '../src/audit/audit-log.js';
import { createAuditLog } from '../src/audit/create-audit-log.js';
import { ConfigError, loadConfig } from '../src/config.js';

try {
  const { values } = parseArgs({
    options: {
      since: { type: 'string', default: '24h' },
      format: { type: 'string', default: 'jsonl' },
      actor: { type: 'string' },
      subject: { type: 'string' },
    },
  });
  if (values.format !== 'csv' && values.format !== 'jsonl')
    throw new Error(`--format must be csv or jsonl (got "${values.format}")`);
  const config = loadConfig();
  const audit = await createAuditLog(config.audit);
  const records = filterRecords(await audit.since(parseSince(values.since ?? '24h')), {
    actor: values.actor,
    subject: values.subject,
  });
  await audit.close();
  process.stdout.write(
    values.format === 'csv' ? toCsv(records) : records.map((r) => `${JSON.stringify(r)}\n`).join(''),
  );
  process.stderr.write(`${records.length} audit record(s) since ${values.since}\n`);
} catch (err) {
  process.stderr.write(
    `Cannot export the audit log: ${err instanceof ConfigError ? err.message : (err as Error).message}\n`,
  );
  process.exit(err instanceof ConfigError ? 78 : 2);
}
