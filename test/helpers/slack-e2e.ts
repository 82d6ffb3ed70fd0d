// Playing Slack against `npm start` (the sandbox with Slack on): signed Events API and interactivity requests as Slack
// sends them, and what the bot did read back from the sandbox's Slack Web API simulator (/_sandbox/calls).
import { expect } from 'vitest';
import { type E2eSession, useE2eSession } from './e2e-session.js';
import { freePort } from './ports.js';
import { blockAction, FORM, JSON_TYPE, postToSlackEndpoint } from './slack-requests.js';

type Call = { method: string; args: Record<string, unknown> };
export type SlackMessage = Record<string, unknown>;

/** One `npm start` sandbox with Slack on (its simulator and Sign in with Slack on free ports), and ways to talk to it. */
export function useSlackE2e(secret: string) {
  let slackUrl = '';
  const e2e: E2eSession = useE2eSession(async () => {
    const [api, oidc] = [await freePort(), await freePort()];
    slackUrl = `http://127.0.0.1:${api}`;
    return {
      SLACK_SIGNING_SECRET: secret,
      SLACK_BOT_TOKEN: 'xoxb-e2e-sandbox',
      SANDBOX_SLACK_PORT: String(api),
      SANDBOX_SLACK_OIDC_PORT: String(oidc),
    };
  });
  const calls = async (): Promise<Call[]> =>
    ((await (await fetch(`${slackUrl}/_sandbox/calls`)).json()) as { calls: Call[] }).calls;
  const trigger = async () =>
    ((await (await fetch(`${slackUrl}/_sandbox/trigger`)).json()) as { trigger_id: string }).trigger_id;
  const send = (body: string, type = JSON_TYPE) => postToSlackEndpoint({ url: e2e.sandbox.botUrl, secret }, body, type);

  /** How many Web API calls the bot has made so far (to look only at what comes after). */
  const mark = async () => (await calls()).length;

  /** The newest message the bot posted or updated (or `methods`) in `channel` that matches, after call `since`. */
  async function shown(channel: string, pattern: RegExp, methods = /^chat\.(postMessage|update)$/, since = 0) {
    let hit: SlackMessage | undefined;
    await expect
      .poll(
        async () => {
          hit = (await calls())
            .slice(since)
            .filter((c) => methods.test(c.method) && c.args.channel === channel)
            .map((c) => c.args)
            .reverse()
            .find((a) => pattern.test(JSON.stringify(a.blocks ?? a.text)));
          return Boolean(hit);
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    return hit as SlackMessage;
  }

  /** The n-th modal the bot opened (views.open), once it is open. */
  async function modal(n: number): Promise<{ callback_id: string; private_metadata: string }> {
    const opened = async () => (await calls()).filter((c) => c.method === 'views.open');
    await expect.poll(async () => (await opened()).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(n);
    return (await opened())[n - 1]?.args.view as { callback_id: string; private_metadata: string };
  }

  /** `user` presses the button titled `title` of `message` in `channel`. */
  const press = async (user: string, channel: string, message: SlackMessage, title: RegExp) =>
    send(blockAction(user, channel, button(message, title).value, await trigger()), FORM);

  return { e2e, calls, mark, send, shown, modal, press };
}

export function button(message: SlackMessage, title: RegExp): { value: string; url?: string } {
  for (const block of message.blocks as { elements?: { text?: { text?: string }; value?: string; url?: string }[] }[])
    for (const el of block.elements ?? [])
      if (title.test(el.text?.text ?? '')) return { value: el.value ?? '', url: el.url };
  throw new Error(`no button ${title}`);
}
