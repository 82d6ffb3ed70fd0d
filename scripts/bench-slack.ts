// Slack ack time: signed Events API DMs to POST /api/slack/events, 50 at a time, against the real server (production
// profile) in its OWN process (the load generator does not share its event loop), with the sandbox's Slack Web API
// simulator here; the time until Slack would get its 200 (the ack), percentiles. Slack retries after 3 s; the target
// is p99 <= 300 ms.
import path from 'node:path';
import { sandboxSlack } from '../src/sandbox/start-sandbox.js';
import { FaultHarness } from '../test/faults/harness.js';
import { dm, postToSlackEndpoint } from '../test/helpers/slack-requests.js';

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const summary = (acks: number[]) => {
  acks.sort((a, b) => a - b);
  return `p50 ${pct(acks, 50).toFixed(1)} ms, p95 ${pct(acks, 95).toFixed(1)} ms, p99 ${pct(acks, 99).toFixed(1)} ms, max ${acks.at(-1)?.toFixed(1)} ms`;
};

/**
 * Two loads on one bot process: (1) bursts — 50 events arrive at once, the next burst 1 s later (Slack's "50 concurrent
 * events"), and (2) saturation — 50 clients sending back to back as fast as the bot acknowledges, for the ceiling.
 */
export async function benchSlack(events = 1000, concurrency = 50): Promise<string> {
  const secret = 'bench-signing-secret-0123456789abcdef';
  const token = 'xoxb-bench-0123456789';
  const slack = sandboxSlack(token);
  await slack.start();
  const h = new FaultHarness([]);
  await h.start();
  const env = { LOG_LEVEL: 'warn', SLACK_SIGNING_SECRET: secret, SLACK_BOT_TOKEN: token, SLACK_API_URL: slack.url };
  const bot = await h.spawnBot('slack-bench', h.env(path.join(h.dir, 'slack'), env));
  const users = [...slack.users.keys()];
  let failed = 0;
  let seq = 0;
  const one = async (acks: number[]) => {
    const i = seq++;
    const body = dm(users[i % users.length] as string, i % 2 ? 'help' : 'change my MFA phone');
    const t0 = performance.now();
    const res = await postToSlackEndpoint({ url: bot.url, secret }, body, 'application/json');
    acks.push(performance.now() - t0);
    if (res.status !== 200) failed++;
  };
  // Warm-up (module loading, the first auth.test, connection pools): not counted.
  await Promise.all(Array.from({ length: concurrency }, () => one([])));
  await new Promise((r) => setTimeout(r, 1000));

  const bursts: number[] = [];
  for (let b = 0; b < Math.ceil(events / concurrency); b++) {
    await Promise.all(Array.from({ length: concurrency }, () => one(bursts)));
    await new Promise((r) => setTimeout(r, 1000));
  }
  const saturated: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < events) await one(saturated);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 1000)); // let the replies after the acks finish
  await bot.stop();
  await h.close();
  await slack.stop();
  return (
    `Slack ack, bursts of ${concurrency} signed DM events at once (${bursts.length} events): ${summary(bursts)} (target p99 <= 300 ms)\n` +
    `Slack ack, saturation: ${concurrency} clients back to back (${saturated.length} events): ${summary(saturated)}; ${(saturated.length / seconds).toFixed(0)} events/s\n` +
    `Slack non-200 answers: ${failed}\n`
  );
}
