// The agent's side of a handoff ("help adelev@contoso.com", the handoff form, "Hand to the bot" on a taken
// escalation) and the person's answer to the invitation (Start / "I didn't ask for this"). Agents only (Entra group),
// and only with the agent's OWN fresh step-up made for a helpdesk action; nobody else learns anything.

import { MessageFactory, TurnContext as TC, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import type { CardBuilder } from '../cards/card-builder.js';
import type { ConversationGateway } from '../channels/teams/conversation-gateway.js';
import type { HelpdeskWish, Wish } from '../flow/flow.js';
import { carriedWish } from '../flow/flow.js';
import type { HelpdeskMembers } from '../helpdesk/escalations.js';
import {
  answerRefusalKey,
  HANDOFF_REASONS,
  type Handoff,
  type HandoffService,
  handoffWish,
  startRefusalKey,
} from '../helpdesk/handoffs.js';
import type { HelpdeskGraph } from '../helpdesk/helpdesk-graph.js';
import { type Lang, t } from '../i18n/i18n.js';
import type { Grant } from '../identity/step-up-service.js';
import type { Logger } from '../logging.js';
import { isHelpdeskGrant, requireAgent } from './helpdesk-access.js';

export interface HandoffDialogDeps {
  cards: CardBuilder;
  handoffs: HandoffService;
  graph: Pick<HelpdeskGraph, 'findPeople'>;
  members: HelpdeskMembers;
  audit: AuditLog;
  gateway: ConversationGateway;
  /** The chat's live grant; and a new sign-in for this chat carrying `wish`. */
  liveGrant: (context: TurnContext) => Promise<Grant | undefined>;
  signIn: (context: TurnContext, wish: Wish) => Promise<void>;
  /** The person's change begins (their own step-up, or a live grant of theirs). */
  beginChange: (context: TurnContext, wish: Wish) => Promise<void>;
  /** People who asked the helpdesk recently (static choices of the handoff form). */
  recentRequesters?: () => Promise<{ oid: string; name: string }[]>;
  helpdeskContact: string;
  logger: Logger;
}

const reasonSchema = z.enum(HANDOFF_REASONS).catch('new-number');
const formSchema = z.object({ userOid: z.string().uuid(), reason: reasonSchema });
const answerSchema = z.object({ handoffId: z.string().uuid() });

/** What the person's change starts with, from why the agent sent them. */

export class HandoffDialog {
  constructor(private readonly deps: HandoffDialogDeps) {}

  /** The form with the Teams people picker (its static choices: people who asked the helpdesk lately). */
  async form(context: TurnContext, lang: Lang, people?: { oid: string; name: string }[]): Promise<void> {
    if (!(await this.isAgent(context, lang))) return;
    const listed = people ?? (await this.deps.recentRequesters?.().catch(() => [])) ?? [];
    await context.sendActivity(MessageFactory.attachment(this.formCard(lang, listed)));
  }

  private formCard(lang: Lang, people: { oid: string; name: string }[]) {
    return this.deps.cards.build(
      'handoff-form',
      {
        people,
        reasonNewNumber: t(lang, 'handoff.reason', { reason: 'newNumber' }),
        reasonLostPhone: t(lang, 'handoff.reason', { reason: 'lostPhone' }),
        reasonAddPhone: t(lang, 'handoff.reason', { reason: 'addPhone' }),
        lang,
      },
      lang,
    );
  }

  /** "help <name or e-mail>" (text) or the form's submit (value): agents only, after their own step-up. */
  async request(context: TurnContext, lang: Lang, typed?: string): Promise<void> {
    const form = formSchema.safeParse(context.activity.value ?? {});
    const ask: HelpdeskWish = form.success
      ? { action: 'handoff', userOid: form.data.userOid, reason: form.data.reason }
      : { action: 'handoff', query: (typed ?? '').trim(), reason: 'new-number' };
    if (!ask.userOid && !ask.query) return this.form(context, lang);
    if (!(await this.isAgent(context, lang))) return;
    const grant = await this.deps.liveGrant(context);
    if (!this.isHelpdeskGrant(context, grant)) {
      await context.sendActivity(t(lang, 'chat.handoff.verifyFirst'));
      return this.deps.signIn(context, { lang, helpdesk: ask });
    }
    return this.proceed(context, ask, lang);
  }

  /** The agent's own sign-in for a handoff is done: carry on with what they asked. */
  async afterStepUp(context: TurnContext, grant: Grant, lang: Lang): Promise<void> {
    const ask = carriedWish(grant)?.helpdesk;
    if (!ask || !this.isHelpdeskGrant(context, grant)) return;
    if (!(await this.isAgent(context, lang))) return;
    return this.proceed(context, ask, lang);
  }

  /** Start on the invitation: only the invited person, only while it is open; then their own change. */
  async accept(context: TurnContext, lang: Lang): Promise<void> {
    const handoff = await this.answer(context, lang, 'open');
    if (handoff) return this.deps.beginChange(context, handoffWish(handoff.reason, lang));
  }

  /** "I didn't ask for this". */
  async decline(context: TurnContext, lang: Lang): Promise<void> {
    if (await this.answer(context, lang, 'decline'))
      await context.sendActivity(t(lang, 'chat.handoff.declined', { helpdesk: this.deps.helpdeskContact }));
  }

  /** The person's answer to the invitation; a refusal is told and resolves undefined. */
  private async answer(context: TurnContext, lang: Lang, how: 'open' | 'decline'): Promise<Handoff | undefined> {
    const parsed = answerSchema.safeParse(context.activity.value ?? {});
    const presser = context.activity.from.aadObjectId;
    const result = parsed.success
      ? await this.deps.handoffs[how](parsed.data.handoffId, presser)
      : ({ ok: false, why: 'unknown' } as const);
    if (result.ok) return result.handoff;
    await this.refuseAnswer(context, lang, result.why);
    return undefined;
  }

  /** "Hand to the bot" on a taken escalation (in the channel): the form goes to the agent's personal chat. */
  async fromEscalation(
    lang: Lang,
    requester: { oid: string; name: string },
    agentChat: Parameters<ConversationGateway['send']>[0] | undefined,
  ): Promise<boolean> {
    if (!agentChat) return false;
    await this.deps.gateway.send(agentChat, MessageFactory.attachment(this.formCard(lang, [requester])));
    return true;
  }

  private async proceed(context: TurnContext, ask: HelpdeskWish, lang: Lang): Promise<void> {
    const from = context.activity.from;
    try {
      let userOid = ask.userOid;
      if (!userOid) {
        const query = ask.query ?? '';
        const people = await this.deps.graph.findPeople(query);
        if (people.length === 0) {
          await context.sendActivity(t(lang, 'chat.handoff.noMatch', { query }));
          return;
        }
        if (people.length > 1) {
          const names = people.map((p) => `${p.name} (${p.upn})`).join(', ');
          await context.sendActivity(t(lang, 'chat.handoff.manyMatches', { query, names }));
          return;
        }
        userOid = people[0]?.oid as string;
      }
      const result = await this.deps.handoffs.start({
        agent: { oid: from.aadObjectId ?? '', name: from.name ?? '', lang },
        agentRef: TC.getConversationReference(context.activity),
        userOid,
        reason: reasonSchema.parse(ask.reason),
      });
      if (result.ok) return;
      const name = result.person?.name ?? '';
      const key = startRefusalKey(result.why);
      await context.sendActivity(t(lang, key, { name, query: ask.query ?? userOid }));
    } catch (err) {
      this.deps.logger.error({ err }, 'handoff could not be started');
      await context.sendActivity(t(lang, 'chat.handoff.failed'));
    }
  }

  private isHelpdeskGrant(context: TurnContext, grant: Grant | undefined): grant is Grant {
    return isHelpdeskGrant(context.activity.from.aadObjectId, grant);
  }

  private isAgent(context: TurnContext, lang: Lang): Promise<boolean> {
    return requireAgent(this.deps, context, lang, 'handoffStarted');
  }

  private async refuseAnswer(context: TurnContext, lang: Lang, why: Parameters<typeof answerRefusalKey>[0]) {
    await context.sendActivity(t(lang, answerRefusalKey(why)));
  }
}
