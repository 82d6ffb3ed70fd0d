import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/sandbox/entra/demo-directory.js';
import { SlackApiSimulator } from '../../src/sandbox/slack/slack-api-simulator.js';
import { buttonValue, manifestBotScopes, slackChat, textOf } from '../helpers/slack-chat.js';
import { installFromBrowser, startInstallsBot } from '../helpers/slack-installs.js';
import {
  blockAction,
  dm,
  eventCallback,
  FORM,
  fromWorkspace,
  JSON_TYPE,
  postToSlackEndpoint,
  type SlackOrigin,
  type SlackSender,
  viewSubmission,
} from '../helpers/slack-requests.js';
import type { TestBot } from '../helpers/test-bot.js';
import { TestBrowser } from '../helpers/test-browser.js';

const SECRET = 'slack-signing-secret-0123456789abcdef';
const MEGAN = DEMO_USERS[1] as (typeof DEMO_USERS)[number];
const ACME: SlackOrigin = { team: 'T0ACME' };
const BETA: SlackOrigin = { team: 'T0BETA' };
const GRID_ONE: SlackOrigin = { team: 'T0GRIDONE', enterprise: 'E0GRID', orgWide: true };
const GRID_TWO: SlackOrigin = { team: 'T0GRIDTWO', enterprise: 'E0GRID', orgWide: true };

let bot: TestBot;
let slack: SlackApiSimulator;
let to: SlackSender;

beforeAll(async () => {
  slack = new SlackApiSimulator(undefined);
  slack.scopes = new Set(manifestBotScopes());
  for (const [id, name, org] of [
    ['T0ACME', 'Acme', false],
    ['T0BETA', 'Beta', false],
    ['T0EVIL', 'Not ours', false],
    ['E0GRID', 'Grid Org', true],
  ] as const)
    slack.installable.set(id, { id, name, org });
  const person = (id: string, team: string, real: string, enterprise?: string) =>
    slack.users.set(id, {
      id,
      team_id: team,
      name: id.toLowerCase(),
      real_name: real,
      locale: 'en-US',
      email: `${id.toLowerCase()}@contoso.test`,
      ...(enterprise ? { enterprise_id: enterprise } : {}),
    });
  person('UACMEANN', 'T0ACME', 'Ann Acme');
  person('UBETABOB', 'T0BETA', 'Bob Beta');
  person('WGRIDMEGAN', 'T0GRIDONE', MEGAN.name, 'E0GRID');
  person('WGRIDADELE', 'T0GRIDTWO', 'Adele Vance', 'E0GRID');
  await slack.start();
  bot = await startInstallsBot(slack, SECRET, {
    SLACK_ALLOWED_WORKSPACES: 'T0ACME, T0BETA, E0GRID',
    SLACK_HELPDESK_WORKSPACE: 'T0ACME',
  });
  to = { url: bot.url, secret: SECRET };
});
afterAll(async () => {
  await bot?.close();
  await slack?.stop();
});

const { nth, shown, browserSignIn, askToVerify } = slackChat(
  () => slack,
  () => bot,
  SECRET,
);

const install = (workspace: string, browser?: TestBrowser) => installFromBrowser(bot, slack, workspace, browser);

const send = (origin: SlackOrigin, body: string, type = JSON_TYPE) =>
  postToSlackEndpoint(to, fromWorkspace(origin, body), type);

describe('Slack OAuth installs: several workspaces, Enterprise Grid, uninstall', () => {
  it('two workspaces install the app and are each answered with their own token; tokens are sealed at rest', async () => {
    for (const [id, name] of [
      ['T0ACME', 'Acme'],
      ['T0BETA', 'Beta'],
    ]) {
      const page = await install(id as string);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`installed in ${name}`);
    }
    const stored = await bot.app.storage.read(['slackinstall/T0ACME', 'slackinstall/T0BETA']);
    expect(Object.keys(stored).sort()).toEqual(['slackinstall/T0ACME', 'slackinstall/T0BETA']);
    // Sealed: no token, no workspace name in the clear.
    expect(JSON.stringify(stored)).not.toMatch(/xoxb-|Acme|Beta/);

    const from = slack.calls.length;
    await send(ACME, dm('UACMEANN', 'change my MFA phone'));
    await send(BETA, dm('UBETABOB', 'change my MFA phone'));
    const ann = await shown('DACMEANN', /Verify it's you/, from);
    const bob = await shown('DBETABOB', /Verify it's you/, from);
    expect(ann).toBeTruthy();
    expect(bob).toBeTruthy();
    const posts = slack.calls.slice(from).filter((c) => c.method === 'chat.postMessage');
    expect(posts.find((c) => c.args.channel === 'DACMEANN')?.workspace).toBe('T0ACME');
    expect(posts.find((c) => c.args.channel === 'DBETABOB')?.workspace).toBe('T0BETA');
  });

  it('a workspace the allow-list does not name is refused at install (403, nothing stored) and its events get no answer', async () => {
    const page = await install('T0EVIL');
    expect(page.status).toBe(403);
    expect(page.text).toContain('SLACK_ALLOWED_WORKSPACES');
    expect(Object.keys(await bot.app.storage.read(['slackinstall/T0EVIL']))).toEqual([]);
    // Undone at Slack too: no token of that workspace stays alive.
    expect(slack.installed()).not.toContain('T0EVIL');
    expect(slack.of('apps.uninstall').at(-1)?.workspace).toBe('T0EVIL');
    const from = slack.calls.length;
    const res = await send({ team: 'T0EVIL' }, dm('UEVIL', 'change my MFA phone'));
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 400));
    expect(slack.calls.slice(from)).toEqual([]);
  });

  it('the redirect replayed, or opened in another browser, installs nothing', async () => {
    const first = await install('T0ACME');
    expect(first.status).toBe(200);
    const again = await first.browser.get(first.back);
    expect(again.status).toBe(400);
    expect(await again.text()).toMatch(/expired or was opened in another browser/);
    const elsewhere = await new TestBrowser(bot).get(first.back);
    expect(elsewhere.status).toBe(400);
  });

  it('Grid: an org-wide install serves people from two workspaces of the org, keyed by the org; one signs in and changes a phone', async () => {
    expect((await install('E0GRID')).text).toContain('(the whole organisation)');
    const from = slack.calls.length;
    await send(GRID_TWO, dm('WGRIDADELE', 'hi'));
    await shown('DGRIDADELE', /./, from);

    const link = await askToVerify('WGRIDMEGAN', 'DGRIDMEGAN', from, GRID_ONE);
    // Sign in with Slack names the org (https://slack.com/enterprise_id): the same key as the events'.
    const page = await browserSignIn(link, 'WGRIDMEGAN', MEGAN);
    expect(page.status).toBe(200);
    await shown('DGRIDMEGAN', /Verified as Megan Bowen/, from);
    const key = 'slackbind/E0GRID:WGRIDMEGAN';
    expect((await bot.app.storage.read([key]))[key]).toMatchObject({ oid: MEGAN.oid });

    const entry = await shown('DGRIDMEGAN', /Enter the new number/, from);
    await send(
      GRID_ONE,
      blockAction('WGRIDMEGAN', 'DGRIDMEGAN', buttonValue(entry, /Enter the new number/), slack.trigger()),
      FORM,
    );
    const view = (await nth('views.open', 1, from)).view as { callback_id: string; private_metadata: string };
    await send(
      GRID_ONE,
      viewSubmission(
        'WGRIDMEGAN',
        view.callback_id,
        view.private_metadata,
        { country: 'US', number: '(425) 555-0166', channel: 'sms' },
        ['country', 'channel'],
      ),
      FORM,
    );
    const codeCard = await shown('DGRIDMEGAN', /Enter the code/, from);
    const code = /^(\d{6}) /.exec((bot.outbox.lastSmsTo('+14255550166') as { text: string }).text)?.[1] as string;
    await send(
      GRID_ONE,
      blockAction('WGRIDMEGAN', 'DGRIDMEGAN', buttonValue(codeCard, /Enter the code/), slack.trigger()),
      FORM,
    );
    const codeView = (await nth('views.open', 2, from)).view as { callback_id: string; private_metadata: string };
    await send(GRID_ONE, viewSubmission('WGRIDMEGAN', codeView.callback_id, codeView.private_metadata, { code }), FORM);
    const confirm = await shown('DGRIDMEGAN', /Confirm the change/, from);
    await send(
      GRID_ONE,
      blockAction('WGRIDMEGAN', 'DGRIDMEGAN', buttonValue(confirm, /^Confirm$/), slack.trigger()),
      FORM,
    );
    const done = await shown('DGRIDMEGAN', /Done/, from);
    expect(textOf(done)).toContain('+1 ••• ••• 01 66');
    expect(bot.graph.users.get(MEGAN.oid)?.phones.mobile).toBe('+1 4255550166');
    // Every call for the org — events, the browser's return, the flow's steps — spoke with the org's token.
    const forGrid = slack.calls.slice(from).filter((c) => /GRID/.test(String(c.args.channel ?? c.args.user ?? '')));
    expect(forGrid.length).toBeGreaterThan(8);
    expect(new Set(forGrid.map((c) => c.workspace))).toEqual(new Set(['E0GRID']));
  });

  it('uninstall: the installation is deleted, later events from that workspace are not answered, the others still are', async () => {
    slack.uninstall('T0BETA');
    const uninstalled = eventCallback({ type: 'app_uninstalled' });
    expect((await send(BETA, uninstalled)).status).toBe(200);
    await expect.poll(async () => Object.keys(await bot.app.storage.read(['slackinstall/T0BETA'])).length).toBe(0);
    expect(bot.logs.some((l) => l.includes('PROOFUP_SLACK_UNINSTALLED'))).toBe(true);
    const from = slack.calls.length;
    await send(BETA, dm('UBETABOB', 'change my MFA phone'));
    await send(ACME, dm('UACMEANN', 'help'));
    await shown('DACMEANN', /./, from);
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.calls.slice(from).filter((c) => c.args.channel === 'DBETABOB')).toEqual([]);
  });
});
