// npm run bench:readiness — only the readiness report measurement of npm run bench.
import { benchReadiness } from './bench-readiness.js';

process.stdout.write(await benchReadiness(Number(process.env.BENCH_READINESS_PEOPLE ?? 10_000)));
process.exit(0);
