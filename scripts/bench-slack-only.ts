// npm run bench:slack — only the Slack ack measurement of npm run bench.
import { benchSlack } from './bench-slack.js';

process.stdout.write(
  await benchSlack(Number(process.env.BENCH_SLACK_EVENTS ?? 1000), Number(process.env.BENCH_SLACK_CONCURRENCY ?? 50)),
);
process.exit(0);
