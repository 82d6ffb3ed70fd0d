// npm run bench: measures what the issues put numbers on, and prints the numbers (no pass/fail).
//  1. how fast a bad production configuration exits (target < 2 s);
//  2. Graph requests and bot CPU per whole change, the bot in its own process (scripts/bench-change.ts), and the
//     framework floor: CPU per message of a bare botbuilder echo bot with the same auth and connector;
//  2a. Slack: the ack time of signed events at 50 concurrent (scripts/bench-slack.ts, target p99 <= 300 ms);
//  2b. the helpdesk's readiness report for 10,000 people (scripts/bench-readiness.ts): time and heap; a reminder
//      campaign's measured send rate;
//  3. turns per second, latency percentiles and memory of the real server (production profile, JWT-authenticated
//     requests, capturing connector), as in reference/offline-facts.md. Compare runs on the same machine only.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../src/paths.js';
import { startTestBot } from '../test/helpers/test-bot.js';
import { benchChange, benchFloor, floorRatio } from './bench-change.js';
import { benchCompare } from './bench-compare.js';
import { benchCampaign, benchReadiness } from './bench-readiness.js';
import { benchSlack } from './bench-slack.js';

const root = projectRoot();
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function configExitMs(): Promise<number> {
  const started = performance.now();
  await new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'index.ts')], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', PROOFUP_PROFILE: 'production' },
      stdio: 'ignore',
    });
    child.on('exit', resolve);
  });
  return performance.now() - started;
}

async function main(): Promise<void> {
  const exits: number[] = [];
  for (let i = 0; i < 10; i++) exits.push(await configExitMs());
  exits.sort((a, b) => a - b);
  process.stdout.write(
    `bad production config -> exit: min ${exits[0]?.toFixed(0)} ms, median ${pct(exits, 50).toFixed(0)} ms, max ${exits.at(-1)?.toFixed(0)} ms (10 runs)\n`,
  );

  const change = await benchChange(
    Number(process.env.BENCH_CHANGES ?? 40),
    Number(process.env.BENCH_CHANGE_CONCURRENCY ?? 4),
  );
  const floor = await benchFloor(400);
  process.stdout.write(change.text + floor.text + floorRatio(change, floor.perMessage));
  process.stdout.write(await benchSlack(Number(process.env.BENCH_SLACK_EVENTS ?? 1000), 50));
  process.stdout.write(await benchReadiness(Number(process.env.BENCH_READINESS_PEOPLE ?? 10_000)));
  process.stdout.write(await benchCampaign(Number(process.env.BENCH_CAMPAIGN_PEOPLE ?? 100)));
  process.stdout.write(
    await benchCompare(
      Number(process.env.BENCH_ROUNDS ?? 3),
      Number(process.env.BENCH_CONVERSATIONS ?? 100),
      Number(process.env.BENCH_TURNS_PER_CONVERSATION ?? 20),
    ),
  );

  // warn: the harness keeps captured log lines in memory, which would otherwise dominate the RSS figure.
  const bot = await startTestBot({ env: { LOG_LEVEL: 'warn' } });
  const turns = Number(process.env.BENCH_TURNS ?? 2000);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
  const token = await bot.issuer.mint({ serviceUrl: bot.connector.serviceUrl });
  const rssBefore = process.memoryUsage().rss;
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (next < turns) {
        const i = next++;
        const conversation = { id: `a:bench-${worker}`, conversationType: 'personal', isGroup: false, name: '' };
        const t0 = performance.now();
        const res = await bot.send(
          bot.activity({ text: i % 2 ? 'change my MFA phone' : 'hello', conversation }),
          token,
        );
        if (res.status !== 200) throw new Error(`turn ${i}: HTTP ${res.status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const rssAfter = process.memoryUsage().rss;
  (globalThis as { gc?: () => void }).gc?.();
  const heapAfterGc = process.memoryUsage().heapUsed;
  process.stdout.write(
    `turns: ${turns} with ${concurrency} concurrent conversations in ${seconds.toFixed(1)} s = ${(turns / seconds).toFixed(0)} turns/s; ` +
      `latency p50 ${pct(latencies, 50).toFixed(0)} ms, p99 ${pct(latencies, 99).toFixed(0)} ms; ` +
      `RSS ${(rssBefore / 2 ** 20).toFixed(0)} -> ${(rssAfter / 2 ** 20).toFixed(0)} MiB, heap after GC ${(heapAfterGc / 2 ** 20).toFixed(0)} MiB ` +
      '(bot, simulators and load generator in one process)\n',
  );
  await bot.close();
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
