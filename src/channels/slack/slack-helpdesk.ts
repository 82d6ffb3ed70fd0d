// The helpdesk in Slack, on the same services as Teams (escalations.ts, handoffs.ts) — only the talking differs.
// A person who is stuck asks the helpdesk from their DM; the card goes to SLACK_HELPDESK_CHANNEL (and the Teams channel
// and ticket systems as configured). "Take it" there: the presser is an agent only through the Entra account their
// Slack user is bound to (a member of HELPDESK_GROUP_ID), and only after their own fresh sign-in made for a helpdesk
// action, sent to their DM — never in the channel. "Hand to the bot" then invites the person in THEIR Slack DM (found
// through their binding, never by e-mail); they sign in themselves, and the agent watches one status message. Whatever
// is said to the presser in the channel is ephemeral (only they see it).

import type { webApi } from '@slack/bolt';
import type { AuditLog } from '../../audit/audit-log.js';
import { requestFacts } from '../../conversation/replies.js';
import { carriedWish } from '../../flow/flow.js';
import { isHelpdeskGrant } from '../../helpdesk/agent-grant.js';
import type { CampaignPresenter, Choice, ReminderCampaigns } from '../../helpdesk/campaigns.js';
import { takeRefusal } from '../../helpdesk/escalation-view.js';
import {
  ESCALATION_REASONS,
  type EscalationReason,
  type EscalationService,
  postsOf,
} from '../../helpdesk/escalations.js';
import type { HandoffService } from '../../helpdesk/handoffs.js';
import type { HelpdeskGraph } from '../../helpdesk/helpdesk-graph.js';
import { PASS_REFUSALS } from '../../helpdesk/pass-types.js';
import type { PassService } from '../../helpdesk/passes.js';
import type { ReadinessReports } from '../../helpdesk/readiness-reports.js';
import { type Lang, t } from '../../i18n/i18n.js';
import { sameOid } from '../../identity/same-oid.js';
import type { SlackBindings } from '../../identity/slack-bindings.js';
import type { Grant, StepUpService } from '../../identity/step-up-service.js';
import type { PersonLimits } from '../../limits/person-limits.js';
import type { Logger } from '../../logging.js';
import {
  HANDOFF_FORM_TEXT,
  HANDOFF_TEXT,
  isEmail,
  PASS_TEXT,
  READINESS_NAMES_TEXT,
  READINESS_TEXT,
  REMIND_TEXT,
} from '../../recognizer/helpdesk-commands.js';
import { actions, button, section } from './blocks.js';
import { REMIND_QUERY, SlackCampaigns } from './slack-campaigns.js';
import { HAND_OVER, SlackHandoffs } from './slack-handoffs.js';
import { SlackPasses } from './slack-passes.js';
import { type SlackAddress, slackChatOf } from './slack-presenter.js';
import { SlackReadiness } from './slack-readiness.js';
import { type SlackSignIn, SlackTalk, uuidOf } from './slack-talk.js';

export interface SlackHelpdeskDeps {
  client: webApi.WebClient;
  stepUp: Pick<StepUpService, 'grant'>;
  escalations: EscalationService;
  handoffs: HandoffService;
  graph: Pick<HelpdeskGraph, 'findPeople'>;
  audit: AuditLog;
  /** Temporary Access Passes: the person's (or manager's) verification and the pass itself, in their DM. */
  passes?: Pick<
    PassService,
    'get' | 'personVerified' | 'managerConfirmed' | 'decline' | 'hide' | 'prepare' | 'attest' | 'personWays' | 'approve'
  >;
  /** HELPDESK_AUTH_CONTEXT: an agent's sign-in for a pass must carry it. */
  authContext?: string;
  bindings: Pick<SlackBindings, 'get'>;
  /** Reminder campaigns: an agent's "remind phone-only users", Start and Stop; the person's answer on a reminder. */
  campaigns?: Pick<ReminderCampaigns, 'answered' | 'prepare' | 'remember' | 'start' | 'stop'>;
  /** The campaign message in the agent's chat (routed by chat). */
  campaignPresenter?: Pick<CampaignPresenter, 'card'>;
  /** The readiness report ("readiness", "readiness names"), for agents. */
  reports?: Pick<ReadinessReports, 'report'>;
  /** HELPDESK_TIME_ZONE. */
  timeZone?: string;
  helpdeskContact: string;
  logger: Logger;
  /** Requests for the helpdesk per person per hour (ESCALATIONS_PER_HOUR). */
  limits?: Pick<PersonLimits, 'allow'>;
}

/** What a press does: who pressed where, the data the button carried, their language, the trigger for a modal. */
export type SlackAction = (
  address: SlackAddress,
  data: Record<string, unknown>,
  lang: Lang,
  triggerId?: string,
) => Promise<void>;

export class SlackHelpdesk {
  private readonly talk: SlackTalk;
  /** Handoffs: "Hand to the bot", "help <who>", the person's Start / "I didn't ask for this". */
  readonly handoffs: SlackHandoffs;
  /** "readiness", "readiness names" (when the report is wired). */
  readonly readiness?: SlackReadiness;
  /** "tap <who>": a pass asked for from Slack. */
  readonly passRequests?: SlackPasses;
  /** "remind phone-only users [in group X]": a reminder campaign started from Slack. */
  readonly campaignRequests?: SlackCampaigns;

  constructor(
    private readonly deps: SlackHelpdeskDeps,
    private readonly signIn: SlackSignIn,
  ) {
    this.talk = new SlackTalk(deps.client);
    this.handoffs = new SlackHandoffs(deps, this.talk, signIn);
    if (deps.passes) this.passRequests = new SlackPasses({ ...deps, passes: deps.passes }, this.talk, signIn);
    if (deps.campaigns && deps.campaignPresenter)
      this.campaignRequests = new SlackCampaigns(
        { ...deps, campaigns: deps.campaigns, presenter: deps.campaignPresenter },
        this.talk,
        signIn,
      );
    if (deps.reports)
      this.readiness = new SlackReadiness(
        { ...deps, reports: deps.reports, timeZone: deps.timeZone ?? 'UTC' },
        this.talk,
        signIn,
      );
  }

  /**
   * An agent's command typed in their DM — "help <e-mail>" (a name only when nothing else was recognised), "hand off",
   * "readiness [names] [for group X]"; false when the text is none of them.
   */
  async command(dm: SlackAddress, text: string, intent: string, lang: Lang): Promise<boolean> {
    const names = this.readiness && READINESS_NAMES_TEXT.exec(text);
    const report = this.readiness && READINESS_TEXT.exec(text);
    const named = HANDOFF_TEXT.exec(text)?.[1];
    const passFor = this.passRequests && PASS_TEXT.exec(text)?.[1];
    const remind = this.campaignRequests && REMIND_TEXT.exec(text);
    if (passFor) await this.passRequests?.request(dm, passFor, lang);
    else if (remind) await this.campaignRequests?.request(dm, lang, remind[1]);
    else if (names) await this.readiness?.request(dm, lang, { names: true, group: names[1] });
    else if (report) await this.readiness?.request(dm, lang, { group: report[1] });
    else if (HANDOFF_FORM_TEXT.test(text)) await this.handoffs.how(dm, lang);
    else if (named && (isEmail(named) || intent === 'help' || intent === 'none'))
      await this.handoffs.byName(dm, named, lang);
    else return false;
    return true;
  }

  /** The helpdesk's buttons (in a DM or in the helpdesk channel), by action: Bolt routes each press to its own. */
  routes(): Record<string, SlackAction> {
    const reminder =
      (choice: Choice): SlackAction =>
      (at, data, lang) =>
        this.reminderAnswered(at, data, choice, lang);
    return {
      'reminder.passkey': reminder('passkey'),
      'reminder.snooze': reminder('snoozed'),
      'reminder.optOut': reminder('opted-out'),
      'readiness.names': (at, data, lang) => this.namesPage(at, data, lang),
      'slack.tapAttest': async (at, data, lang, trigger) => this.passRequests?.openAttestation(at, data, lang, trigger),
      'helpdesk.escalate': (at, data, lang, trigger) => this.escalate(at, data, lang, trigger),
      'helpdesk.take': (at, data, lang) => this.take(at, data, lang),
      'helpdesk.handoff': (at, data, lang) => this.handoffs.chooseReason(at, data, lang),
      [HAND_OVER]: (at, data, lang) => this.handoffs.handOver(at, data, lang),
      'handoff.accept': (at, data, lang) => this.handoffs.answer(at, data, 'open', lang),
      'handoff.decline': (at, data, lang) => this.handoffs.answer(at, data, 'decline', lang),
      'helpdesk.tapVerify': (at, data, lang) => this.verifyForPass(at, data, lang),
      'helpdesk.tapDecline': (at, data, lang) => this.declinePass(at, data, lang),
      'helpdesk.tapHide': (at, data) => this.hidePass(at, data),
      'helpdesk.tapApprove': async (at, data, lang) => this.passRequests?.approve(at, data, lang),
      'campaign.start': async (at, data, lang) => this.campaignRequests?.start(at, data, lang),
      'campaign.stop': async (at, data, lang) => this.campaignRequests?.stop(at, data, lang),
    };
  }

  /** The agent's sign-in for a helpdesk action finished (in their DM): carry on with what they pressed. */
  async afterSignIn(dm: SlackAddress, grant: Grant, lang: Lang): Promise<void> {
    const ask = carriedWish(grant)?.helpdesk;
    const binding = await this.deps.bindings.get(dm.team, dm.user);
    if (ask?.action === 'tapVerify' && binding && sameOid(binding.oid, grant.oid) && uuidOf(ask.query))
      return this.passVerified(dm, grant, ask.query as string, lang);
    if (!ask || !binding || !isHelpdeskGrant(binding.oid, grant)) return;
    if (ask.action === 'take' && uuidOf(ask.query)) return this.takeAs(dm, grant, ask.query as string, lang);
    if (ask.action === 'handoff') return this.handoffs.afterSignIn(dm, grant, lang);
    if (ask.action === 'readiness' && ask.query?.startsWith(REMIND_QUERY))
      return this.campaignRequests?.afterSignIn(dm, grant, lang);
    if (ask.action === 'readiness') return this.readiness?.afterSignIn(dm, grant, lang);
    if (ask.action === 'tap') return this.passRequests?.afterSignIn(dm, grant, lang);
    if (ask.action === 'tapApprove') return this.passRequests?.afterApproveSignIn(dm, grant, lang);
  }

  /** "Ask the helpdesk" in a person's DM: a ticket and channel cards with what an agent needs, then tell them. */
  private async escalate(dm: SlackAddress, data: Record<string, unknown>, lang: Lang, triggerId?: string) {
    const reason = (ESCALATION_REASONS as readonly string[]).includes(String(data.reason))
      ? (data.reason as EscalationReason)
      : 'human';
    const binding = await this.deps.bindings.get(dm.team, dm.user);
    const who = { oid: binding?.oid ?? `slack:${dm.team}:${dm.user}`, channel: 'slack' };
    if (this.deps.limits && !(await this.deps.limits.allow('escalations-per-hour', who)))
      return this.talk.say(dm, t(lang, 'limit.escalationsPerHour', { helpdesk: this.deps.helpdeskContact }));
    const grant = await this.deps.stepUp.grant(slackChatOf(dm));
    const verified = grant && binding && sameOid(grant.oid, binding.oid) ? grant : undefined;
    const slackName = await this.slackName(dm.user);
    const flowId = uuidOf(data.flowId);
    try {
      const escalation = await this.deps.escalations.escalate({
        reason,
        requester: {
          oid: binding?.oid ?? '',
          name: verified?.name || slackName,
          ...(verified ? { upn: verified.upn, verified: { at: verified.authTime * 1000, acrs: verified.acrs } } : {}),
        },
        channel: 'slack',
        details: {
          ...requestFacts('slack', lang),
          'Slack user': `@${slackName} (${dm.user})`,
          ...(flowId && binding ? await this.deps.escalations.changeFacts(flowId, binding.oid) : {}),
        },
        // The press itself: Slack gives each one its own trigger_id, so a redelivery opens no second ticket.
        ...(triggerId ? { delivery: `slack\n${dm.channel}\n${triggerId}` } : {}),
      });
      const ref = escalation.tickets[0]?.reference;
      if (!ref && postsOf(escalation).length === 0)
        return this.talk.say(dm, t(lang, 'chat.escalationFailed', { helpdesk: this.deps.helpdeskContact }));
      await this.talk.say(dm, ref ? t(lang, 'chat.escalatedTicket', { ref }) : t(lang, 'chat.escalated'));
    } catch (err) {
      this.deps.logger.error({ err, reason }, 'escalation failed');
      await this.talk.say(dm, t(lang, 'chat.escalationFailed', { helpdesk: this.deps.helpdeskContact }));
    }
  }

  /** "Take it" on a card in the helpdesk channel. */
  private async take(at: SlackAddress, data: Record<string, unknown>, lang: Lang): Promise<void> {
    const id = uuidOf(data.escalationId);
    const escalation = id ? await this.deps.escalations.get(id) : undefined;
    if (!id || !escalation) return this.talk.whisper(at, t(lang, 'chat.escalationUnknown'));
    const binding = await this.deps.bindings.get(at.team, at.user);
    const taken = escalation.takenBy;
    if (taken && !sameOid(taken.oid, binding?.oid))
      return this.talk.whisper(at, t(lang, 'chat.takenAlready', { name: taken.name }));
    if (binding && sameOid(escalation.requester.oid, binding.oid))
      return this.talk.whisper(at, t(lang, 'chat.take.ownRequest'));
    if (binding && !(await this.deps.escalations.isAgent(binding.oid))) {
      // Refused and audited by the service itself.
      const refused = await this.deps.escalations.take(id, { oid: binding.oid, name: '' }, 'slack');
      if (!refused.ok) return this.talk.whisper(at, takeRefusal(lang, refused));
    }
    const dm = await this.talk.dmOf(at);
    if (!dm) return;
    const grant = await this.deps.stepUp.grant(slackChatOf(dm));
    // Not linked yet, or no fresh helpdesk sign-in: one in the DM (it binds an unlinked Slack user on the way).
    if (!binding || !isHelpdeskGrant(binding.oid, grant)) {
      await this.signIn(dm, { lang, helpdesk: { action: 'take', query: id } }, lang);
      return this.talk.whisper(at, t(lang, 'slack.helpdesk.signInSent'));
    }
    await this.takeAs(dm, grant, id, lang);
  }

  private async takeAs(dm: SlackAddress, grant: Grant, id: string, lang: Lang): Promise<void> {
    const result = await this.deps.escalations.take(id, { oid: grant.oid, name: grant.name || grant.upn }, 'slack');
    if (!result.ok) return this.talk.say(dm, takeRefusal(lang, result));
    const name = result.escalation.requester.name;
    await this.talk.post(dm, {
      text: t(lang, 'slack.take.done', { name }),
      blocks: [
        section(t(lang, 'slack.take.done', { name })),
        actions('taken', [
          button(t(lang, 'card.escalation.handToBot'), { action: 'helpdesk.handoff', escalationId: id, lang }),
        ]),
      ],
    });
  }

  /**
   * "Verify it's me" (the person) or "I confirm it's them" (their manager) on a pass request in their DM: refused before
   * any sign-in when the presser's linked account is not the one asked; else their own sign-in, for this request.
   */
  private async verifyForPass(dm: SlackAddress, data: Record<string, unknown>, lang: Lang): Promise<void> {
    const id = uuidOf(data.requestId);
    const request = id ? await this.deps.passes?.get(id) : undefined;
    if (!id || !request) return this.talk.say(dm, t(lang, PASS_REFUSALS.unknown));
    const binding = await this.deps.bindings.get(dm.team, dm.user);
    const decider = request.verifyWay === 'manager' ? request.manager?.oid : request.user.oid;
    if (!binding || !sameOid(decider, binding.oid)) return this.talk.say(dm, t(lang, PASS_REFUSALS['wrong-person']));
    if (request.state !== 'verifying') return this.talk.say(dm, t(lang, PASS_REFUSALS.closed));
    await this.signIn(dm, { lang, helpdesk: { action: 'tapVerify', query: id } }, lang);
  }

  /** Their sign-in is done (its oid from the verified ID token): verified; the pass then shows in the person's DM. */
  private async passVerified(dm: SlackAddress, grant: Grant, id: string, lang: Lang): Promise<void> {
    const passes = this.deps.passes;
    if (!passes) return;
    const byManager = (await passes.get(id))?.verifyWay === 'manager';
    const result = byManager
      ? await passes.managerConfirmed(id, { oid: grant.oid })
      : await passes.personVerified(id, { oid: grant.oid }, lang);
    if (!result.ok)
      return this.talk.say(dm, t(lang, PASS_REFUSALS[result.why], { name: result.request?.user.name ?? '' }));
    if (byManager) await this.talk.say(dm, t(lang, 'chat.tap.managerThanks', { name: result.request.user.name }));
    else if (result.next === 'approval') await this.talk.say(dm, t(lang, 'chat.tap.awaitingApprovalPerson'));
  }

  /** "I didn't ask for this" / "I can't confirm" on a pass request. */
  private async declinePass(dm: SlackAddress, data: Record<string, unknown>, lang: Lang): Promise<void> {
    const id = uuidOf(data.requestId);
    const binding = await this.deps.bindings.get(dm.team, dm.user);
    if (!id || !this.deps.passes) return this.talk.say(dm, t(lang, PASS_REFUSALS.unknown));
    const result = await this.deps.passes.decline(id, binding?.oid);
    if (result.ok && result.request.verifyWay === 'manager')
      return this.talk.say(dm, t(lang, 'chat.tap.managerDeclinedThanks', { name: result.request.user.name }));
    const why = result.ok ? 'declined' : result.why === 'not-yours' ? 'wrong-person' : result.why;
    await this.talk.say(dm, t(lang, PASS_REFUSALS[why]));
  }

  /**
   * A person's answer on their reminder, recorded for their linked Entra account (the one the reminder was sent to);
   * "Set up a passkey now" then starts their passkey set-up with their own sign-in.
   */
  private async reminderAnswered(dm: SlackAddress, data: Record<string, unknown>, choice: Choice, lang: Lang) {
    const id = uuidOf(data.campaignId);
    const binding = await this.deps.bindings.get(dm.team, dm.user);
    if (!id || !binding || !this.deps.campaigns) return;
    await this.deps.campaigns.answered(id, binding.oid, choice);
    if (choice === 'passkey') return this.signIn(dm, { lang, passkey: true }, lang);
    await this.talk.say(dm, t(lang, choice === 'snoozed' ? 'chat.reminder.snoozed' : 'chat.reminder.optedOut'));
  }

  /** "More names" on a readiness names page. */
  private async namesPage(at: SlackAddress, data: Record<string, unknown>, lang: Lang): Promise<void> {
    const page = Number(data.page);
    const group = typeof data.group === 'string' && data.group ? data.group.slice(0, 120) : undefined;
    await this.readiness?.request(at, lang, {
      names: true,
      group,
      page: Number.isInteger(page) && page >= 0 ? page : 0,
    });
  }

  /** "Hide the pass": only the person it was shown to (their linked account) hides it. */
  private async hidePass(at: SlackAddress, data: Record<string, unknown>): Promise<void> {
    const binding = await this.deps.bindings.get(at.team, at.user);
    const id = uuidOf(data.requestId);
    if (id && binding) await this.deps.passes?.hide(id, binding.oid);
  }

  private async slackName(user: string): Promise<string> {
    const info = await this.deps.client.users.info({ user }).catch(() => undefined);
    const u = info?.user as { real_name?: string; name?: string; profile?: { real_name?: string } } | undefined;
    return u?.profile?.real_name || u?.real_name || u?.name || user;
  }
}
