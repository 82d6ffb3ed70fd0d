// Reading what the bot did in the sandbox's Slack (every Web API call is recorded by the simulator) and playing a
// browser through Sign in with Slack and the sandbox's Entra ID — shared by the Slack integration tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { parse } from 'yaml';
import { HttpsClient } from '../../src/identity/https-client.js';
import { projectRoot } from '../../src/paths.js';
import { DEMO_USERS } from '../../src/sandbox/entra/demo-directory.js';
import type { SlackApiSimulator } from '../../src/sandbox/slack/slack-api-simulator.js';
import { sandboxSlack } from '../../src/sandbox/start-sandbox.js';
import {
  blockAction,
  dm,
  FORM,
  fromWorkspace,
  JSON_TYPE,
  postToSlackEndpoint,
  type SlackOrigin,
  type SlackSender,
} from './slack-requests.js';
import { signInAtEntra } from './step-up-flow.js';
import { startTestBot, type TestBot } from './test-bot.js';
import { TestBrowser } from './test-browser.js';

const ALEX = DEMO_USERS[0] as (typeof DEMO_USERS)[number];
type Message = Record<string, unknown>;

export const textOf = (args: Message | undefined) => JSON.stringify(args?.blocks ?? []) + String(args?.text ?? '');

/** The value of the first button whose text matches, in a message's blocks. */
export function buttonValue(message: Message, title: RegExp): string {
  for (const block of (message.blocks ?? []) as {
    type: string;
    elements?: { text?: { text?: string }; value?: string }[];
  }[])
    for (const el of block.elements ?? []) if (title.test(el.text?.text ?? '')) return el.value ?? '';
  throw new Error(`no button ${title} in ${JSON.stringify(message.blocks)}`);
}

/** The value of the first button whose action_id names `action`. */
export function valueOfAction(message: Message, action: string): string {
  for (const block of (message.blocks ?? []) as { elements?: { action_id?: string; value?: string }[] }[])
    for (const el of block.elements ?? []) if (el.action_id?.startsWith(`${action}:`)) return el.value ?? '';
  throw new Error(`no ${action} button in ${JSON.stringify(message.blocks)}`);
}

export function buttonUrl(message: Message): string {
  const found = JSON.stringify(message.blocks).match(/"url":"([^"]+)"/)?.[1];
  if (!found) throw new Error('no link button');
  return found;
}

/** Helpers over one simulator and one bot (given lazily: both start in beforeAll). */
export function slackChat(slackOf: () => SlackApiSimulator, botOf: () => TestBot, signingSecret?: string) {
  /** Waits for the n-th call of a Web API method (1-based, counted from `from`). */
  async function nth(method: string, n = 1, from = 0) {
    const calls = () => slackOf().calls.slice(from);
    await expect
      .poll(() => calls().filter((c) => c.method === method).length, { timeout: 5000 })
      .toBeGreaterThanOrEqual(n);
    return calls().filter((c) => c.method === method)[n - 1]?.args as Message;
  }

  /** The newest message (posted or updated) in a conversation whose blocks match. */
  async function shown(channel: string, pattern: RegExp, from = 0, method = /^chat\.(postMessage|update)$/) {
    let hit: Message | undefined;
    await expect
      .poll(
        () => {
          hit = slackOf()
            .calls.slice(from)
            .filter((c) => method.test(c.method) && c.args.channel === channel)
            .map((c) => c.args)
            .reverse()
            .find((a) => pattern.test(textOf(a)));
          return Boolean(hit);
        },
        { timeout: 5000 },
      )
      .toBe(true);
    return hit as Message;
  }

  /** Waits until `user` was told something matching, ephemerally, in `channel` (since `from`). */
  async function ephemeral(channel: string, user: string, pattern: RegExp, from = 0) {
    await expect
      .poll(
        () =>
          slackOf()
            .calls.slice(from)
            .some(
              (c) =>
                c.method === 'chat.postEphemeral' &&
                c.args.channel === channel &&
                c.args.user === user &&
                pattern.test(String(c.args.text)),
            ),
        { timeout: 5000 },
      )
      .toBe(true);
  }

  /** The link opened in `browser`, Sign in with Slack as `slackUser`: the bot's answer at /auth/slack/callback. */
  async function slackLeg(browser: TestBrowser, startUrl: string, slackUser: string): Promise<Response> {
    const http = new HttpsClient({ extraCaPem: botOf().caPem });
    const start = await browser.get(startUrl);
    const slackAuthorize = start.headers.get('location') as string;
    if (start.status !== 302) return start;
    expect(slackAuthorize).toContain('/openid/connect/authorize');
    const page = await http.request(slackAuthorize);
    const interaction = /name="interaction" value="([^"]+)"/.exec(page.body)?.[1] as string;
    const decided = await http.request(new URL('/openid/connect/authorize', slackAuthorize).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ interaction, user: slackUser }).toString(),
    });
    return browser.get(decided.headers.location as string);
  }

  /**
   * The sign-in link in one browser (its own cookie jar): Sign in with Slack as `slackUser`, then the sandbox Entra as
   * `entraUser`, then — for a new binding — the confirmation page answered with `decision`. Resolves the last page the
   * bot showed (status and text), and the confirmation page when there was one.
   */
  async function browserSignIn(
    startUrl: string,
    slackUser: string,
    entraUser = ALEX,
    decision: 'link' | 'refuse' = 'link',
    browser = new TestBrowser(botOf()),
  ) {
    const slackBack = await slackLeg(browser, startUrl, slackUser);
    if (slackBack.status !== 302) return { status: slackBack.status, text: await slackBack.text() };
    const entraBack = await signInAtEntra(botOf(), slackBack.headers.get('location') as string, entraUser);
    const page = await browser.get(entraBack);
    const text = await page.text();
    const state = /name="state" value="([^"]+)"/.exec(text)?.[1];
    if (page.status !== 200 || !state) return { status: page.status, text };
    const confirmed = await browser.post('/auth/slack/confirm', { state, decision });
    return { status: confirmed.status, text: await confirmed.text(), confirmPage: text };
  }

  /**
   * "change my mobile number" in `user`'s DM, then "Verify it's you" pressed (from `origin`'s workspace when given):
   * resolves the sign-in link the bot posted. Needs the signing secret given to slackChat.
   */
  async function askToVerify(user: string, channel: string, since: number, origin?: SlackOrigin) {
    const to = { url: botOf().url, secret: signingSecret ?? '' };
    const send = (body: string, type: string) =>
      postToSlackEndpoint(to, origin ? fromWorkspace(origin, body) : body, type);
    // Only what is posted from now on (an earlier refusal also names "Verify it's you").
    const from = Math.max(since, slackOf().calls.length);
    await send(dm(user, 'change my mobile number'), JSON_TYPE);
    // Found by its action, not its label: the user's Slack locale may not be English.
    const intro = await shown(channel, /"action_id":"stepUp\.start:/, from);
    await send(blockAction(user, channel, valueOfAction(intro, 'stepUp.start'), slackOf().trigger()), FORM);
    return buttonUrl(await shown(channel, /auth\/start/, from));
  }

  return { nth, shown, ephemeral, slackLeg, browserSignIn, askToVerify };
}

/** The bot scopes the Slack app manifest asks for. */
export function manifestBotScopes(): string[] {
  const manifest = parse(readFileSync(path.join(projectRoot(), 'manifest/slack/manifest.yml'), 'utf8'));
  return manifest.oauth_config.scopes.bot as string[];
}

/** The sandbox's Slack simulator and a sandbox bot with Slack on, for one test file (started before, closed after). */
export function useSlackSandbox(secret: string, token: string, env: Record<string, string> = {}) {
  const ctx = {} as { bot: TestBot; slack: SlackApiSimulator; to: SlackSender };
  beforeAll(async () => {
    ctx.slack = sandboxSlack(token);
    // The scopes an install of manifest/slack/manifest.yml grants: a scope dropped from it fails the tests.
    ctx.slack.scopes = new Set(manifestBotScopes());
    await ctx.slack.start();
    ctx.bot = await startTestBot({
      profile: 'sandbox',
      env: { SLACK_SIGNING_SECRET: secret, SLACK_BOT_TOKEN: token, SLACK_API_URL: ctx.slack.url, ...env },
      slackUsers: () => [...ctx.slack.users.values()],
    });
    ctx.to = { url: ctx.bot.url, secret };
  });
  afterAll(async () => {
    await ctx.bot?.close();
    await ctx.slack?.stop();
  });
  return ctx;
}
