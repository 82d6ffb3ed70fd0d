// What the user and the helpdesk say to each other through the bot: the offers for a lost phone, "talk to a human" and
// passwords; "Ask the helpdesk" (an escalation with what the agent needs); "Take it" in the helpdesk channel.

import { type Activity, MessageFactory, TurnContext as TC, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import type { CardBuilder } from '../cards/card-builder.js';
import { type Offer, offerView, requestFacts } from '../conversation/replies.js';
import type { Wish } from '../flow/flow.js';
import { carriedWish } from '../flow/flow.js';
import { takeRefusal } from '../helpdesk/escalation-view.js';
import { ESCALATION_REASONS, type EscalationReason, type EscalationService, postsOf } from '../helpdesk/escalations.js';
import type { HandoffService } from '../helpdesk/handoffs.js';
import { type Lang, t } from '../i18n/i18n.js';
import { sameOid } from '../identity/same-oid.js';
import type { Grant } from '../identity/step-up-service.js';
import type { PersonLimits } from '../limits/person-limits.js';
import type { Logger } from '../logging.js';
import type { HandoffDialog } from './handoff-dialog.js';
import { isHelpdeskGrant, type PersonalChats } from './helpdesk-access.js';

export interface HelpdeskDialogDeps {
  cards: CardBuilder;
  escalations: EscalationService;
  audit: AuditLog;
  /** The live step-up grant of this chat, if any: the escalation then says the user is verified. */
  liveGrant: (context: TurnContext) => Promise<Grant | undefined>;
  helpdeskContact: string;
  logger: Logger;
  /** Where invitations go: each person's 1:1 chat as last seen. */
  handoffs?: HandoffService;
  /** "Take it" needs the agent's own sign-in, made in their 1:1 chat. */
  personalChats?: PersonalChats;
  signIn?: (context: TurnContext, wish: Wish) => Promise<void>;
  /** Requests for the helpdesk per person per hour (ESCALATIONS_PER_HOUR). */
  limits?: Pick<PersonLimits, 'allow'>;
}

const escalateSchema = z.object({
  reason: z.enum(ESCALATION_REASONS as [EscalationReason, ...EscalationReason[]]),
  flowId: z.string().uuid().optional().catch(undefined),
});
const takeSchema = z.object({ escalationId: z.string().uuid() });
const isPersonal = (activity: Partial<Activity>) =>
  activity.conversation?.conversationType === 'personal' ||
  (!activity.conversation?.isGroup && activity.conversation?.conversationType === undefined);

const isChannel = (activity: Partial<Activity>) => activity.conversation?.conversationType === 'channel';

export class HelpdeskDialog {
  constructor(private readonly deps: HelpdeskDialogDeps) {}

  /** A lost phone, "a human", a password: what can be done, and "Ask the helpdesk". */
  async offer(context: TurnContext, intent: Offer, lang: Lang): Promise<void> {
    const card = this.deps.cards.build('offer', { ...offerView(intent, lang), lang }, lang);
    await context.sendActivity(MessageFactory.attachment(card));
  }

  /** "Ask the helpdesk": a ticket and a channel card, with what the agent needs (masked), then tell the user. */
  async escalate(context: TurnContext, lang: Lang): Promise<void> {
    const parsed = escalateSchema.safeParse(context.activity.value ?? {});
    const reason: EscalationReason = parsed.success ? parsed.data.reason : 'human';
    const from = context.activity.from;
    const who = {
      oid: from.aadObjectId || `${context.activity.channelId}:${from.id}`,
      channel: context.activity.channelId,
    };
    if (this.deps.limits && !(await this.deps.limits.allow('escalations-per-hour', who))) {
      await context.sendActivity(t(lang, 'limit.escalationsPerHour', { helpdesk: this.deps.helpdeskContact }));
      return;
    }
    const grant = await this.deps.liveGrant(context);
    const verified = grant && grant.oid === from.aadObjectId ? grant : undefined;
    const details: Record<string, string> = {
      ...requestFacts(context.activity.channelId, lang),
      ...(parsed.success && parsed.data.flowId
        ? await this.deps.escalations.changeFacts(parsed.data.flowId, from.aadObjectId)
        : {}),
    };
    try {
      const escalation = await this.deps.escalations.escalate({
        reason,
        requester: {
          oid: from.aadObjectId ?? '',
          name: verified?.name || from.name || '',
          ...(verified ? { upn: verified.upn, verified: { at: verified.authTime * 1000, acrs: verified.acrs } } : {}),
        },
        channel: context.activity.channelId,
        details,
        ...(context.activity.id
          ? { delivery: `${context.activity.channelId}\n${context.activity.conversation.id}\n${context.activity.id}` }
          : {}),
      });
      const ref = escalation.tickets[0]?.reference;
      if (!ref && postsOf(escalation).length === 0) {
        await context.sendActivity(t(lang, 'chat.escalationFailed', { helpdesk: this.deps.helpdeskContact }));
        return;
      }
      await context.sendActivity(ref ? t(lang, 'chat.escalatedTicket', { ref }) : t(lang, 'chat.escalated'));
    } catch (err) {
      this.deps.logger.error({ err, reason }, 'escalation failed');
      await context.sendActivity(t(lang, 'chat.escalationFailed', { helpdesk: this.deps.helpdeskContact }));
    }
  }

  /** "Take it" on a channel card: agents only; the card is updated for everyone. */
  async take(context: TurnContext, lang: Lang): Promise<void> {
    const parsed = takeSchema.safeParse(context.activity.value ?? {});
    if (!parsed.success) {
      await context.sendActivity(t(lang, 'chat.escalationUnknown'));
      return;
    }
    const from = context.activity.from;
    const oid = from.aadObjectId;
    const { personalChats, signIn } = this.deps;
    const escalation = await this.deps.escalations.get(parsed.data.escalationId);
    const taken = escalation?.takenBy;
    // Taken by someone else: said. By this agent: taken again below, which redoes the card and the audit (by key).
    if (taken && !sameOid(taken.oid, oid)) {
      await context.sendActivity(t(lang, 'chat.takenAlready', { name: taken.name }));
      return;
    }
    // The person who asked never takes their own request (said before any sign-in is asked of them).
    if (sameOid(escalation?.requester.oid, oid)) {
      await context.sendActivity(t(lang, 'chat.take.ownRequest'));
      return;
    }
    if (oid && personalChats && signIn && (await this.deps.escalations.isAgent(oid))) {
      // A helpdesk action: the agent's own fresh sign-in, made in their 1:1 chat (never in a channel).
      if (!isHelpdeskGrant(oid, await personalChats.grantOf(oid))) {
        const wish: Wish = { lang, helpdesk: { action: 'take', query: parsed.data.escalationId } };
        const sent = await personalChats.run(oid, (personal) => signIn(personal, wish));
        await context.sendActivity(t(lang, sent ? 'chat.take.signIn' : 'chat.take.openChat'));
        return;
      }
    }
    const result = await this.deps.escalations.take(
      parsed.data.escalationId,
      { oid, name: from.name ?? '' },
      context.activity.channelId,
    );
    if (result.ok) return;
    await context.sendActivity(takeRefusal(lang, result));
  }

  /** The agent signed in (in their 1:1 chat) to take a request: take it, and say so there. */
  async takeAfterStepUp(context: TurnContext, grant: Grant, lang: Lang): Promise<void> {
    const id = carriedWish(grant)?.helpdesk?.query ?? '';
    const from = context.activity.from;
    if (!isHelpdeskGrant(from.aadObjectId, grant) || !/^[0-9a-f-]{36}$/.test(id)) return;
    const result = await this.deps.escalations.take(id, { oid: from.aadObjectId, name: from.name ?? '' }, 'msteams');
    if (result.ok) {
      await context.sendActivity(t(lang, 'chat.take.done', { name: result.escalation.requester.name }));
      return;
    }
    await context.sendActivity(takeRefusal(lang, result));
  }

  /** Any activity from a channel: it may be the helpdesk channel (HELPDESK_CHANNEL, or the first one). */
  async noticeChannel(context: TurnContext): Promise<void> {
    if (!isChannel(context.activity)) return;
    await this.deps.escalations
      .noticeChannel(TC.getConversationReference(context.activity))
      .catch((err) => this.deps.logger.warn({ err }, 'could not record the helpdesk channel'));
  }

  /** A personal chat (message or install): remembered, so a handoff invitation can reach this person. */
  async noticePersonalChat(context: TurnContext): Promise<void> {
    if (!this.deps.handoffs || !isPersonal(context.activity)) return;
    await this.deps.handoffs
      .noticePersonalChat(context.activity.from?.aadObjectId, TC.getConversationReference(context.activity))
      .catch((err) => this.deps.logger.warn({ err }, 'could not record the personal chat'));
  }

  /** "Hand to the bot" on a taken escalation: the agent gets the handoff form in their personal chat. */
  async handToBot(context: TurnContext, lang: Lang, handoff: HandoffDialog): Promise<void> {
    const parsed = takeSchema.safeParse(context.activity.value ?? {});
    const escalation = parsed.success ? await this.deps.escalations.get(parsed.data.escalationId) : undefined;
    if (!escalation) {
      await context.sendActivity(t(lang, 'chat.escalationUnknown'));
      return;
    }
    const from = context.activity.from;
    if (!(await this.deps.escalations.isAgent(from.aadObjectId))) {
      await context.sendActivity(t(lang, 'chat.takeRefused'));
      return;
    }
    const requester = { oid: escalation.requester.oid, name: escalation.requester.name };
    const agentChat = from.aadObjectId ? await this.deps.handoffs?.personalChatOf(from.aadObjectId) : undefined;
    const sent = await handoff.fromEscalation(lang, requester, agentChat);
    await context.sendActivity(
      sent
        ? t(lang, 'chat.handoff.formSent', { name: requester.name })
        : t(lang, 'chat.handoff.openPersonalChat', { upn: escalation.requester.upn ?? requester.name }),
    );
  }
}
