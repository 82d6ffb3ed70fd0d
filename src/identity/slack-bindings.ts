// Which Entra account a Slack user is: (team, user) → (tid, oid), written only after a sign-in in which ONE browser
// proved the Slack user (Sign in with Slack), signed in to Entra with MFA, and the Entra account holder confirmed the
// link. Never from an e-mail address. Reused for every later sign-in of that Slack user (another Entra account is
// refused); each change still needs a fresh step-up. One Entra account is bound to at most one Slack user at a time:
// the owner record (tid, oid) → (team, user) is created only when absent, so two Slack users racing for the same
// account cannot both win, on one instance or many. Both records are kept 180 days after the last sign-in
// (retention.ts) and rewritten together on every use.

import type { Retained } from '../storage/records.js';
import type { ProofupStorage } from '../storage/store.js';

export interface SlackBinding {
  tid: string;
  oid: string;
  boundAt: number;
  lastUsedAt: number;
}

export interface SlackUserRef {
  team: string;
  user: string;
}

interface Owner extends SlackUserRef {
  boundAt: number;
  lastUsedAt: number;
}

/** How pages and e-mails name the Slack side: "@name (U123)" and "Workspace (T123)", ids alone when unnamed. */
export function slackNames(slack: SlackUserRef & { name?: string; teamName?: string }): {
  slackUser: string;
  workspace: string;
} {
  return {
    slackUser: slack.name ? `@${slack.name} (${slack.user})` : slack.user,
    workspace: slack.teamName ? `${slack.teamName} (${slack.team})` : slack.team,
  };
}

export const SLACK_BINDING_PREFIX = 'slackbind/';
export const SLACK_OWNER_PREFIX = 'slackowner/';

const forwardKey = (team: string, user: string) => `${SLACK_BINDING_PREFIX}${team}:${user}`;
// Lower case: the token names the tenant in lower case; configuration (ENTRA_TENANT_ID) may not.
const ownerKey = (who: { tid: string; oid: string }) =>
  `${SLACK_OWNER_PREFIX}${who.tid.toLowerCase()}:${who.oid.toLowerCase()}`;

export class SlackBindings {
  constructor(
    private readonly storage: ProofupStorage,
    private readonly now: () => number = Date.now,
  ) {}

  async get(team: string, user: string): Promise<SlackBinding | undefined> {
    return this.read<SlackBinding>(forwardKey(team, user));
  }

  /** The Slack user an Entra account is bound to, if any. */
  async ownerOf(who: { tid: string; oid: string }): Promise<SlackUserRef | undefined> {
    const owner = await this.read<Owner>(ownerKey(who));
    return owner && { team: owner.team, user: owner.user };
  }

  /**
   * A new binding: claims the Entra account for this Slack user. Resolves 'taken' (and writes nothing) when the
   * account is already bound to another Slack user.
   */
  async bind(slack: SlackUserRef, who: { tid: string; oid: string }): Promise<'bound' | 'taken'> {
    const now = this.now();
    const claimed = await this.storage.create(ownerKey(who), { ...slack, boundAt: now, lastUsedAt: now });
    if (!claimed) {
      const owner = await this.ownerOf(who);
      if (!owner || owner.team !== slack.team || owner.user !== slack.user) return 'taken';
    }
    await this.storage.writeOne(forwardKey(slack.team, slack.user), {
      tid: who.tid,
      oid: who.oid,
      boundAt: now,
      lastUsedAt: now,
    });
    return 'bound';
  }

  /** A later sign-in through an existing binding: both records live on. */
  async touch(slack: SlackUserRef): Promise<void> {
    const found = await this.get(slack.team, slack.user);
    if (!found) return;
    const lastUsedAt = this.now();
    await this.storage.writeOne(forwardKey(slack.team, slack.user), { ...found, lastUsedAt });
    const owner = await this.read<Owner>(ownerKey(found));
    if (owner && owner.team === slack.team && owner.user === slack.user)
      await this.storage.writeOne(ownerKey(found), { ...owner, lastUsedAt });
  }

  /** Removes this Slack user's binding (and the account's owner record when it names this Slack user). */
  async unbind(slack: SlackUserRef): Promise<SlackBinding | undefined> {
    const found = await this.get(slack.team, slack.user);
    if (!found) return undefined;
    const owner = await this.read<Owner>(ownerKey(found));
    if (owner && owner.team === slack.team && owner.user === slack.user) await this.storage.delete([ownerKey(found)]);
    await this.storage.delete([forwardKey(slack.team, slack.user)]);
    return found;
  }

  private async read<T>(key: string): Promise<T | undefined> {
    const item = (await this.storage.read([key]))[key] as (T & { eTag?: string }) | undefined;
    if (!item) return undefined;
    const { eTag: _eTag, ...value } = item;
    return value as T;
  }
}

/** Slack bindings (src/retention.ts collects it): kept 180 days after the last sign-in. */
export const SLACK_BINDING_RECORDS: readonly Retained[] = [
  {
    prefix: SLACK_BINDING_PREFIX,
    lifetimeMs: 180 * 24 * 3_600_000,
    holds: 'which Entra account (tid, oid) a Slack user (team, user) proved to be, in one browser',
  },
  {
    prefix: SLACK_OWNER_PREFIX,
    lifetimeMs: 180 * 24 * 3_600_000,
    holds: 'the one Slack user (team, user) an Entra account (tid, oid) is bound to',
  },
];
