// How the Slack helpdesk talks to one person: in their DM with the bot, or — to whoever pressed a button in a channel —
// ephemerally (only they see it). Shared by the helpdesk's Slack modules.
import type { webApi } from '@slack/bolt';
import type { Wish } from '../../flow/flow.js';
import type { Lang } from '../../i18n/i18n.js';
import { type Block, section } from './blocks.js';
import type { SlackAddress } from './slack-presenter.js';

/** Starts a sign-in in a Slack DM (the Slack bot's own step-up start). */
export type SlackSignIn = (dm: SlackAddress, wish: Wish, lang: Lang) => Promise<void>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A record id from a button's value, or undefined for anything else. */
export const uuidOf = (value: unknown) => (typeof value === 'string' && UUID.test(value) ? value : undefined);

export class SlackTalk {
  constructor(private readonly client: webApi.WebClient) {}

  /** The presser's DM with the bot (where sign-ins and the agent's own messages go). */
  async dmOf(at: SlackAddress): Promise<SlackAddress | undefined> {
    if (at.channel.startsWith('D')) return at;
    const opened = await this.client.conversations.open({ users: at.user });
    return opened.channel?.id ? { ...at, channel: opened.channel.id } : undefined;
  }

  /** To the presser only: ephemeral in a channel, a message in a DM. */
  async whisper(at: SlackAddress, text: string): Promise<void> {
    if (at.channel.startsWith('D')) return this.say(at, text);
    await this.client.chat.postEphemeral({ channel: at.channel, user: at.user, text });
  }

  say(dm: SlackAddress, text: string): Promise<void> {
    return this.post(dm, { text, blocks: [section(text)] });
  }

  async post(dm: SlackAddress, message: { text: string; blocks: Block[] }): Promise<void> {
    await this.client.chat.postMessage({ channel: dm.channel, ...message });
  }
}
