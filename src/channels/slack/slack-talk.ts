// How the Slack helpdesk talks to one person: in their DM with the bot, or — to whoever pressed a button in a channel —
// ephemerally (only they see it). Shared by the helpdesk's Slack modules.
import { randomUUID } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import type { AuditLog, AuditRecord } from '../../audit/audit-log.js';
import type { Wish } from '../../flow/flow.js';
import type { EscalationService } from '../../helpdesk/escalations.js';
import { type Lang, t } from '../../i18n/i18n.js';
import type { SlackBindings } from '../../identity/slack-bindings.js';
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

/**
 * The presser's binding when their linked Entra account is a helpdesk agent (HELPDESK_GROUP_ID); anyone else is told
 * so, and the refusal is audited under `action`.
 */
export interface SlackAgentDeps {
  bindings: Pick<SlackBindings, 'get'>;
  escalations: Pick<EscalationService, 'isAgent'>;
  audit: AuditLog;
}

export async function slackAgent(
  deps: SlackAgentDeps,
  talk: SlackTalk,
  dm: SlackAddress,
  lang: Lang,
  action: AuditRecord['action'],
) {
  const binding = await deps.bindings.get(dm.team, dm.user);
  if (binding && (await deps.escalations.isAgent(binding.oid))) return binding;
  await deps.audit.append({
    id: randomUUID(),
    at: new Date().toISOString(),
    flowId: '',
    actorOid: binding?.oid ?? '',
    channel: 'slack',
    action,
    steps: [],
    result: 'refused',
    reason: 'not-helpdesk',
  });
  await talk.say(dm, t(lang, 'chat.handoff.notAgent'));
  return undefined;
}
