// What the agent's campaign card shows, as data both chats draw (Teams: cards/campaign.json; Slack: Block Kit): the
// scope, where it stands, the counts (sent, unreachable, unknown, answers, left out, moved off phone-only) and what the
// agent can still do (Start while ready, Stop while ready or running).
import { type Lang, t } from '../i18n/i18n.js';
import { clockTime } from '../time.js';
import type { Campaign } from './campaigns.js';

export interface CampaignView {
  title: string;
  status: string;
  facts: { label: string; value: string }[];
  note: string;
  canStart: boolean;
  canStop: boolean;
  campaignId: string;
}

export function campaignView(campaign: Campaign, timeZone: string): CampaignView {
  const lang: Lang = campaign.agent.lang;
  const c = campaign.counts;
  const fact = (key: string, value: number) => ({
    label: t(lang, 'card.campaign.fact', { key }),
    value: String(value),
  });
  return {
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
      ? `${t(lang, 'card.campaign.watched', { at: clockTime(campaign.watch.at, timeZone, lang) })} ${t(lang, 'card.campaign.note')}`
      : t(lang, 'card.campaign.note'),
    canStart: campaign.state === 'ready',
    canStop: campaign.state === 'running' || campaign.state === 'ready',
    campaignId: campaign.id,
  };
}
