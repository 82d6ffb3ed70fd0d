// Slack's Web API when it is not well: every call has a deadline (SLACK_API_TIMEOUT_MS, 1 s here) and at most two
// retries — a Web API that never answers costs three deadlines, not the client's default of ten retries over half an
// hour; the ack never waits for it; a 429 is retried after its Retry-After and the answer still arrives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/sandbox/entra/demo-directory.js';
import type { SlackApiSimulator } from '../../src/sandbox/slack/slack-api-simulator.js';
import { slackChat } from '../helpers/slack-chat.js';
import { dm, JSON_TYPE, postToSlackEndpoint, type SlackSender, startSlackTestBot } from '../helpers/slack-requests.js';
import type { TestBot } from '../helpers/test-bot.js';

let bot: TestBot;
let slack: SlackApiSimulator;
let to: SlackSender;

beforeAll(async () => {
  // The sweep (which resumes a flow's outbox when its retry is due) every 2 s instead of 30.
  ({ bot, slack, to } = await startSlackTestBot({ SLACK_API_TIMEOUT_MS: '1000', SWEEP_INTERVAL_SECONDS: '2' }));
  // Who the bot is (auth.test) is asked once; ask it while Slack is well.
  await postToSlackEndpoint(to, dm('UMEGAN', 'hi'), JSON_TYPE);
  await waitFor(() => posts('DMEGAN') >= 1, 5000);
});
afterAll(async () => {
  await bot?.close();
  await slack?.stop();
});

const posts = (channel: string, from = 0) =>
  slack.calls.slice(from).filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel).length;
async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Slack Web API outages', () => {
  it('a Web API that never answers: the ack is immediate, the reply is tried 3 times within its deadlines, then given up', async () => {
    const from = slack.calls.length;
    slack.hang = true;
    try {
      const res = await postToSlackEndpoint(to, dm('UADELE', 'help'), JSON_TYPE);
      expect(res.status).toBe(200);
      expect(res.ms).toBeLessThan(1000);
      // Every call of the turn is bounded the same way (a user lookup may come first): 20 s is far below the minutes
      // the client's default policy would take.
      await waitFor(() => posts('DADELE', from) >= 3, 20_000);
      const attempts = slack.calls
        .slice(from)
        .filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'DADELE')
        .map((c) => c.at);
      await new Promise((r) => setTimeout(r, 4000));
      expect(posts('DADELE', from)).toBe(3); // 1 + 2 retries, then nothing more
      // Three 1 s deadlines and the backoff between them.
      expect((attempts[2] as number) - (attempts[0] as number)).toBeLessThan(5000);
    } finally {
      slack.hang = false;
    }
  });

  it('429 with Retry-After: retried after the wait, and the answer arrives', async () => {
    const from = slack.calls.length;
    slack.rateLimited = { times: 1, retryAfterSeconds: 1 };
    const started = Date.now();
    await postToSlackEndpoint(to, dm('UMEGAN', 'help'), JSON_TYPE);
    await waitFor(() => posts('DMEGAN', from) >= 2, 10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const answered = slack.messages.size;
    expect(answered).toBeGreaterThan(0);
    expect(posts('DMEGAN', from)).toBe(2); // the refused one and the retry
  });

  it('Slack down for 2 minutes in the middle of a change: acks stay immediate, the step waits in the outbox and arrives once when Slack is back', async () => {
    const MEGAN = DEMO_USERS[1] as (typeof DEMO_USERS)[number];
    const { browserSignIn, askToVerify } = slackChat(
      () => slack,
      () => bot,
      to.secret,
    );
    const from = slack.calls.length;
    const link = await askToVerify('UMEGAN', 'DMEGAN', from);

    slack.down = true;
    const downAt = Date.now();
    try {
      // She finishes her sign-in in the browser while Slack is unreachable: the bot cannot tell her in Slack yet.
      const page = await browserSignIn(link, 'UMEGAN', MEGAN);
      expect(page.status).toBe(200);
      const ack = await postToSlackEndpoint(to, dm('UMEGAN', 'hello?'), JSON_TYPE);
      expect(ack.status).toBe(200);
      expect(ack.ms).toBeLessThan(1000);
      await new Promise((r) => setTimeout(r, 120_000 - (Date.now() - downAt)));
      expect(slack.droppedWhileDown).toBeGreaterThan(3);
    } finally {
      slack.down = false;
    }
    // Back: the flow's next step (the number entry) was kept and is delivered by the next due retry, once.
    await waitFor(() => entries(from) >= 1, 120_000);
    await new Promise((r) => setTimeout(r, 5000));
    expect(entries(from)).toBe(1);
    expect(bot.logs.some((l) => l.includes('PROOFUP_EFFECT_FAILED'))).toBe(true);
  }, 300_000);
});

const entries = (from: number) =>
  slack.calls
    .slice(from)
    .filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'DMEGAN')
    .filter((c) => /Enter the new number/.test(JSON.stringify(c.args.blocks))).length;
