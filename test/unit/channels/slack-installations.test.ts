// The sealed store of Slack installations: tokens never at rest in the clear, a record opens only under its own key
// and id, only allowed workspaces and orgs are stored, and a workspace of a Grid org finds the org-wide install.
import { randomBytes } from 'node:crypto';
import type { Installation } from '@slack/oauth';
import { describe, expect, it } from 'vitest';
import { SlackInstallations, WorkspaceNotAllowedError } from '../../../src/channels/slack/slack-installations.js';
import { SqliteStorage } from '../../../src/storage/sqlite-storage.js';

const key = randomBytes(32);
const workspace = (id: string, token: string) =>
  ({
    team: { id, name: `${id} Inc` },
    enterprise: undefined,
    isEnterpriseInstall: false,
    bot: { token, id: 'B1', userId: 'U0BOT', scopes: ['chat:write'] },
    authVersion: 'v2',
  }) as unknown as Installation<'v2', false>;
const org = (id: string, token: string) =>
  ({
    team: undefined,
    enterprise: { id, name: 'Grid' },
    isEnterpriseInstall: true,
    bot: { token, id: 'B1', userId: 'U0BOT', scopes: ['chat:write'] },
    authVersion: 'v2',
  }) as unknown as Installation<'v2', true>;
const byTeam = (teamId: string, enterpriseId?: string) =>
  ({ teamId, enterpriseId, isEnterpriseInstall: false }) as const;

describe('Slack installations, sealed', () => {
  it('stores an allowed install sealed (no token, no name in the clear) and opens it again', async () => {
    const storage = new SqliteStorage(':memory:');
    const store = new SlackInstallations(storage, key, new Set(['T1']));
    await store.storeInstallation(workspace('T1', 'xoxb-secret-1'));
    expect(JSON.stringify(await storage.read(['slackinstall/T1']))).not.toMatch(/xoxb|T1 Inc/);
    expect((await store.fetchInstallation(byTeam('T1'))).bot?.token).toBe('xoxb-secret-1');
    expect(await store.list()).toEqual(['T1']);
  });

  it('refuses an install the allow-list does not name, and writes nothing', async () => {
    const storage = new SqliteStorage(':memory:');
    const store = new SlackInstallations(storage, key, new Set(['T1']));
    await expect(store.storeInstallation(workspace('T2', 'xoxb-2'))).rejects.toBeInstanceOf(WorkspaceNotAllowedError);
    expect(await store.list()).toEqual([]);
  });

  it('does not open under another key, nor when copied under another workspace id', async () => {
    const storage = new SqliteStorage(':memory:');
    await new SlackInstallations(storage, key, new Set(['T1', 'T2'])).storeInstallation(workspace('T1', 'xoxb-1'));
    await expect(
      new SlackInstallations(storage, randomBytes(32), new Set(['T1'])).fetchInstallation(byTeam('T1')),
    ).rejects.toThrow(/authenticate/);
    const sealed = (await storage.read(['slackinstall/T1']))['slackinstall/T1'] as Record<string, unknown>;
    const { eTag: _e, ...copy } = sealed;
    await storage.writeOne('slackinstall/T2', copy);
    await expect(new SlackInstallations(storage, key, new Set(['T2'])).fetchInstallation(byTeam('T2'))).rejects.toThrow(
      /authenticate/,
    );
  });

  it('a workspace of a Grid org finds the org-wide install; an uninstall deletes it; a dropped id is no longer served', async () => {
    const storage = new SqliteStorage(':memory:');
    const store = new SlackInstallations(storage, key, new Set(['E1']));
    await store.storeInstallation(org('E1', 'xoxb-org'));
    expect((await store.fetchInstallation(byTeam('T9', 'E1'))).bot?.token).toBe('xoxb-org');
    expect(
      (
        await new SlackInstallations(storage, key, new Set(['T9']))
          .fetchInstallation(byTeam('T9', 'E1'))
          .catch(() => undefined)
      )?.bot,
    ).toBeUndefined();
    await store.deleteInstallation({ enterpriseId: 'E1', teamId: undefined, isEnterpriseInstall: true });
    await expect(store.fetchInstallation(byTeam('T9', 'E1'))).rejects.toThrow(/no Slack installation/);
  });
});
