// npm run bench:readiness — only the readiness report and reminder campaign measurements of npm run bench.
import { benchCampaign, benchReadiness } from './bench-readiness.js';

process.stdout.write(await benchReadiness(Number(process.env.BENCH_READINESS_PEOPLE ?? 10_000)));
process.stdout.write(await benchCampaign(Number(process.env.BENCH_CAMPAIGN_PEOPLE ?? 100)));
process.exit(0);
