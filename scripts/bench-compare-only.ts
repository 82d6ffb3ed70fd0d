// npm run bench:compare — only the Proofup vs echo-bot comparison of `npm run bench` (BENCH_ROUNDS,
// BENCH_CONVERSATIONS, BENCH_TURNS_PER_CONVERSATION).
import { benchCompare } from './bench-compare.js';

process.stdout.write(
  await benchCompare(
    Number(process.env.BENCH_ROUNDS ?? 3),
    Number(process.env.BENCH_CONVERSATIONS ?? 100),
    Number(process.env.BENCH_TURNS_PER_CONVERSATION ?? 20),
  ),
);
