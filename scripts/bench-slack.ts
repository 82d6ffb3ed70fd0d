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
  const acks: number[] = [];
  let failed = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < events) {
        const i = next++;
        const user = users[i % users.length] as string;
        const body = dm(user, i % 2 ? 'help' : 'change my MFA phone');
        const t0 = performance.now();
        const res = await postToSlackEndpoint({ url: bot.url, secret }, body, 'application/json');
        acks.push(performance.now() - t0);
        if (res.status !== 200) failed++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 1000)); // let the replies after the acks finish
  await bot.stop();
  await h.close();
  await slack.stop();
  acks.sort((a, b) => a - b);
  return `Slack ack (${events} signed DM events, ${concurrency} concurrent): p50 ${pct(acks, 50).toFixed(1)} ms, p95 ${pct(acks, 95).toFixed(1)} ms, p99 ${pct(acks, 99).toFixed(1)} ms, max ${acks.at(-1)?.toFixed(1)} ms; ${(events / seconds).toFixed(0)} events/s; non-200: ${failed} (target p99 <= 300 ms)\n`;
}
