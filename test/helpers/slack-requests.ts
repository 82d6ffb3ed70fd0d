// Requests as Slack sends them to POST /api/slack/events: Events API callbacks as JSON, interactivity (block_actions,
// view_submission) as a form with `payload`, each signed with the app's signing secret (v0 HMAC-SHA256 over
// "v0:<timestamp>:<raw body>"). Bolt verifies them on the bot's side; this only plays Slack.
import { createHmac, randomUUID } from 'node:crypto';
import { actionId, buttonData } from '../../src/channels/slack/blocks.js';
import type { SlackApiSimulator } from '../../src/sandbox/slack/slack-api-simulator.js';
import { sandboxSlack } from '../../src/sandbox/start-sandbox.js';
import { startTestBot, type TestBot } from './test-bot.js';

export interface SlackSender {
  url: string;
  secret: string;
}

export interface SignOptions {
  /** Seconds since the epoch to sign with (default now). */
  timestamp?: number;
  /** Replace the signature (wrong) or leave it out (''). */
  signature?: string;
  retryNum?: number;
}

export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export async function postToSlackEndpoint(
  to: SlackSender,
  body: string,
  contentType: string,
  options: SignOptions = {},
): Promise<{ status: number; text: string; ms: number }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = options.signature ?? sign(to.secret, timestamp, body);
  const started = Date.now();
  const res = await fetch(`${to.url}/api/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      ...(signature ? { 'x-slack-signature': signature } : {}),
      ...(options.retryNum
        ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' }
        : {}),
    },
    body,
  });
  return { status: res.status, text: await res.text(), ms: Date.now() - started };
}

export const TEAM = 'T0SANDBOX';

/** An Events API callback (message.im, app_mention, …) with its event id. */
export function eventCallback(event: Record<string, unknown>, eventId = `Ev${randomUUID().slice(0, 10)}`) {
  return JSON.stringify({
    token: 'deprecated',
    team_id: TEAM,
    api_app_id: 'A0PROOFUP',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event,
    authorizations: [{ team_id: TEAM, user_id: 'U0PROOFUP', is_bot: true }],
  });
}

export const dm = (user: string, text: string, channel = `D${user.slice(1)}`) =>
  eventCallback({ type: 'message', channel_type: 'im', channel, user, text, ts: `${Date.now() / 1000}` });

/** The action_id Slack sends with a press: the one our button had (built from its value), or an odd one. */
function actionIdOfValue(value: string): string {
  const data = buttonData(value);
  return data ? actionId(data) : 'not-ours';
}

/** A button pressed in a DM message (block_actions), as Slack posts it: form-encoded `payload`. */
export function blockAction(
  user: string,
  channel: string,
  value: string,
  triggerId: string,
  /** Another action_id than the button had (a forged press). */
  id = actionIdOfValue(value),
): string {
  const payload = {
    type: 'block_actions',
    team: { id: TEAM, domain: 'sandbox' },
    user: { id: user, team_id: TEAM },
    api_app_id: 'A0PROOFUP',
    channel: { id: channel, name: 'directmessage' },
    container: { type: 'message', channel_id: channel, message_ts: '1.1' },
    trigger_id: triggerId,
    actions: [{ type: 'button', action_id: id, block_id: 'b', value, action_ts: `${Date.now() / 1000}` }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A button pressed on the app's Home tab (block_actions from a view: no channel), as Slack posts it. */
export function homeAction(user: string, value: string, triggerId: string): string {
  const data = buttonData(value);
  const payload = {
    type: 'block_actions',
    team: { id: TEAM, domain: 'sandbox' },
    user: { id: user, team_id: TEAM },
    api_app_id: 'A0PROOFUP',
    container: { type: 'view', view_id: 'VHOME' },
    view: { id: 'VHOME', type: 'home', team_id: TEAM },
    trigger_id: triggerId,
    actions: [{ type: 'button', action_id: data ? actionId(data) : 'x', block_id: 'b', value }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A global shortcut chosen from Slack's shortcuts menu. */
export function globalShortcut(user: string, callbackId: string, triggerId: string): string {
  const payload = {
    type: 'shortcut',
    token: 'deprecated',
    action_ts: `${Date.now() / 1000}`,
    team: { id: TEAM, domain: 'sandbox' },
    user: { id: user, username: user.toLowerCase(), team_id: TEAM },
    callback_id: callbackId,
    trigger_id: triggerId,
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A modal submitted (view_submission). `values`: { block: value } (a select's value becomes selected_option). */
export function viewSubmission(
  user: string,
  callbackId: string,
  metadata: string,
  values: Record<string, string>,
  selects: string[] = [],
  /** Checkbox blocks: their value ticked ('' for none). */
  checks: string[] = [],
): string {
  const element = (block: string, value: string) => {
    if (checks.includes(block)) return { type: 'checkboxes', selected_options: value ? [{ value }] : [] };
    if (selects.includes(block)) return { type: 'static_select', selected_option: { value } };
    return { type: 'plain_text_input', value };
  };
  const state = Object.fromEntries(
    Object.entries(values).map(([block, value]) => [block, { [block]: element(block, value) }]),
  );
  const payload = {
    type: 'view_submission',
    team: { id: TEAM },
    user: { id: user, team_id: TEAM },
    api_app_id: 'A0PROOFUP',
    trigger_id: `${Date.now()}.${randomUUID().slice(0, 8)}`,
    view: { id: 'V1', type: 'modal', callback_id: callbackId, private_metadata: metadata, state: { values: state } },
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';

export const SLACK_TEST_SECRET = 'slack-signing-secret-0123456789abcdef';
export const SLACK_TEST_TOKEN = 'xoxb-sandbox-0123456789';

/** The sandbox bot with Slack on, against its own Slack Web API simulator (the sandbox's people as Slack users). */
export async function startSlackTestBot(
  env: Record<string, string> = {},
): Promise<{ bot: TestBot; slack: SlackApiSimulator; to: SlackSender }> {
  const slack = sandboxSlack(SLACK_TEST_TOKEN);
  await slack.start();
  const bot = await startTestBot({
    profile: 'sandbox',
    env: {
      SLACK_SIGNING_SECRET: SLACK_TEST_SECRET,
      SLACK_BOT_TOKEN: SLACK_TEST_TOKEN,
      SLACK_API_URL: slack.url,
      ...env,
    },
    slackUsers: () => [...slack.users.values()],
  });
  return { bot, slack, to: { url: bot.url, secret: SLACK_TEST_SECRET } };
}

/** Where a request comes from: a workspace, or a workspace of an Enterprise Grid org (installed org-wide or not). */
export interface SlackOrigin {
  team: string;
  enterprise?: string;
  orgWide?: boolean;
}

/** The same request as sent from another workspace (or Grid org): Slack's team and enterprise fields rewritten. */
export function fromWorkspace(origin: SlackOrigin, body: string): string {
  const enterprise = origin.enterprise ?? null;
  if (body.startsWith('{')) {
    const event = JSON.parse(body) as Record<string, unknown>;
    return JSON.stringify({
      ...event,
      team_id: origin.team,
      ...(enterprise ? { enterprise_id: enterprise } : {}),
      authorizations: [
        {
          team_id: origin.orgWide ? null : origin.team,
          enterprise_id: enterprise,
          user_id: 'U0PROOFUP',
          is_bot: true,
          is_enterprise_install: Boolean(origin.orgWide),
        },
      ],
      is_enterprise_install: Boolean(origin.orgWide),
    });
  }
  const payload = JSON.parse(new URLSearchParams(body).get('payload') as string) as Record<string, unknown>;
  const user = payload.user as Record<string, unknown>;
  return new URLSearchParams({
    payload: JSON.stringify({
      ...payload,
      team: {
        id: origin.team,
        domain: origin.team.toLowerCase(),
        ...(enterprise ? { enterprise_id: enterprise } : {}),
      },
      enterprise: enterprise ? { id: enterprise, name: enterprise } : null,
      is_enterprise_install: Boolean(origin.orgWide),
      user: { ...user, team_id: origin.team },
    }),
  }).toString();
}
