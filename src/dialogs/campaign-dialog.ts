// "remind phone-only users" / "remind phone-only users in group Sales": a helpdesk member, after their own helpdesk
// sign-in, prepares a reminder campaign (the campaign card says how many people, and who is left out) and starts it;
// the card then moves as the reminders go out; "Stop" ends it. The person's reminder offers "Set up a passkey now",
// "Remind me in a week" and "Don't remind me" (remembered across campaigns).
import type { TurnContext } from 'botbuilder';
import { TurnContext as TC } from 'botbuilder';
import { z } from 'zod';
import type { Wish } from '../flow/flow.js';
import type { CampaignPresenter, Choice, ReminderCampaigns } from '../helpdesk/campaigns.js';
import { type Lang, t } from '../i18n/i18n.js';
import type { Grant } from '../identity/step-up-service.js';
import { type HelpdeskAccessDeps, isHelpdeskGrant, requireAgent } from './helpdesk-access.js';

const campaignSchema = z.object({ campaignId: z.string().uuid() });

export interface CampaignDialogDeps extends HelpdeskAccessDeps {
  campaigns: ReminderCampaigns;
  presenter: CampaignPresenter;
  liveGrant: (context: TurnContext) => Promise<Grant | undefined>;
  signIn: (context: TurnContext, wish: Wish) => Promise<void>;
}

export class CampaignDialog {
  constructor(private readonly deps: CampaignDialogDeps) {}

  async request(context: TurnContext, lang: Lang, group?: string): Promise<void> {
    if (!(await this.agentWithGrant(context, lang, `remind|${group ?? ''}`))) return;
    return this.prepare(context, lang, group);
  }

  /** After the agent's helpdesk sign-in that "remind …" asked for. */
  async afterStepUp(context: TurnContext, grant: Grant, lang: Lang, query: string): Promise<void> {
    if (!isHelpdeskGrant(context.activity.from.aadObjectId, grant)) return;
    if (!(await requireAgent(this.deps, context, lang, 'readinessReport'))) return;
    return this.prepare(context, lang, query.slice('remind|'.length) || undefined);
  }

  async start(context: TurnContext, lang: Lang): Promise<void> {
    const parsed = campaignSchema.safeParse(context.activity.value ?? {});
    if (!parsed.success) return;
    if (!(await this.agentWithGrant(context, lang, ''))) return;
    const started = await this.deps.campaigns.start(
      parsed.data.campaignId,
      context.activity.from.aadObjectId,
      context.activity.replyToId,
    );
    if (!started) {
      await context.sendActivity(t(lang, 'chat.campaign.notYours'));
      return;
    }
    await this.deps.presenter.card(started);
  }

  async stop(context: TurnContext, lang: Lang): Promise<void> {
    const parsed = campaignSchema.safeParse(context.activity.value ?? {});
    if (!parsed.success) return;
    const stopped = await this.deps.campaigns.stop(parsed.data.campaignId, context.activity.from.aadObjectId);
    if (!stopped) await context.sendActivity(t(lang, 'chat.campaign.notYours'));
  }

  /** A person's answer on their reminder; 'passkey' is counted here and then starts their passkey set-up. */
  async answered(context: TurnContext, lang: Lang, choice: Choice): Promise<void> {
    const parsed = campaignSchema.safeParse(context.activity.value ?? {});
    const oid = context.activity.from.aadObjectId;
    if (!parsed.success || !oid) return;
    await this.deps.campaigns.answered(parsed.data.campaignId, oid, choice);
    if (choice === 'snoozed') await context.sendActivity(t(lang, 'chat.reminder.snoozed'));
    if (choice === 'opted-out') await context.sendActivity(t(lang, 'chat.reminder.optedOut'));
  }

  private async prepare(context: TurnContext, lang: Lang, group: string | undefined): Promise<void> {
    const from = context.activity.from;
    const prepared = await this.deps.campaigns.prepare({
      agent: { oid: from.aadObjectId ?? '', name: from.name ?? '', lang },
      agentRef: TC.getConversationReference(context.activity),
      ...(group ? { group } : {}),
    });
    if (!prepared.ok) {
      const key = prepared.why === 'no-group' ? 'chat.readiness.noGroup' : 'chat.readiness.manyGroups';
      await context.sendActivity(t(lang, key, { group: prepared.group }));
      return;
    }
    if (prepared.campaign.total === 0) {
      await context.sendActivity(t(lang, 'chat.campaign.noneLeft'));
      return;
    }
    const cardId = await this.deps.presenter.card(prepared.campaign);
    if (cardId) await this.deps.campaigns.remember(prepared.campaign.id, cardId);
  }

  /** A helpdesk member in their own 1:1 chat with a live helpdesk sign-in; else asks for it (`query` resumes). */
  private async agentWithGrant(context: TurnContext, lang: Lang, query: string): Promise<boolean> {
    if (context.activity.conversation?.conversationType !== 'personal') {
      await context.sendActivity(t(lang, 'chat.readiness.namesPersonalOnly'));
      return false;
    }
    if (!(await requireAgent(this.deps, context, lang, 'readinessReport'))) return false;
    if (isHelpdeskGrant(context.activity.from.aadObjectId, await this.deps.liveGrant(context))) return true;
    await context.sendActivity(t(lang, 'chat.readiness.verifyFirst'));
    if (query) await this.deps.signIn(context, { lang, helpdesk: { action: 'readiness', query } });
    return false;
  }
}
