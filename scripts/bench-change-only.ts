// npm run bench:change — only the per-change measurement of `npm run bench` (Graph requests and bot CPU per change);
// BENCH_PHASES=1 adds the bot's CPU per phase of a change.
import { benchChange, benchFloor, benchPhases, floorRatio } from './bench-change.js';

const changes = Number(process.env.BENCH_CHANGES ?? 40);
benchChange(changes, Number(process.env.BENCH_CHANGE_CONCURRENCY ?? 4))
  .then(async (change) => {
    const phases = process.env.BENCH_PHASES ? await benchPhases(changes) : '';
    const floor = await benchFloor(400);
    process.stdout.write(change.text + phases + floor.text + floorRatio(change, floor.perMessage));
  })
  .catch((err) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
