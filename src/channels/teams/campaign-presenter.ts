// Reminder campaigns in Teams: the reminder in each person's 1:1 chat (in the helpdesk's language: Proofup does not
// know a person's language before they write), and the campaign card in the agent's chat, updated in place.
import { MessageFactory } from 'botbuilder';
import type { CardBuilder } from '../../cards/card-builder.js';
import type { Campaign, CampaignPresenter } from '../../helpdesk/campaigns.js';
import { type Lang, t } from '../../i18n/i18n.js';
import { RETIREMENT } from '../../readiness/sms-voice-retirement.js';
import { clockTime, longDate } from '../../time.js';
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
    const c = campaign.counts;
    const fact = (key: string, value: number) => ({
      label: t(lang, 'card.campaign.fact', { key }),
      value: String(value),
    });
    const activity = MessageFactory.attachment(
      this.cards.build(
        'campaign',
        {
          title: campaign.group
            ? t(lang, 'card.campaign.titleGroup', { group: campaign.group })
            : t(lang, 'card.campaign.titleAll'),
          status: t(lang, 'card.campaign.status', {
            state: campaign.state,
            done: c.sent + c.unreachable + c.unknown,
            total: campaign.total,
          }),
          facts: [
            fact('sent', c.sent),
            fact('unreachable', c.unreachable),
            fact('unknown', c.unknown),
            fact('passkey', c.passkey),
            fact('snoozed', c.snoozed),
            fact('optedout', c['opted-out']),
            fact('leftout', campaign.skipped.optedOut + campaign.skipped.snoozed),
            ...(campaign.watch ? [fact('moved', campaign.watch.moved), fact('still', campaign.watch.still)] : []),
          ],
          note: campaign.watch
            ? `${t(lang, 'card.campaign.watched', { at: clockTime(campaign.watch.at, this.timeZone, lang) })} ${t(lang, 'card.campaign.note')}`
            : t(lang, 'card.campaign.note'),
          canStart: campaign.state === 'ready',
          canStop: campaign.state === 'running' || campaign.state === 'ready',
          campaignId: campaign.id,
          lang,
        },
        lang,
      ),
    );
    if (!campaign.cardId) return this.gateway.send(campaign.agentRef, activity);
    await this.gateway.update(campaign.agentRef, campaign.cardId, activity);
    return campaign.cardId;
  }
}
