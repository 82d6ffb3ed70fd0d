// Which token a Web API call carries: the event's workspace, a pinned one, the default — never a guess.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientAt,
  NoWorkspaceError,
  SlackWorkspaces,
  WorkspaceWebClient,
} from '../../../src/channels/slack/slack-workspaces.js';

let server: Server;
let url = '';
const seen: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(String(req.headers.authorization));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const clientWith = (fallback?: string) =>
  new WorkspaceWebClient(new SlackWorkspaces(async (w) => `xoxb-${w}`, fallback), {
    slackApiUrl: url,
    retryConfig: { retries: 0 },
  });

describe('Slack workspaces: the token of each call', () => {
  it('an event scope, a pinned client inside it, a reference, and the default outside any scope', async () => {
    const workspaces = new SlackWorkspaces(async (w) => `xoxb-${w}`, 'T0HELP');
    const client = new WorkspaceWebClient(workspaces, { slackApiUrl: url, retryConfig: { retries: 0 } });
    seen.length = 0;
    await client.auth.test();
    await workspaces.in('T0ACME', async () => {
      await client.auth.test();
      await client.for('E0GRID').auth.test();
      await clientAt(client, { conversation: { tenantId: 'T0BETA' } }).auth.test();
      await clientAt(client, { conversation: {} }).auth.test();
    });
    await workspaces.in('T0ACME', () => client.auth.test(), 'xoxb-from-bolt');
    expect(seen).toEqual([
      'Bearer xoxb-T0HELP',
      'Bearer xoxb-T0ACME',
      'Bearer xoxb-E0GRID',
      'Bearer xoxb-T0BETA',
      'Bearer xoxb-T0ACME',
      'Bearer xoxb-from-bolt',
    ]);
  });

  it('no scope and no default (OAuth installs without SLACK_HELPDESK_WORKSPACE): refused, nothing sent', async () => {
    seen.length = 0;
    await expect(clientWith().auth.test()).rejects.toBeInstanceOf(NoWorkspaceError);
    expect(seen).toEqual([]);
  });
});
