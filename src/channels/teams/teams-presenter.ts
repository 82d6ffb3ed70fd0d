// Flow views → Adaptive Cards (the template of the same name in /cards) for Teams, the Agents Playground and the
// Emulator. Updates cards in place; a card that is no longer live is replaced by a button-less one.
import { type Activity, type ConversationReference, MessageFactory } from 'botbuilder';
import type { CardBuilder, CardName } from '../../cards/card-builder.js';
import type { View } from '../../flow/views.js';
import { DEFAULT_LANG, type Lang } from '../../i18n/i18n.js';
import type { Logger } from '../../logging.js';
import type { FlowPresenter } from '../../runner/flow-presenter.js';
import { ownerTag, stampOwner } from './card-owner.js';
import type { ConversationGateway } from './conversation-gateway.js';

export class TeamsPresenter implements FlowPresenter {
  constructor(
    private readonly cards: CardBuilder,
    private readonly gateway: ConversationGateway,
    private readonly logger: Logger,
  ) {}

  /** The activity for a view; its buttons carry the tag of the user it is for (see card-owner.ts). */
  activityOf(view: View, reference?: Partial<ConversationReference>, lang: Lang = DEFAULT_LANG): Partial<Activity> {
    if (view.name === 'notice') return MessageFactory.text(view.text);
    const card = this.cards.build(view.name as CardName, { ...view.model, lang }, lang);
    const userId = reference?.user?.id;
    return MessageFactory.attachment(userId ? stampOwner(card, ownerTag(reference.channelId ?? '', userId)) : card);
  }

  async show(
    address: unknown,
    view: View,
    replace?: string,
    lang?: Lang,
  ): Promise<{ messageId?: string; replaced: boolean }> {
    const reference = address as Partial<ConversationReference>;
    const activity = this.activityOf(view, reference, lang);
    if (replace) {
      try {
        await this.gateway.update(reference, replace, activity);
        return { messageId: replace, replaced: true };
      } catch (err) {
        this.logger.warn({ err, view: view.name }, 'could not update the card in place; sending it as a new message');
      }
    }
    return { messageId: await this.gateway.send(reference, activity), replaced: false };
  }

  async retire(address: unknown, messageId: string, lang: Lang = DEFAULT_LANG): Promise<void> {
    const card = MessageFactory.attachment(this.cards.build('step-closed', {}, lang));
    await this.gateway.update(address as Partial<ConversationReference>, messageId, card);
  }
}
