// npm run bench:change — only the per-change measurement of `npm run bench` (Graph requests and bot CPU per change).
import { benchChange } from './bench-change.js';

benchChange(Number(process.env.BENCH_CHANGES ?? 40), Number(process.env.BENCH_CHANGE_CONCURRENCY ?? 4))
  .then((text) => process.stdout.write(text))
  .catch((err) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
