// Which Entra account a Slack user is: (team, user) → (tid, oid), written only by a sign-in in which the same browser
// proved the Slack user (Sign in with Slack) and then signed in to Entra with MFA. Never from an e-mail address.
// Reused for every later sign-in of that Slack user (another Entra account is refused); each change still needs a
// fresh step-up. Kept 180 days after the last sign-in (storage/retention.ts).
import type { Storage } from 'botbuilder';
import { RecordStore } from '../storage/records.js';

export interface SlackBinding {
  tid: string;
  oid: string;
  boundAt: number;
  lastUsedAt: number;
}

export class SlackBindings {
  private readonly records: RecordStore<SlackBinding>;

  constructor(
    storage: Storage,
    private readonly now: () => number = Date.now,
  ) {
    this.records = new RecordStore(storage, 'slackbind');
  }

  async get(team: string, user: string): Promise<SlackBinding | undefined> {
    return (await this.records.get(`${team}:${user}`))?.value;
  }

  async put(team: string, user: string, who: { tid: string; oid: string }): Promise<void> {
    const found = await this.get(team, user);
    await this.records.put(`${team}:${user}`, {
      ...who,
      boundAt: found?.boundAt ?? this.now(),
      lastUsedAt: this.now(),
    });
  }
}
