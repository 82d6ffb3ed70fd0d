// Reminder campaigns started from Slack, on the same service as Teams (helpdesk/campaigns.ts): "remind phone-only
// users [in group X]" in an agent's DM → their own helpdesk sign-in there (when none holds) → the campaign message in
// that DM (how many people, who is left out) with Start and Stop → the message moves as the reminders go out. An agent
// is an agent only through the Entra account their Slack user is linked to; only the agent who prepared a campaign
// starts or stops it.
import { carriedWish } from '../../flow/flow.js';
import { isHelpdeskGrant } from '../../helpdesk/agent-grant.js';
import type { CampaignPresenter, ReminderCampaigns } from '../../helpdesk/campaigns.js';
import { type Lang, t } from '../../i18n/i18n.js';
import type { Grant, StepUpService } from '../../identity/step-up-service.js';
import { slackReference } from './slack-helpdesk-views.js';
import { type SlackAddress, slackChatOf } from './slack-presenter.js';
import { type SlackAgentDeps, type SlackSignIn, type SlackTalk, slackAgent, uuidOf } from './slack-talk.js';

/** The sign-in's carried query: "remind|<group>" (the readiness report's own queries never start so). */
export const REMIND_QUERY = 'remind|';

export interface SlackCampaignsDeps extends SlackAgentDeps {
  campaigns: Pick<ReminderCampaigns, 'prepare' | 'remember' | 'start' | 'stop'>;
  /** The campaign message in the agent's chat (routed by chat: a Slack agent's is in their DM). */
  presenter: Pick<CampaignPresenter, 'card'>;
  stepUp: Pick<StepUpService, 'grant'>;
}

export class SlackCampaigns {
  constructor(
    private readonly deps: SlackCampaignsDeps,
    private readonly talk: SlackTalk,
    private readonly signIn: SlackSignIn,
  ) {}

  /** "remind phone-only users [in group X]" typed by an agent in their DM. */
  async request(dm: SlackAddress, lang: Lang, group: string | undefined): Promise<void> {
    const grant = await this.agentGrant(dm, lang);
    if (grant === false) return;
    if (grant) return this.prepare(dm, grant, lang, group);
    await this.talk.say(dm, t(lang, 'chat.readiness.verifyFirst'));
    await this.signIn(dm, { lang, helpdesk: { action: 'readiness', query: `${REMIND_QUERY}${group ?? ''}` } }, lang);
  }

  /** The agent's helpdesk sign-in that "remind …" asked for is done. */
  async afterSignIn(dm: SlackAddress, grant: Grant, lang: Lang): Promise<void> {
    if (!(await slackAgent(this.deps, this.talk, dm, lang, 'readinessReport'))) return;
    const group = (carriedWish(grant)?.helpdesk?.query ?? '').slice(REMIND_QUERY.length);
    return this.prepare(dm, grant, lang, group || undefined);
  }

  /** "Start reminders": the agent who prepared it, with a live helpdesk sign-in. */
  async start(dm: SlackAddress, data: Record<string, unknown>, lang: Lang): Promise<void> {
    const id = uuidOf(data.campaignId);
    const grant = id && (await this.agentGrant(dm, lang));
    if (grant === false || !id) return;
    if (!grant) return this.talk.say(dm, t(lang, 'chat.readiness.verifyFirst'));
    const started = await this.deps.campaigns.start(id, grant.oid);
    if (!started) return this.talk.say(dm, t(lang, 'chat.campaign.notYours'));
    await this.deps.presenter.card(started);
  }

  /** "Stop": only the agent who prepared it (the service checks the owner). */
  async stop(dm: SlackAddress, data: Record<string, unknown>, lang: Lang): Promise<void> {
    const id = uuidOf(data.campaignId);
    const binding = await this.deps.bindings.get(dm.team, dm.user);
    const stopped = id && binding ? await this.deps.campaigns.stop(id, binding.oid) : undefined;
    if (!stopped) await this.talk.say(dm, t(lang, 'chat.campaign.notYours'));
  }

  private async prepare(dm: SlackAddress, grant: Grant, lang: Lang, group: string | undefined): Promise<void> {
    const prepared = await this.deps.campaigns.prepare({
      agent: { oid: grant.oid, name: grant.name || grant.upn, lang },
      agentRef: slackReference(dm),
      ...(group ? { group } : {}),
    });
    if (!prepared.ok) {
      const key = prepared.why === 'no-group' ? 'chat.readiness.noGroup' : 'chat.readiness.manyGroups';
      return this.talk.say(dm, t(lang, key, { group: prepared.group }));
    }
    if (prepared.campaign.total === 0) return this.talk.say(dm, t(lang, 'chat.campaign.noneLeft'));
    const cardId = await this.deps.presenter.card(prepared.campaign);
    if (cardId) await this.deps.campaigns.remember(prepared.campaign.id, cardId);
  }

  /**
   * An agent (else told, and the refusal audited: false) with a live helpdesk sign-in of their linked account in
   * this DM (undefined when none holds).
   */
  private async agentGrant(dm: SlackAddress, lang: Lang): Promise<Grant | undefined | false> {
    const binding = await this.deps.bindings.get(dm.team, dm.user);
    if (binding && !(await slackAgent(this.deps, this.talk, dm, lang, 'readinessReport'))) return false;
    const grant = await this.deps.stepUp.grant(slackChatOf(dm));
    return binding && isHelpdeskGrant(binding.oid, grant) ? grant : undefined;
  }
}
