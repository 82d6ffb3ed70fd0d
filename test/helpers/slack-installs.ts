// A bot in the OAuth-installs mode (several workspaces) against the Slack simulator, and an admin installing the app
// from /slack/install in a browser: Slack's authorize page, a workspace picked, Allow, back to the bot.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { SlackApiSimulator } from '../../src/sandbox/slack/slack-api-simulator.js';
import { manifestBotScopes } from './slack-chat.js';
import { FORM } from './slack-requests.js';
import { startTestBot, type TestBot } from './test-bot.js';
import { TestBrowser } from './test-browser.js';

/** The sandbox bot with SLACK_STATE_SECRET (installs), the given allow-list, and the simulator as Slack. */
export async function startInstallsBot(
  slack: SlackApiSimulator,
  secret: string,
  env: { SLACK_ALLOWED_WORKSPACES: string } & Record<string, string>,
): Promise<TestBot> {
  const bot = await startTestBot({
    profile: 'sandbox',
    env: {
      SLACK_SIGNING_SECRET: secret,
      SLACK_STATE_SECRET: randomBytes(32).toString('base64url'),
      SLACK_TOKEN_KEY: randomBytes(32).toString('base64'),
      SLACK_API_URL: slack.url,
      ...env,
    },
    slackUsers: () => [...slack.users.values()],
  });
  const signIn = bot.config.slack?.signIn;
  if (signIn) slack.oauthClient = { clientId: signIn.clientId, clientSecret: signIn.clientSecret };
  return bot;
}

/** An admin installs the app from /slack/install in their browser, picking `workspace` on Slack's page. */
export async function installFromBrowser(
  bot: TestBot,
  slack: SlackApiSimulator,
  workspace: string,
  browser = new TestBrowser(bot),
) {
  const start = await browser.get('/slack/install');
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location') as string);
  expect(authorize.pathname).toBe('/oauth/v2/authorize');
  expect(authorize.searchParams.get('scope')?.split(',').sort()).toEqual(manifestBotScopes().sort());
  expect(authorize.origin).toBe(new URL(slack.url).origin);
  // Slack's page, as the admin's browser shows it; they pick the workspace and press Allow.
  expect(await (await fetch(authorize)).text()).toContain('Install Proofup');
  const approved = await fetch(authorize.origin + authorize.pathname, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': FORM },
    body: new URLSearchParams({
      workspace,
      state: authorize.searchParams.get('state') ?? '',
      redirect_uri: authorize.searchParams.get('redirect_uri') ?? '',
      scope: authorize.searchParams.get('scope') ?? '',
    }).toString(),
  });
  const back = approved.headers.get('location') as string;
  const done = await browser.get(back);
  return { status: done.status, text: await done.text(), back, browser };
}
