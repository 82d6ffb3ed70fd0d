// Where OAuth installs keep their tokens: @slack/oauth's InstallationStore over Proofup's storage (SQLite or Blob, so
// every instance sees every install). One record per installation, keyed by the Grid org (E…) for an org-wide install
// and by the workspace (T…) otherwise; the whole installation — bot token, refresh token, ids — is sealed with
// AES-256-GCM under SLACK_TOKEN_KEY, with the record's key as associated data (a sealed record copied under another
// workspace's key does not open). Only the ids in SLACK_ALLOWED_WORKSPACES can be stored. Deleted on uninstall.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Installation, InstallationQuery, InstallationStore } from '@slack/oauth';
import type { ProofupStorage } from '../../storage/store.js';

export const SLACK_INSTALL_PREFIX = 'slackinstall/';

/** An install from a workspace or org that SLACK_ALLOWED_WORKSPACES does not list. */
export class WorkspaceNotAllowedError extends Error {
  constructor(readonly workspace: string) {
    super(`Slack workspace ${workspace} is not in SLACK_ALLOWED_WORKSPACES`);
  }
}

/** The id an installation answers for: its Grid org when installed org-wide, else its workspace. */
export function installationId(i: {
  isEnterpriseInstall?: boolean;
  enterprise?: { id?: string };
  team?: { id?: string };
}) {
  const id = i.isEnterpriseInstall ? i.enterprise?.id : i.team?.id;
  if (!id) throw new Error('Slack installation without a workspace or org id');
  return id;
}

interface Sealed {
  iv: string;
  tag: string;
  data: string;
  installedAt: number;
}

export class SlackInstallations implements InstallationStore {
  constructor(
    private readonly storage: ProofupStorage,
    private readonly key: Buffer,
    private readonly allowed: ReadonlySet<string>,
    private readonly now: () => number = Date.now,
  ) {}

  async storeInstallation<AuthVersion extends 'v1' | 'v2'>(installation: Installation<AuthVersion, boolean>) {
    const id = installationId(installation);
    if (!this.allowed.has(id)) throw new WorkspaceNotAllowedError(id);
    await this.storage.writeOne(SLACK_INSTALL_PREFIX + id, { ...this.seal(id, installation) });
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v1' | 'v2', boolean>> {
    for (const id of candidates(query)) {
      if (!this.allowed.has(id)) continue;
      const found = await this.open(id);
      if (found) return found;
    }
    throw new Error(`no Slack installation for ${query.enterpriseId ?? ''}${query.teamId ? ` ${query.teamId}` : ''}`);
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const id = query.isEnterpriseInstall ? query.enterpriseId : query.teamId;
    if (id) await this.storage.delete([SLACK_INSTALL_PREFIX + id]);
  }

  /** The installations stored now (their ids), for operators and tests. */
  async list(): Promise<string[]> {
    return (await this.storage.keys(SLACK_INSTALL_PREFIX)).map((k) => k.slice(SLACK_INSTALL_PREFIX.length));
  }

  private seal(id: string, installation: unknown): Sealed {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(id));
    const data = Buffer.concat([cipher.update(JSON.stringify(installation), 'utf8'), cipher.final()]);
    return {
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
      installedAt: this.now(),
    };
  }

  private async open(id: string): Promise<Installation<'v1' | 'v2', boolean> | undefined> {
    const key = SLACK_INSTALL_PREFIX + id;
    const sealed = (await this.storage.read([key]))[key] as Sealed | undefined;
    if (!sealed) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(sealed.iv, 'base64'))
      .setAAD(Buffer.from(id))
      .setAuthTag(Buffer.from(sealed.tag, 'base64'));
    // A wrong SLACK_TOKEN_KEY or a tampered record throws here ("unable to authenticate data").
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as Installation<'v1' | 'v2', boolean>;
  }
}

/**
 * Which records may answer a query, most precise first: an org-wide install for events Slack marks as such, the
 * workspace's own install, then — for a workspace of a Grid org — the org-wide install, which covers all of them.
 */
function candidates(q: InstallationQuery<boolean>): string[] {
  if (q.isEnterpriseInstall && q.enterpriseId) return [q.enterpriseId];
  return [q.teamId, q.enterpriseId].filter((id): id is string => Boolean(id));
}
