// npm run audit -- --since 24h --format csv|jsonl   (prints the audit records to stdout)
import { parseArgs } from 'node:util';
import { parseSince, toCsv } from '../src/audit/audit-log.js';
import { createAuditLog } from '../src/audit/create-audit-log.js';
import { ConfigError, loadConfig } from '../src/config.js';

try {
  const { values } = parseArgs({
    options: { since: { type: 'string', default: '24h' }, format: { type: 'string', default: 'jsonl' } },
  });
  if (values.format !== 'csv' && values.format !== 'jsonl')
    throw new Error(`--format must be csv or jsonl (got "${values.format}")`);
  const config = loadConfig();
  const audit = await createAuditLog(config.audit);
  const records = await audit.since(parseSince(values.since ?? '24h'));
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
