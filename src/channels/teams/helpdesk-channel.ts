// Escalations as Adaptive Cards in the helpdesk's Teams channel: posted once, updated in place when an agent takes one
// (everyone in the channel sees "Taken by …" and the button goes). In the helpdesk's language (HELPDESK_LANGUAGE).
import { type ConversationReference, MessageFactory } from 'botbuilder';
import type { CardBuilder } from '../../cards/card-builder.js';
import { escalationView } from '../../helpdesk/escalation-view.js';
import type { Escalation, HelpdeskChannel } from '../../helpdesk/escalations.js';
import type { Lang } from '../../i18n/i18n.js';
import type { ConversationGateway } from './conversation-gateway.js';

export class TeamsHelpdeskChannel implements HelpdeskChannel {
  constructor(
    private readonly cards: CardBuilder,
    private readonly gateway: ConversationGateway,
    private readonly lang: Lang = 'en',
    /** HELPDESK_TIME_ZONE: times as the helpdesk reads them. */
    private readonly timeZone = 'UTC',
  ) {}

  post(reference: Partial<ConversationReference>, escalation: Escalation): Promise<string | undefined> {
    return this.gateway.send(reference, this.activity(escalation));
  }

  update(reference: Partial<ConversationReference>, messageId: string, escalation: Escalation): Promise<void> {
    return this.gateway.update(reference, messageId, this.activity(escalation));
  }

  private activity(e: Escalation) {
    const lang = this.lang;
    const card = this.cards.build('escalation', { ...escalationView(e, lang, this.timeZone), lang }, lang);
    return MessageFactory.attachment(card);
  }
}
