// The sandbox's Slack Web API answers as Slack does before doing anything: `missing_scope` (with needed/provided) for
// a method the token's scopes do not cover, and `invalid_blocks` / `invalid_arguments` for Block Kit beyond Slack's
// limits — so an integration test fails where Slack would refuse, not only where Proofup's own checks do.
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackApiSimulator } from '../../src/sandbox/slack/slack-api-simulator.js';
import { blockProblem, viewProblem } from '../../src/sandbox/slack/slack-rules.js';
import { manifestBotScopes } from '../helpers/slack-chat.js';

const TOKEN = 'xoxb-sandbox-rules-0123';
let slack: SlackApiSimulator;
let client: webApi.WebClient;
beforeAll(async () => {
  slack = new SlackApiSimulator(TOKEN);
  await slack.start();
  client = new webApi.WebClient(TOKEN, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
});
afterAll(() => slack.stop());

const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok:',
    (err: { data?: { error?: string; needed?: string } }) => `${err.data?.error}:${err.data?.needed ?? ''}`,
  );

describe('the Slack simulator refuses as Slack does', () => {
  it('missing_scope names the scope the method needs', async () => {
    slack.scopes = new Set(['im:write']);
    expect(await errorOf(client.chat.postMessage({ channel: 'D1', text: 'hi' }))).toBe('missing_scope:chat:write');
    expect(await errorOf(client.conversations.history({ channel: 'D1' }))).toBe('missing_scope:im:history');
    expect(await errorOf(client.conversations.open({ users: 'U1' }))).toBe('ok:');
    // The manifest's scopes cover every method Proofup calls.
    slack.scopes = new Set(manifestBotScopes());
    expect(await errorOf(client.chat.postMessage({ channel: 'D1', text: 'hi' }))).toBe('ok:');
    expect(await errorOf(client.conversations.history({ channel: 'D1' }))).toBe('ok:');
  });

  it('invalid_blocks for Block Kit beyond its limits', async () => {
    slack.scopes = new Set(manifestBotScopes());
    const button = (text: string, id = 'a') => ({ type: 'button', action_id: id, text: { type: 'plain_text', text } });
    const post = (blocks: unknown[]) =>
      errorOf(client.chat.postMessage({ channel: 'D1', text: 'x', blocks: blocks as never }));
    expect(await post([{ type: 'actions', elements: [button('x'.repeat(76))] }])).toBe('invalid_blocks:');
    expect(await post([{ type: 'actions', elements: [button('a'), button('b')] }])).toBe('invalid_blocks:'); // same id
    expect(await post([{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }])).toBe(
      'invalid_blocks:',
    );
    expect(await post(Array.from({ length: 51 }, () => ({ type: 'divider' })))).toBe('invalid_blocks:');
    expect(await post([{ type: 'actions', elements: [button('fine')] }])).toBe('ok:');
  });

  it('a modal title over 24 characters is refused; a Home tab must be a home view', () => {
    expect(viewProblem({ type: 'modal', title: { type: 'plain_text', text: 't'.repeat(25) }, blocks: [] })).toMatch(
      /title/,
    );
    expect(viewProblem({ type: 'home', blocks: [] })).toBeUndefined();
    expect(viewProblem({ type: 'workflow_step', blocks: [] })).toMatch(/modal or home/);
    expect(blockProblem([{ type: 'section' }])).toMatch(/text or fields/);
  });
});
