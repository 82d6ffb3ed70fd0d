// Reminder campaigns in Slack: the reminder in a person's DM with the bot (in the helpdesk's language: Proofup does not
// know a person's language before they write), carrying the campaign in the message's metadata — so that after a crash
// in the middle of a send, the DM's history (conversations.history, scope im:history) says whether it arrived and it
// is sent again only when it did not — and the campaign message in a Slack agent's DM, updated in place.
import type { webApi } from '@slack/bolt';
import type { ConversationReference } from 'botbuilder';
import { campaignView } from '../../helpdesk/campaign-view.js';
import type { Campaign, CampaignPresenter } from '../../helpdesk/campaigns.js';
import { type Lang, t } from '../../i18n/i18n.js';
import { RETIREMENT } from '../../readiness/sms-voice-retirement.js';
import { longDate } from '../../time.js';
import { actions, type Block, button, context, facts, header, section } from './blocks.js';
import { slackChannelOf } from './slack-references.js';
import { clientAt } from './slack-workspaces.js';

/** The metadata event type of a reminder (Slack: lower case, letters, digits, underscores). */
export const REMINDER_EVENT = 'proofup_reminder';
/** How far back a DM's history is read for a reminder (a campaign's sends are minutes apart, not pages). */
const HISTORY_PAGE = 100;

export class SlackCampaignPresenter implements CampaignPresenter {
  constructor(
    private readonly client: webApi.WebClient,
    /** HELPDESK_LANGUAGE: the reminders' language. */
    private readonly lang: Lang = 'en',
    /** HELPDESK_TIME_ZONE: when the campaign's people were last re-read. */
    private readonly timeZone = 'UTC',
  ) {}

  async reminder(reference: Partial<ConversationReference>, campaign: Campaign): Promise<void> {
    const lang = this.lang;
    const title = t(lang, 'card.reminder.title');
    const data = { campaignId: campaign.id, lang };
    await clientAt(this.client, reference).chat.postMessage({
      channel: slackChannelOf(reference),
      text: title,
      blocks: [
        header(title),
        section(t(lang, 'card.reminder.body', { date: longDate(RETIREMENT.users, lang), agent: campaign.agent.name })),
        actions('reminder', [
          button(t(lang, 'card.reminder.passkey'), { action: 'reminder.passkey', ...data }, 'primary'),
          button(t(lang, 'card.reminder.snooze'), { action: 'reminder.snooze', ...data }),
          button(t(lang, 'card.reminder.optOut'), { action: 'reminder.optOut', ...data }),
        ]),
      ],
      metadata: { event_type: REMINDER_EVENT, event_payload: { campaign: campaign.id } },
    });
  }

  /** Whether this campaign's reminder is in the DM (the bot's messages since the campaign started). */
  async delivered(reference: Partial<ConversationReference>, campaign: Campaign): Promise<boolean> {
    const history = await clientAt(this.client, reference).conversations.history({
      channel: slackChannelOf(reference),
      oldest: String(Math.floor((campaign.startedAt ?? campaign.at) / 1000) - 60),
      limit: HISTORY_PAGE,
      include_all_metadata: true,
    });
    return (history.messages ?? []).some(
      (m) =>
        m.metadata?.event_type === REMINDER_EVENT &&
        (m.metadata.event_payload as { campaign?: unknown } | undefined)?.campaign === campaign.id,
    );
  }

  /** The campaign message in the agent's DM: posted once, then updated in place. */
  async card(campaign: Campaign): Promise<string | undefined> {
    const channel = slackChannelOf(campaign.agentRef);
    const message = this.cardMessage(campaign);
    const client = clientAt(this.client, campaign.agentRef);
    if (!campaign.cardId) return (await client.chat.postMessage({ channel, ...message })).ts;
    await client.chat.update({ channel, ts: campaign.cardId, ...message });
    return campaign.cardId;
  }

  private cardMessage(campaign: Campaign): { text: string; blocks: Block[] } {
    const lang = campaign.agent.lang;
    const v = campaignView(campaign, this.timeZone);
    const data = { campaignId: v.campaignId, lang };
    const buttons = [
      ...(v.canStart ? [button(t(lang, 'card.campaign.start'), { action: 'campaign.start', ...data }, 'primary')] : []),
      ...(v.canStop ? [button(t(lang, 'card.campaign.stop'), { action: 'campaign.stop', ...data }, 'danger')] : []),
    ];
    return {
      text: `${v.title}: ${v.status}`,
      blocks: [
        header(v.title),
        section(v.status),
        ...facts(v.facts.map((f) => ({ title: f.label, value: f.value }))),
        context(v.note),
        ...(buttons.length ? [actions('campaign', buttons)] : []),
      ],
    };
  }
}
