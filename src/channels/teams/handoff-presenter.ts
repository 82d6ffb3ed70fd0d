// Handoffs in Teams: the agent's status card (one message, replaced in place at each step, in the agent's language)
// and the invitation in the person's 1:1 chat (the agent's language too: it is the agent who writes to them; the
// person's own flow then follows the language they answer in).
import { MessageFactory } from 'botbuilder';
import type { CardBuilder } from '../../cards/card-builder.js';
import { reasonKey } from '../../helpdesk/escalation-view.js';
import type { Handoff, HandoffPresenter } from '../../helpdesk/handoffs.js';
import { t } from '../../i18n/i18n.js';
import { clockTime } from '../../time.js';
import type { ConversationGateway } from './conversation-gateway.js';

export class TeamsHandoffPresenter implements HandoffPresenter {
  constructor(
    private readonly cards: CardBuilder,
    private readonly gateway: ConversationGateway,
  ) {}

  async status(h: Handoff, messageId?: string): Promise<string | undefined> {
    const lang = h.agent.lang;
    const card = this.cards.build(
      'handoff-status',
      {
        title: t(lang, 'card.handoffStatus.title', { name: h.user.name }),
        person: h.user.upn ? `${h.user.name} (${h.user.upn})` : h.user.name,
        reason: t(lang, 'handoff.reason', { reason: reasonKey(h.reason) }),
        status: t(lang, 'handoff.state', { state: h.state }),
        updated: clockTime(h.updatedAt, undefined, lang),
        details: h.detail ? [{ title: t(lang, 'card.handoffStatus.detail'), value: h.detail }] : [],
        lang,
      },
      lang,
    );
    const activity = MessageFactory.attachment(card);
    if (!messageId) return this.gateway.send(h.agentRef, activity);
    await this.gateway.update(h.agentRef, messageId, activity);
    return messageId;
  }

  invite(h: Handoff): Promise<string | undefined> {
    if (!h.userRef) return Promise.reject(new Error('no chat with the person'));
    return this.gateway.send(h.userRef, MessageFactory.attachment(this.inviteCard(h, false)));
  }

  async closeInvite(h: Handoff): Promise<void> {
    if (!h.userRef || !h.inviteMessageId) return;
    await this.gateway.update(h.userRef, h.inviteMessageId, MessageFactory.attachment(this.inviteCard(h, true)));
  }

  private inviteCard(h: Handoff, closed: boolean) {
    const lang = h.agent.lang;
    return this.cards.build(
      'handoff-invite',
      {
        message: t(lang, 'card.handoffInvite.body', {
          agent: h.agent.name,
          reason: t(lang, 'handoff.reason', { reason: reasonKey(h.reason) }),
        }),
        closed: closed ? t(lang, 'card.handoffInvite.closed') : '',
        handoffId: h.id,
        lang,
      },
      lang,
    );
  }
}
