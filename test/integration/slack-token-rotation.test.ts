// Slack token rotation (an app setting many organisations turn on): the bot token expires (Slack: 12 hours) and a
// refresh token, good for ONE use, brings the next pair. @slack/oauth's InstallProvider refreshes a token due within
// 2 hours when it authorizes. Here the simulator issues tokens that expire in 1 hour, so every authorize refreshes:
// the bot must keep answering, events arriving together must not spend the same refresh token twice, and two
// instances on one store must both end with a working token.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackInstalls } from '../../src/channels/slack/slack-installs.js';
import { SlackApiSimulator } from '../../src/sandbox/slack/slack-api-simulator.js';
import { SqliteStorage } from '../../src/storage/sqlite-storage.js';
import { manifestBotScopes, slackChat } from '../helpers/slack-chat.js';
import { installFromBrowser, startInstallsBot } from '../helpers/slack-installs.js';
import {
  dm,
  fromWorkspace,
  JSON_TYPE,
  postToSlackEndpoint,
  type SlackOrigin,
  type SlackSender,
} from '../helpers/slack-requests.js';
import type { TestBot } from '../helpers/test-bot.js';

const SECRET = 'slack-signing-secret-0123456789abcdef';
const ACME: SlackOrigin = { team: 'T0ACME' };
const HOUR_S = 3600;

let bot: TestBot;
let slack: SlackApiSimulator;
let to: SlackSender;

beforeAll(async () => {
  slack = new SlackApiSimulator(undefined);
  slack.scopes = new Set(manifestBotScopes());
  slack.oauth.rotation = { expiresInSeconds: HOUR_S };
  slack.installable.set('T0ACME', { id: 'T0ACME', name: 'Acme' });
  for (let i = 1; i <= 5; i++)
    slack.users.set(`UACME${i}`, {
      id: `UACME${i}`,
      team_id: 'T0ACME',
      name: `person${i}`,
      real_name: `Person ${i}`,
      locale: 'en-US',
      email: `person${i}@contoso.test`,
    });
  await slack.start();
  bot = await startInstallsBot(slack, SECRET, { SLACK_ALLOWED_WORKSPACES: 'T0ACME' });
  to = { url: bot.url, secret: SECRET };
});
afterAll(async () => {
  await bot?.close();
  await slack?.stop();
});

const { shown } = slackChat(
  () => slack,
  () => bot,
  SECRET,
);

async function installAcme(): Promise<void> {
  expect((await installFromBrowser(bot, slack, 'T0ACME')).status).toBe(200);
}

const greetings = (from: number) =>
  slack.calls
    .slice(from)
    .filter((c) => c.method === 'chat.postMessage' && /Here is what I can do/.test(JSON.stringify(c.args)));

describe('Slack token rotation', () => {
  it('installs with an expiring token and a refresh token, kept sealed; a message is answered with a refreshed token', async () => {
    await installAcme();
    const stored = JSON.stringify(await bot.app.storage.read(['slackinstall/T0ACME']));
    expect(stored).not.toMatch(/xoxe/);
    const refreshes = slack.oauth.refreshes;
    const from = slack.calls.length;
    await postToSlackEndpoint(to, fromWorkspace(ACME, dm('UACME1', 'hi')), JSON_TYPE);
    await shown('DACME1', /Here is what I can do/, from);
    expect(slack.oauth.refreshes).toBe(refreshes + 1);
    // The refresh token was spent: the next message works only if the new pair was stored.
    const next = slack.calls.length;
    await postToSlackEndpoint(to, fromWorkspace(ACME, dm('UACME1', 'hi')), JSON_TYPE);
    await shown('DACME1', /Here is what I can do/, next);
    expect(slack.oauth.refreshes).toBe(refreshes + 2);
  });

  it('five messages at once: all answered, and no refresh token spent twice', async () => {
    const refreshes = slack.oauth.refreshes;
    const refused = slack.oauth.refusedRefreshes;
    const from = slack.calls.length;
    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => postToSlackEndpoint(to, fromWorkspace(ACME, dm(`UACME${i}`, 'hi')), JSON_TYPE)),
    );
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await expect.poll(() => greetings(from).length, { timeout: 8000 }).toBe(5);
    expect(new Set(greetings(from).map((c) => c.args.channel)).size).toBe(5);
    // Events that arrive together share one refresh; later ones refresh again (this Slack's tokens are always due).
    // Without the shared authorize, 3 of these refreshes were refused here (each spending the same refresh token).
    expect(slack.oauth.refreshes).toBeGreaterThan(refreshes);
    expect(slack.oauth.refreshes).toBeLessThan(refreshes + 5);
    expect(slack.oauth.refusedRefreshes).toBe(refused);
  });
});

describe('two instances on one store', () => {
  /** Two instances' install stores over one storage (as two processes on one database). */
  const instances = (storage: SqliteStorage) => {
    const installs = bot.config.slack?.installs;
    if (!bot.config.slack || !installs) throw new Error('the test bot has no Slack installs');
    const config = { ...bot.config.slack, installs };
    const deps = {
      storage,
      publicBaseUrl: 'https://proofup.test',
      logger: pino({ level: 'silent' }),
      clientOptions: {},
    };
    return [createSlackInstalls(config, deps), createSlackInstalls(config, deps)] as const;
  };
  /** The install as an instance stored it (what oauth.v2.access gave), expiring at `expiresAt` (seconds). */
  const installation = (granted: { token: string; refreshToken?: string }, expiresAt: number) =>
    ({
      team: { id: 'T0ACME', name: 'Acme' },
      enterprise: undefined,
      isEnterpriseInstall: false,
      appId: 'A0PROOFUP',
      bot: {
        token: granted.token,
        refreshToken: granted.refreshToken,
        expiresAt,
        id: 'B0PROOFUP',
        userId: 'U0PROOFUP',
        scopes: [],
      },
      authVersion: 'v2',
    }) as never;

  it('authorizing at the same moment: both end with a working token, and the stored pair still refreshes', async () => {
    const storage = new SqliteStorage(':memory:');
    const [one, two] = instances(storage);
    const granted = slack.oauth.grantForTests('T0ACME');
    await one.installations.storeInstallation(installation(granted, Math.floor(Date.now() / 1000) + HOUR_S));
    const refused = slack.oauth.refusedRefreshes;
    const [a, b] = await Promise.all([one.tokenOf('T0ACME'), two.tokenOf('T0ACME')]);
    // Slack takes the refresh token once: the other instance's refresh is refused, and it goes on with the token it
    // read, which works until its own expiry; the next authorize reads the pair the first instance stored.
    expect(slack.oauth.refusedRefreshes).toBe(refused + 1);
    expect([a, b]).toContain(granted.token);
    for (const token of [a, b]) expect(slack.oauth.check(token)).toHaveProperty('install');
    // And the pair left in the store is the live one: a third authorize refreshes again, successfully.
    expect(slack.oauth.check(await one.tokenOf('T0ACME'))).toHaveProperty('install');
  });

  it('both waking after the stored token expired: the one whose refresh Slack refused reads the store again', async () => {
    const storage = new SqliteStorage(':memory:');
    const [one, two] = instances(storage);
    const granted = slack.oauth.grantForTests('T0ACME');
    await one.installations.storeInstallation(installation(granted, Math.floor(Date.now() / 1000) - 60));
    slack.oauth.clockOffsetMs = 2 * HOUR_S * 1000; // at Slack too, the stored token has expired
    try {
      const refused = slack.oauth.refusedRefreshes;
      const [a, b] = await Promise.all([one.tokenOf('T0ACME'), two.tokenOf('T0ACME')]);
      expect(slack.oauth.refusedRefreshes).toBe(refused + 1);
      expect(slack.oauth.check(granted.token)).toEqual({ error: 'token_expired' });
      for (const token of [a, b]) expect(slack.oauth.check(token)).toHaveProperty('install');
    } finally {
      slack.oauth.clockOffsetMs = 0;
    }
  });
});
