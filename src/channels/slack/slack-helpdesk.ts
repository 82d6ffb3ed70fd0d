// The helpdesk in Slack, on the same services as Teams (escalations.ts, handoffs.ts) — only the talking differs.
// A person who is stuck asks the helpdesk from their DM; the card goes to SLACK_HELPDESK_CHANNEL (and the Teams channel
// and ticket systems as configured). "Take it" there: the presser is an agent only through the Entra account their
// Slack user is bound to (a member of HELPDESK_GROUP_ID), and only after their own fresh sign-in made for a helpdesk
// action, sent to their DM — never in the channel. "Hand to the bot" then invites the person in THEIR Slack DM (found
// through their binding, never by e-mail); they sign in themselves, and the agent watches one status message. Whatever
// is said to the presser in the channel is ephemeral (only they see it).
import type { webApi } from '@slack/bolt';
import type { Wish } from '../../flow/flow.js';
import { isHelpdeskGrant } from '../../helpdesk/agent-grant.js';
import { reasonKey, takeRefusal } from '../../helpdesk/escalation-view.js';
import {
  ESCALATION_REASONS,
  type EscalationReason,
  type EscalationService,
  postsOf,
} from '../../helpdesk/escalations.js';
import {
  answerRefusalKey,
  HANDOFF_REASONS,
  type HandoffReason,
  type HandoffService,
  handoffWish,
  startRefusalKey,
} from '../../helpdesk/handoffs.js';
import { PASS_REFUSALS } from '../../helpdesk/pass-types.js';
import type { PassService } from '../../helpdesk/passes.js';
import { type Lang, t } from '../../i18n/i18n.js';
import { sameOid } from '../../identity/same-oid.js';
import type { SlackBindings } from '../../identity/slack-bindings.js';
import type { Grant, StepUpService } from '../../identity/step-up-service.js';
import type { PersonLimits } from '../../limits/person-limits.js';
import type { Logger } from '../../logging.js';
import { actions, type Block, button, header, section } from './blocks.js';
import { slackReference } from './slack-helpdesk-views.js';
import { type SlackAddress, slackChatOf } from './slack-presenter.js';

export interface SlackHelpdeskDeps {
  client: webApi.WebClient;
  stepUp: Pick<StepUpService, 'grant'>;
  escalations: EscalationService;
  handoffs: HandoffService;
  /** Temporary Access Passes: the person's (or manager's) verification and the pass itself, in their DM. */
  passes?: Pick<PassService, 'get' | 'personVerified' | 'managerConfirmed' | 'decline' | 'hide'>;
  bindings: Pick<SlackBindings, 'get'>;
  helpdeskContact: string;
  logger: Logger;
  /** Requests for the helpdesk per person per hour (ESCALATIONS_PER_HOUR). */
  limits?: Pick<PersonLimits, 'allow'>;
}

/** Starts a sign-in in a Slack DM (the Slack bot's own step-up start). */
export type SlackSignIn = (dm: SlackAddress, wish: Wish, lang: Lang) => Promise<void>;

const OFFERS = {
  lostPhone: { title: 'offer.lostPhone.title', body: 'offer.lostPhone.body', reason: 'lost-phone' },
  human: { title: 'offer.human.title', body: 'offer.human.body', reason: 'human' },
  password: { title: 'offer.password.title', body: 'offer.password.body', reason: 'password' },
} as const;

/** The Slack-only button of the agent's DM: hand the person to the bot for this reason. */
const HAND_OVER = 'slack.handoff';
export const SLACK_HELPDESK_ACTIONS: ReadonlySet<string> = new Set([
  'helpdesk.escalate',
  'helpdesk.take',
  'helpdesk.handoff',
  HAND_OVER,
  'handoff.accept',
  'handoff.decline',
  'helpdesk.tapVerify',
  'helpdesk.tapDecline',
  'helpdesk.tapHide',
]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidOf = (value: unknown) => (typeof value === 'string' && UUID.test(value) ? value : undefined);

export class SlackHelpdesk {
  constructor(
    private readonly deps: SlackHelpdeskDeps,
    private readonly signIn: SlackSignIn,
  ) {}

  /** A lost phone, "a human", a password, said in the DM: what can be done, and "Ask the helpdesk". */
  offer(intent: keyof typeof OFFERS, lang: Lang): { text: string; blocks: Block[] } {
    const offer = OFFERS[intent];
    return {
      text: t(lang, offer.title),
      blocks: [
        header(t(lang, offer.title)),
        section(t(lang, offer.body)),
        actions('offer', [
          ...(intent === 'lostPhone'
            ? [
                button(
                  t(lang, 'offer.lostPhone.replace'),
                  { action: 'stepUp.start', phone: 'mobile', want: 'change', lang },
                  'primary',
                ),
              ]
            : []),
          button(t(lang, 'offer.askHelpdesk'), { action: 'helpdesk.escalate', reason: offer.reason, lang }),
        ]),
      ],
    };
  }

  /** A helpdesk button (in a DM or in the helpdesk channel); false when `action` is not one. */
  async button(address: SlackAddress, data: Record<string, unknown>, lang: Lang, triggerId?: string) {
    switch (String(data.action ?? '')) {
      case 'helpdesk.escalate':
        await this.escalate(address, data, lang, triggerId);
        return true;
      case 'helpdesk.take':
        await this.take(address, data, lang);
        return true;
      case 'helpdesk.handoff':
        await this.chooseReason(address, data, lang);
        return true;
      case HAND_OVER:
        await this.handOver(address, data, lang);
        return true;
      case 'handoff.accept':
        await this.answer(address, data, 'open', lang);
        return true;
      case 'handoff.decline':
        await this.answer(address, data, 'decline', lang);
        return true;
      case 'helpdesk.tapVerify':
        await this.verifyForPass(address, data, lang);
        return true;
      case 'helpdesk.tapDecline':
        await this.declinePass(address, data, lang);
        return true;
      case 'helpdesk.tapHide': {
        const binding = await this.deps.bindings.get(address.team, address.user);
        const id = uuidOf(data.requestId);
        if (id && binding) await this.deps.passes?.hide(id, binding.oid);
        return true;
      }
      default:
        return false;
    }
  }

  /** The agent's sign-in for a helpdesk action finished (in their DM): carry on with what they pressed. */
  async afterSignIn(dm: SlackAddress, grant: Grant, lang: Lang): Promise<void> {
    const ask = grant.wish?.helpdesk;
    const binding = await this.deps.bindings.get(dm.team, dm.user);
    if (ask?.action === 'tapVerify' && binding && sameOid(binding.oid, grant.oid) && uuidOf(ask.query))
      return this.passVerified(dm, grant, ask.query as string, lang);
    if (!ask || !binding || !isHelpdeskGrant(binding.oid, grant)) return;
    if (ask.action === 'take' && uuidOf(ask.query)) return this.takeAs(dm, grant, ask.query as string, lang);
    if (ask.action === 'handoff' && uuidOf(ask.query) && isReason(ask.reason))
      return this.startHandoff(dm, grant, ask.query as string, ask.reason, lang);
  }

  /** "Ask the helpdesk" in a person's DM: a ticket and channel cards with what an agent needs, then tell them. */
  private async escalate(dm: SlackAddress, data: Record<string, unknown>, lang: Lang, triggerId?: string) {
    const reason = (ESCALATION_REASONS as readonly string[]).includes(String(data.reason))
      ? (data.reason as EscalationReason)
      : 'human';
    const binding = await this.deps.bindings.get(dm.team, dm.user);
    const who = { oid: binding?.oid ?? `slack:${dm.team}:${dm.user}`, channel: 'slack' };
    if (this.deps.limits && !(await this.deps.limits.allow('escalations-per-hour', who)))
      return this.say(dm, t(lang, 'limit.escalationsPerHour', { helpdesk: this.deps.helpdeskContact }));
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
          'Asked at': new Date().toISOString(),
          Chat: 'slack',
          Language: lang,
          'Slack user': `@${slackName} (${dm.user})`,
          ...(flowId && binding ? await this.deps.escalations.changeFacts(flowId, binding.oid) : {}),
        },
        // The press itself: Slack gives each one its own trigger_id, so a redelivery opens no second ticket.
        ...(triggerId ? { delivery: `slack\n${dm.channel}\n${triggerId}` } : {}),
      });
      const ref = escalation.tickets[0]?.reference;
      if (!ref && postsOf(escalation).length === 0)
        return this.say(dm, t(lang, 'chat.escalationFailed', { helpdesk: this.deps.helpdeskContact }));
      await this.say(dm, ref ? t(lang, 'chat.escalatedTicket', { ref }) : t(lang, 'chat.escalated'));
    } catch (err) {
      this.deps.logger.error({ err, reason }, 'escalation failed');
      await this.say(dm, t(lang, 'chat.escalationFailed', { helpdesk: this.deps.helpdeskContact }));
    }
  }

  /** "Take it" on a card in the helpdesk channel. */
  private async take(at: SlackAddress, data: Record<string, unknown>, lang: Lang): Promise<void> {
    const id = uuidOf(data.escalationId);
    const escalation = id ? await this.deps.escalations.get(id) : undefined;
    if (!id || !escalation) return this.whisper(at, t(lang, 'chat.escalationUnknown'));
    const binding = await this.deps.bindings.get(at.team, at.user);
    const taken = escalation.takenBy;
    if (taken && !sameOid(taken.oid, binding?.oid))
      return this.whisper(at, t(lang, 'chat.takenAlready', { name: taken.name }));
    if (binding && sameOid(escalation.requester.oid, binding.oid))
      return this.whisper(at, t(lang, 'chat.take.ownRequest'));
    if (binding && !(await this.deps.escalations.isAgent(binding.oid))) {
      // Refused and audited by the service itself.
      const refused = await this.deps.escalations.take(id, { oid: binding.oid, name: '' }, 'slack');
      if (!refused.ok) return this.whisper(at, takeRefusal(lang, refused));
    }
    const dm = await this.dmOf(at);
    if (!dm) return;
    const grant = await this.deps.stepUp.grant(slackChatOf(dm));
    // Not linked yet, or no fresh helpdesk sign-in: one in the DM (it binds an unlinked Slack user on the way).
    if (!binding || !isHelpdeskGrant(binding.oid, grant)) {
      await this.signIn(dm, { lang, helpdesk: { action: 'take', query: id } }, lang);
      return this.whisper(at, t(lang, 'slack.helpdesk.signInSent'));
    }
    await this.takeAs(dm, grant, id, lang);
  }

  private async takeAs(dm: SlackAddress, grant: Grant, id: string, lang: Lang): Promise<void> {
    const result = await this.deps.escalations.take(id, { oid: grant.oid, name: grant.name || grant.upn }, 'slack');
    if (!result.ok) return this.say(dm, takeRefusal(lang, result));
    const name = result.escalation.requester.name;
    await this.post(dm, {
      text: t(lang, 'slack.take.done', { name }),
      blocks: [
        section(t(lang, 'slack.take.done', { name })),
        actions('taken', [
          button(t(lang, 'card.escalation.handToBot'), { action: 'helpdesk.handoff', escalationId: id, lang }),
        ]),
      ],
    });
  }

  /** "Hand to the bot" (on the channel card or in the agent's DM): the reasons, as buttons in the agent's DM. */
  private async chooseReason(at: SlackAddress, data: Record<string, unknown>, lang: Lang): Promise<void> {
    const id = uuidOf(data.escalationId);
    const escalation = id ? await this.deps.escalations.get(id) : undefined;
    if (!id || !escalation) return this.whisper(at, t(lang, 'chat.escalationUnknown'));
    const binding = await this.deps.bindings.get(at.team, at.user);
    if (!binding || !(await this.deps.escalations.isAgent(binding.oid)))
      return this.whisper(at, t(lang, 'chat.takeRefused'));
    const name = escalation.requester.name;
    if (!escalation.requester.oid) return this.whisper(at, t(lang, 'slack.handoff.unlinkedRequester', { name }));
    const dm = await this.dmOf(at);
    if (!dm) return;
    const reason = (r: HandoffReason) =>
      button(t(lang, 'handoff.reason', { reason: reasonKey(r) }), {
        action: HAND_OVER,
        escalationId: id,
        reason: r,
        lang,
      });
    await this.post(dm, {
      text: t(lang, 'slack.handoff.why', { name }),
      blocks: [section(t(lang, 'slack.handoff.why', { name })), actions('handoff', HANDOFF_REASONS.map(reason))],
    });
    if (dm.channel !== at.channel) await this.whisper(at, t(lang, 'slack.helpdesk.sentToDm', { name }));
  }

  /** A reason pressed in the agent's DM: their own helpdesk sign-in first, then the invitation. */
  private async handOver(dm: SlackAddress, data: Record<string, unknown>, lang: Lang): Promise<void> {
    const id = uuidOf(data.escalationId);
    if (!id || !isReason(data.reason)) return this.say(dm, t(lang, 'chat.escalationUnknown'));
    const binding = await this.deps.bindings.get(dm.team, dm.user);
    if (!binding || !(await this.deps.escalations.isAgent(binding.oid)))
      return this.say(dm, t(lang, 'chat.handoff.notAgent'));
    const grant = await this.deps.stepUp.grant(slackChatOf(dm));
    if (!isHelpdeskGrant(binding.oid, grant)) {
      await this.say(dm, t(lang, 'chat.handoff.verifyFirst'));
      return this.signIn(dm, { lang, helpdesk: { action: 'handoff', query: id, reason: data.reason } }, lang);
    }
    await this.startHandoff(dm, grant, id, data.reason, lang);
  }

  private async startHandoff(dm: SlackAddress, grant: Grant, id: string, reason: HandoffReason, lang: Lang) {
    const escalation = await this.deps.escalations.get(id);
    if (!escalation) return this.say(dm, t(lang, 'chat.escalationUnknown'));
    const name = escalation.requester.name;
    if (!escalation.requester.oid) return this.say(dm, t(lang, 'slack.handoff.unlinkedRequester', { name }));
    try {
      const result = await this.deps.handoffs.start({
        agent: { oid: grant.oid, name: grant.name || grant.upn, lang },
        agentRef: slackReference(dm),
        userOid: escalation.requester.oid,
        reason,
      });
      if (result.ok) return; // the status message in this DM says what happens next
      await this.say(dm, t(lang, startRefusalKey(result.why), { name: result.person?.name ?? name, query: name }));
    } catch (err) {
      this.deps.logger.error({ err }, 'handoff could not be started');
      await this.say(dm, t(lang, 'chat.handoff.failed'));
    }
  }

  /** The person's Start / "I didn't ask for this" on the invitation in their DM. */
  private async answer(dm: SlackAddress, data: Record<string, unknown>, how: 'open' | 'decline', lang: Lang) {
    const id = uuidOf(data.handoffId);
    const binding = await this.deps.bindings.get(dm.team, dm.user);
    const result = id ? await this.deps.handoffs[how](id, binding?.oid) : ({ ok: false, why: 'unknown' } as const);
    if (!result.ok) return this.say(dm, t(lang, answerRefusalKey(result.why)));
    if (how === 'decline')
      return this.say(dm, t(lang, 'chat.handoff.declined', { helpdesk: this.deps.helpdeskContact }));
    await this.signIn(dm, handoffWish(result.handoff.reason, lang), lang);
  }

  /**
   * "Verify it's me" (the person) or "I confirm it's them" (their manager) on a pass request in their DM: refused before
   * any sign-in when the presser's linked account is not the one asked; else their own sign-in, for this request.
   */
  private async verifyForPass(dm: SlackAddress, data: Record<string, unknown>, lang: Lang): Promise<void> {
    const id = uuidOf(data.requestId);
    const request = id ? await this.deps.passes?.get(id) : undefined;
    if (!id || !request) return this.say(dm, t(lang, PASS_REFUSALS.unknown));
    const binding = await this.deps.bindings.get(dm.team, dm.user);
    const decider = request.verifyWay === 'manager' ? request.manager?.oid : request.user.oid;
    if (!binding || !sameOid(decider, binding.oid)) return this.say(dm, t(lang, PASS_REFUSALS['wrong-person']));
    if (request.state !== 'verifying') return this.say(dm, t(lang, PASS_REFUSALS.closed));
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
    if (!result.ok) return this.say(dm, t(lang, PASS_REFUSALS[result.why], { name: result.request?.user.name ?? '' }));
    if (byManager) await this.say(dm, t(lang, 'chat.tap.managerThanks', { name: result.request.user.name }));
    else if (result.next === 'approval') await this.say(dm, t(lang, 'chat.tap.awaitingApprovalPerson'));
  }

  /** "I didn't ask for this" / "I can't confirm" on a pass request. */
  private async declinePass(dm: SlackAddress, data: Record<string, unknown>, lang: Lang): Promise<void> {
    const id = uuidOf(data.requestId);
    const binding = await this.deps.bindings.get(dm.team, dm.user);
    if (!id || !this.deps.passes) return this.say(dm, t(lang, PASS_REFUSALS.unknown));
    const result = await this.deps.passes.decline(id, binding?.oid);
    if (result.ok && result.request.verifyWay === 'manager')
      return this.say(dm, t(lang, 'chat.tap.managerDeclinedThanks', { name: result.request.user.name }));
    const why = result.ok ? 'declined' : result.why === 'not-yours' ? 'wrong-person' : result.why;
    await this.say(dm, t(lang, PASS_REFUSALS[why]));
  }

  private async slackName(user: string): Promise<string> {
    const info = await this.deps.client.users.info({ user }).catch(() => undefined);
    const u = info?.user as { real_name?: string; name?: string; profile?: { real_name?: string } } | undefined;
    return u?.profile?.real_name || u?.real_name || u?.name || user;
  }

  /** The presser's DM with the bot (where sign-ins and the agent's own messages go). */
  private async dmOf(at: SlackAddress): Promise<SlackAddress | undefined> {
    if (at.channel.startsWith('D')) return at;
    const opened = await this.deps.client.conversations.open({ users: at.user });
    return opened.channel?.id ? { ...at, channel: opened.channel.id } : undefined;
  }

  /** To the presser only: ephemeral in a channel, a message in a DM. */
  private async whisper(at: SlackAddress, text: string): Promise<void> {
    if (at.channel.startsWith('D')) return this.say(at, text);
    await this.deps.client.chat.postEphemeral({ channel: at.channel, user: at.user, text });
  }

  private say(dm: SlackAddress, text: string): Promise<void> {
    return this.post(dm, { text, blocks: [section(text)] });
  }

  private async post(dm: SlackAddress, message: { text: string; blocks: Block[] }): Promise<void> {
    await this.deps.client.chat.postMessage({ channel: dm.channel, ...message });
  }
}

const isReason = (value: unknown): value is HandoffReason => (HANDOFF_REASONS as readonly unknown[]).includes(value);
