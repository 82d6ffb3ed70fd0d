// Proofup against a bare botbuilder 4.23 + restify 11 echo bot (scripts/echo-bot.ts, the project's own dependencies),
// in the SAME run, interleaved A B A B A B: each round spawns a fresh process of each, measures its time to ready,
// then drives the same load (N conversations × M turns of "change my MFA phone", JWT-authenticated, one reply each)
// and reads its RSS after the load. Prints medians and the ratios Proofup / echo. Numbers, not pass/fail.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FaultHarness, makeUsers } from '../test/faults/harness.js';

interface Sample {
  readyMs: number;
  turnsPerSecond: number;
  p50: number;
  p99: number;
  rssMiB: number;
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const median = (values: number[]) =>
  pct(
    [...values].sort((a, b) => a - b),
    50,
  );
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

async function one(
  h: FaultHarness,
  kind: 'proofup' | 'echo',
  round: number,
  conversations: number,
  turns: number,
): Promise<Sample> {
  const entry = kind === 'echo' ? 'scripts/echo-bot.ts' : 'test/faults/bot-process.ts';
  const t0 = performance.now();
  const bot = await h.spawnBot(
    `${kind}-${round}`,
    h.env(path.join(h.dir, `${kind}-${round}`), { LOG_LEVEL: 'warn' }),
    // BENCH_CPU_PROFILE=<dir>: each process writes a V8 CPU profile there when it stops.
    process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}/${kind}`] : [],
    entry,
  );
  const readyMs = performance.now() - t0;
  const client = h.client(bot);
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: conversations }, async (_, c) => {
      const conversation = { id: `a:${kind}-${round}-${c}`, conversationType: 'personal', isGroup: false, name: '' };
      const from = { id: `29:bench-${c}`, name: 'Bench User' };
      for (let t = 0; t < turns; t++) {
        const t1 = performance.now();
        const res = await client.send(
          client.activity({ text: 'change my MFA phone', conversation: conversation as never, from }),
        );
        if (res.status !== 200) throw new Error(`${kind}: HTTP ${res.status}`);
        latencies.push(performance.now() - t1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const rss = rssMiB(bot.pid);
  await bot.stop();
  latencies.sort((a, b) => a - b);
  return {
    readyMs,
    turnsPerSecond: latencies.length / seconds,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    rssMiB: rss,
  };
}

export async function benchCompare(rounds = 3, conversations = 100, turns = 20): Promise<string> {
  const h = new FaultHarness(makeUsers(1, 'cmp'));
  await h.start();
  const samples: Record<'proofup' | 'echo', Sample[]> = { proofup: [], echo: [] };
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const kind of ['proofup', 'echo'] as const)
        samples[kind].push(await one(h, kind, round, conversations, turns));
    }
  } finally {
    await h.close();
  }
  const row = (label: string, key: keyof Sample, unit: string, digits = 0) => {
    const a = median(samples.proofup.map((s) => s[key]));
    const b = median(samples.echo.map((s) => s[key]));
    const all = (k: 'proofup' | 'echo') => samples[k].map((s) => s[key].toFixed(digits)).join('/');
    return `  ${label.padEnd(16)} proofup ${a.toFixed(digits).padStart(7)} ${unit.padEnd(8)} echo ${b.toFixed(digits).padStart(7)} ${unit.padEnd(8)} ratio ${(a / b).toFixed(2)}   (rounds: ${all('proofup')} vs ${all('echo')})`;
  };
  return [
    `Proofup vs bare botbuilder echo bot, ${rounds} interleaved rounds (A B A B …), ${conversations} conversations × ${turns} turns each, fresh processes:`,
    row('turns/s', 'turnsPerSecond', 'turns/s'),
    row('latency p50', 'p50', 'ms', 1),
    row('latency p99', 'p99', 'ms', 1),
    row('RSS after load', 'rssMiB', 'MiB'),
    row('time to ready', 'readyMs', 'ms'),
    '  targets (ratio): turns/s >= 0.75, p99 <= 1.3, RSS <= 1.3, time to ready <= 1.5',
    '',
  ].join('\n');
}
