// Reminder campaigns in Teams: the reminder in each person's 1:1 chat (in the helpdesk's language: Proofup does not
// know a person's language before they write), and the campaign card in the agent's chat, updated in place.
import { MessageFactory } from 'botbuilder';
import type { CardBuilder } from '../../cards/card-builder.js';
import { campaignView } from '../../helpdesk/campaign-view.js';
import type { Campaign, CampaignPresenter } from '../../helpdesk/campaigns.js';
import { type Lang, t } from '../../i18n/i18n.js';
import { RETIREMENT } from '../../readiness/sms-voice-retirement.js';
import { longDate } from '../../time.js';
import type { ConversationGateway } from './conversation-gateway.js';

export class TeamsCampaignPresenter implements CampaignPresenter {
  constructor(
    private readonly cards: CardBuilder,
    private readonly gateway: ConversationGateway,
    private readonly lang: Lang,
    /** HELPDESK_TIME_ZONE, for the time the card's counts were read. */
    private readonly timeZone: string,
  ) {}

  async reminder(reference: Parameters<ConversationGateway['send']>[0], campaign: Campaign): Promise<void> {
    const lang = this.lang;
    const card = this.cards.build(
      'reminder',
      {
        message: t(lang, 'card.reminder.body', { date: longDate(RETIREMENT.users, lang), agent: campaign.agent.name }),
        campaignId: campaign.id,
        lang,
      },
      lang,
    );
    await this.gateway.send(reference, MessageFactory.attachment(card));
  }

  async card(campaign: Campaign): Promise<string | undefined> {
    const lang = campaign.agent.lang;
    const activity = MessageFactory.attachment(
      this.cards.build('campaign', { ...campaignView(campaign, this.timeZone), lang }, lang),
    );
    if (!campaign.cardId) return this.gateway.send(campaign.agentRef, activity);
    await this.gateway.update(campaign.agentRef, campaign.cardId, activity);
    return campaign.cardId;
  }
}
