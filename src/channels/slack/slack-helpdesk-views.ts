// The helpdesk in Slack, drawn in Block Kit: the escalation card in the Slack helpdesk channel (posted once, updated in
// place when an agent takes it — everyone sees "Taken by …" and "Take it" goes), the agent's handoff status message in
// their DM (replaced at each step) and the invitation in the person's DM. The same data as Teams' Adaptive Cards
// (helpdesk/escalation-view.ts), in the helpdesk's language and time zone; never a number or a code.
import type { webApi } from '@slack/bolt';
import type { ConversationReference } from 'botbuilder';
import { escalationView, reasonKey } from '../../helpdesk/escalation-view.js';
import type { Escalation, HelpdeskChannel } from '../../helpdesk/escalations.js';
import type { Handoff, HandoffPresenter } from '../../helpdesk/handoffs.js';
import type { DirectoryPerson } from '../../helpdesk/helpdesk-graph.js';
import { type Lang, t } from '../../i18n/i18n.js';
import type { SlackBindings } from '../../identity/slack-bindings.js';
import { clockTime } from '../../time.js';
import { actions, type Block, button, context, facts, header, section } from './blocks.js';
import { SlackCampaignPresenter } from './slack-campaign-presenter.js';
import { SlackPassPresenter } from './slack-pass-presenter.js';
import type { SlackAddress } from './slack-presenter.js';
import { slackChannelOf } from './slack-references.js';
import { clientAt } from './slack-workspaces.js';

/** A Slack conversation as a conversation reference (how helpdesk records name where a message lives). */
export function slackReference(address: { channel: string; user?: string; team?: string }) {
  return {
    channelId: 'slack',
    conversation: { id: address.channel, ...(address.team ? { tenantId: address.team } : {}) },
    ...(address.user ? { user: { id: address.user } } : {}),
  } as Partial<ConversationReference>;
}

/** The Slack DM a reference names, when it is one. */
export function addressOfReference(reference: Partial<ConversationReference> | undefined): SlackAddress | undefined {
  if (reference?.channelId !== 'slack' || !reference.conversation?.id || !reference.user?.id) return undefined;
  return { team: reference.conversation.tenantId ?? '', user: reference.user.id, channel: reference.conversation.id };
}

export class SlackHelpdeskChannel implements HelpdeskChannel {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly lang: Lang = 'en',
    /** HELPDESK_TIME_ZONE: times as the helpdesk reads them. */
    private readonly timeZone = 'UTC',
  ) {}

  async post(reference: Partial<ConversationReference>, escalation: Escalation): Promise<string | undefined> {
    const posted = await this.client.chat.postMessage({
      channel: slackChannelOf(reference),
      ...this.message(escalation),
    });
    return posted.ts;
  }

  async update(reference: Partial<ConversationReference>, messageId: string, escalation: Escalation): Promise<void> {
    await this.client.chat.update({ channel: slackChannelOf(reference), ts: messageId, ...this.message(escalation) });
  }

  private message(e: Escalation): { text: string; blocks: Block[] } {
    const lang = this.lang;
    const v = escalationView(e, lang, this.timeZone);
    const data = { escalationId: v.escalationId, lang };
    return {
      text: v.title,
      blocks: [
        header(v.title),
        ...facts([
          { title: t(lang, 'card.escalation.who'), value: v.who },
          { title: t(lang, 'card.escalation.reasonLabel'), value: v.reason },
          ...v.facts,
        ]),
        ...(v.taken ? [section(`*${v.taken}*`)] : []),
        context(t(lang, 'card.escalation.never')),
        actions('escalation', [
          v.taken
            ? button(t(lang, 'card.escalation.handToBot'), { action: 'helpdesk.handoff', ...data })
            : button(t(lang, 'card.escalation.take'), { action: 'helpdesk.take', ...data }, 'primary'),
        ]),
      ],
    };
  }
}

/** A reminder campaign's message in a person's Slack DM (the campaign card stays in the agent's Teams chat). */
export class SlackHandoffPresenter implements HandoffPresenter {
  constructor(private readonly client: webApi.WebClient) {}

  async status(h: Handoff, messageId?: string): Promise<string | undefined> {
    const lang = h.agent.lang;
    const title = t(lang, 'card.handoffStatus.title', { name: h.user.name });
    const message = {
      channel: slackChannelOf(h.agentRef),
      text: title,
      blocks: [
        header(title),
        ...facts([
          {
            title: t(lang, 'card.handoffStatus.person'),
            value: h.user.upn ? `${h.user.name} (${h.user.upn})` : h.user.name,
          },
          {
            title: t(lang, 'card.handoffStatus.reason'),
            value: t(lang, 'handoff.reason', { reason: reasonKey(h.reason) }),
          },
          { title: t(lang, 'card.handoffStatus.status'), value: t(lang, 'handoff.state', { state: h.state }) },
          { title: t(lang, 'card.handoffStatus.updated'), value: clockTime(h.updatedAt, undefined, lang) },
          ...(h.detail ? [{ title: t(lang, 'card.handoffStatus.detail'), value: h.detail }] : []),
        ]),
        context(t(lang, 'card.handoffStatus.note')),
      ],
    };
    const client = clientAt(this.client, h.agentRef);
    if (!messageId) return (await client.chat.postMessage(message)).ts;
    await client.chat.update({ ...message, ts: messageId });
    return messageId;
  }

  async invite(h: Handoff): Promise<string | undefined> {
    if (!h.userRef) throw new Error('no chat with the person');
    return (
      await clientAt(this.client, h.userRef).chat.postMessage({
        channel: slackChannelOf(h.userRef),
        ...this.invitation(h, false),
      })
    ).ts;
  }

  async closeInvite(h: Handoff): Promise<void> {
    if (!h.userRef || !h.inviteMessageId) return;
    await clientAt(this.client, h.userRef).chat.update({
      channel: slackChannelOf(h.userRef),
      ts: h.inviteMessageId,
      ...this.invitation(h, true),
    });
  }

  private invitation(h: Handoff, closed: boolean): { text: string; blocks: Block[] } {
    const lang = h.agent.lang;
    const title = t(lang, 'card.handoffInvite.title');
    const body = t(lang, 'card.handoffInvite.body', {
      agent: h.agent.name,
      reason: t(lang, 'handoff.reason', { reason: reasonKey(h.reason) }),
    });
    return {
      text: title,
      blocks: [
        header(title),
        section(body),
        closed
          ? context(t(lang, 'card.handoffInvite.closed'))
          : actions('invite', [
              button(t(lang, 'card.handoffInvite.start'), { action: 'handoff.accept', handoffId: h.id }, 'primary'),
              button(t(lang, 'card.handoffInvite.decline'), { action: 'handoff.decline', handoffId: h.id }, 'danger'),
            ]),
      ],
    };
  }
}

/**
 * Slack's presenters for the shared helpdesk services, and how a person is found in Slack: the Slack user bound to their
 * Entra account (this tenant's), and the bot's DM with them.
 */
export function slackHelpdeskSide(
  client: webApi.WebClient,
  config: { helpdesk: { lang: Lang; timeZone: string }; stepUp: { tenantId: string } },
  bindings: Pick<SlackBindings, 'ownerOf'>,
) {
  return {
    channel: new SlackHelpdeskChannel(client, config.helpdesk.lang, config.helpdesk.timeZone),
    handoffs: new SlackHandoffPresenter(client),
    passes: new SlackPassPresenter(client, config.helpdesk.lang, config.helpdesk.timeZone),
    reminders: new SlackCampaignPresenter(client, config.helpdesk.lang, config.helpdesk.timeZone),
    chatOf: async (person: Pick<DirectoryPerson, 'oid'>) => {
      const owner = await bindings.ownerOf({ tid: config.stepUp.tenantId, oid: person.oid });
      if (!owner) return undefined;
      const opened = await clientAt(client, { conversation: { tenantId: owner.team } }).conversations.open({
        users: owner.user,
      });
      const channel = opened.channel?.id;
      return channel ? slackReference({ channel, user: owner.user, team: owner.team }) : undefined;
    },
  };
}
