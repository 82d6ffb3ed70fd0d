// The agent's side of a Temporary Access Pass: "temporary access pass for <name or e-mail>" (or "tap <…>") → the
// agent's own sign-in with HELPDESK_AUTH_CONTEXT → privileged people refused → the attestation card → the second
// agent's approval in the helpdesk channel (when required; that agent signs in the same way) → the pass, once.

import { MessageFactory, TurnContext as TC, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { CardBuilder } from '../cards/card-builder.js';
import type { ConversationGateway } from '../channels/teams/conversation-gateway.js';
import type { Wish } from '../flow/flow.js';
import { carriedWish } from '../flow/flow.js';
import type { HelpdeskGraph } from '../helpdesk/helpdesk-graph.js';
import { PASS_REFUSALS } from '../helpdesk/pass-types.js';
import {
  ATTESTATION_METHODS,
  type PassRefusal,
  type PassResult,
  type PassService,
  PERSON_WAYS,
} from '../helpdesk/passes.js';
import { type Lang, t } from '../i18n/i18n.js';
import { sameOid } from '../identity/same-oid.js';
import type { Grant } from '../identity/step-up-service.js';
import { type HelpdeskAccessDeps, isHelpdeskGrant, type PersonalChats, requireAgent } from './helpdesk-access.js';

export interface PassDialogDeps extends HelpdeskAccessDeps {
  cards: CardBuilder;
  passes: PassService;
  graph: Pick<HelpdeskGraph, 'findPeople'>;
  gateway: ConversationGateway;
  /** HELPDESK_AUTH_CONTEXT; unset: no passes. */
  authContext?: string;
  liveGrant: (context: TurnContext) => Promise<Grant | undefined>;
  /** A second agent pressing Approve in the channel signs in in their own 1:1 chat. */
  personalChats: PersonalChats;
  signIn: (context: TurnContext, wish: Wish) => Promise<void>;
}

const attestSchema = z.object({
  requestId: z.string().uuid(),
  method: z.enum(ATTESTATION_METHODS),
  note: z.string().trim().min(3).max(200),
  checkedMyself: z.literal('yes'),
  way: z.enum(PERSON_WAYS).optional(),
});
const requestSchema = z.object({ requestId: z.string().uuid() });

export class PassDialog {
  constructor(private readonly deps: PassDialogDeps) {}

  /** "temporary access pass for <who>": agents only, after their own sign-in with the stronger auth context. */
  async request(context: TurnContext, lang: Lang, query: string): Promise<void> {
    if (!this.deps.authContext) {
      await context.sendActivity(t(lang, 'chat.tap.notConfigured'));
      return;
    }
    if (!(await requireAgent(this.deps, context, lang, 'tapIssued'))) return;
    if (!(await this.strongGrant(context))) {
      await context.sendActivity(t(lang, 'chat.tap.verifyFirst'));
      return this.deps.signIn(context, {
        lang,
        helpdesk: { action: 'tap', query, authContext: this.deps.authContext },
      });
    }
    return this.prepare(context, lang, query);
  }

  /** The agent's own strong sign-in is done: prepare the pass, or approve the request they were asked to. */
  async afterStepUp(context: TurnContext, grant: Grant, lang: Lang): Promise<void> {
    const ask = carriedWish(grant)?.helpdesk;
    if (!ask || !isHelpdeskGrant(context.activity.from.aadObjectId, grant, this.deps.authContext)) return;
    if (!(await requireAgent(this.deps, context, lang, 'tapIssued'))) return;
    if (ask.action === 'tapApprove') return this.approveAs(context, lang, ask.query ?? '');
    return this.prepare(context, lang, ask.query ?? '');
  }

  /** The attestation card's submit. */
  async attest(context: TurnContext, lang: Lang): Promise<void> {
    const parsed = attestSchema.safeParse(context.activity.value ?? {});
    if (!parsed.success) {
      await context.sendActivity(t(lang, 'chat.tap.attestMissing'));
      return;
    }
    if (!(await requireAgent(this.deps, context, lang, 'tapIssued'))) return;
    if (!(await this.strongGrant(context))) {
      // The sign-in ran out while the agent was checking: sign in again, then issue from a fresh card.
      const request = await this.deps.passes.get(parsed.data.requestId);
      await context.sendActivity(t(lang, 'chat.tap.verifyFirst'));
      return this.deps.signIn(context, {
        lang,
        helpdesk: { action: 'tap', query: request?.user.upn ?? '', authContext: this.deps.authContext },
      });
    }
    const { requestId, method, note, way } = parsed.data;
    const agentOid = context.activity.from.aadObjectId;
    const result = await this.deps.passes.attest(requestId, agentOid, { method, note }, way);
    // Recorded: the card's inputs and "Issue the pass" go (a second press could only be refused).
    const cardId = context.activity.replyToId;
    if (result.ok && cardId)
      await context
        .updateActivity({ type: 'message', id: cardId, attachments: [this.deps.cards.build('step-closed', {}, lang)] })
        .catch((err) => this.deps.logger.warn({ err }, 'the attestation card could not be closed'));
    await this.tell(context, lang, result);
  }

  /** "Verify it's me" on the request in the person's own chat: their own step-up (never an agent's), for this request. */
  async verify(context: TurnContext, lang: Lang): Promise<void> {
    const parsed = requestSchema.safeParse(context.activity.value ?? {});
    if (!parsed.success) return this.refuse(context, lang, 'unknown');
    const request = await this.deps.passes.get(parsed.data.requestId);
    if (!request) return this.refuse(context, lang, 'unknown');
    // Refused before any sign-in is asked: the card was forwarded, or someone else pressed it. The manager way's card
    // goes to the manager, who alone may confirm it.
    const decider = request.verifyWay === 'manager' ? request.manager?.oid : request.user.oid;
    if (!sameOid(decider, context.activity.from.aadObjectId)) return this.refuse(context, lang, 'wrong-person');
    if (request.state !== 'verifying') return this.refuse(context, lang, 'closed');
    return this.deps.signIn(context, { lang, helpdesk: { action: 'tapVerify', query: request.id } });
  }

  /** The person's sign-in is done (the grant's oid, from the verified ID token): verified, then the pass here. */
  async personVerified(context: TurnContext, grant: Grant, lang: Lang): Promise<void> {
    const id = carriedWish(grant)?.helpdesk?.query ?? '';
    if (!/^[0-9a-f-]{36}$/.test(id) || !sameOid(grant.oid, context.activity.from.aadObjectId)) return;
    const byManager = (await this.deps.passes.get(id))?.verifyWay === 'manager';
    const result = byManager
      ? await this.deps.passes.managerConfirmed(id, { oid: grant.oid })
      : await this.deps.passes.personVerified(id, { oid: grant.oid }, lang);
    if (!result.ok) return this.refuse(context, lang, result.why, result.request?.user.name);
    if (byManager) await context.sendActivity(t(lang, 'chat.tap.managerThanks', { name: result.request.user.name }));
    else if (result.next === 'approval') await context.sendActivity(t(lang, 'chat.tap.awaitingApprovalPerson'));
    // 'issued': the pass card in this chat is the answer.
  }

  /** "I didn't ask for this" on the request in the person's chat. */
  async decline(context: TurnContext, lang: Lang): Promise<void> {
    const parsed = requestSchema.safeParse(context.activity.value ?? {});
    if (!parsed.success) return this.refuse(context, lang, 'unknown');
    const result = await this.deps.passes.decline(parsed.data.requestId, context.activity.from.aadObjectId);
    if (result.ok && result.request.verifyWay === 'manager') {
      await context.sendActivity(t(lang, 'chat.tap.managerDeclinedThanks', { name: result.request.user.name }));
      return;
    }
    return this.refuse(
      context,
      lang,
      result.ok ? 'declined' : result.why === 'not-yours' ? 'wrong-person' : result.why,
    );
  }

  /** "Approve" on the approval card in the helpdesk channel. */
  async approve(context: TurnContext, lang: Lang): Promise<void> {
    const parsed = requestSchema.safeParse(context.activity.value ?? {});
    if (!parsed.success) return this.refuse(context, lang, 'unknown');
    if (!(await requireAgent(this.deps, context, lang, 'tapIssued'))) return;
    const oid = context.activity.from.aadObjectId ?? '';
    const request = await this.deps.passes.get(parsed.data.requestId);
    if (request && (!oid || sameOid(request.agent.oid, oid))) return this.refuse(context, lang, 'own-request');
    if (request && sameOid(request.user.oid, oid)) return this.refuse(context, lang, 'subject');
    const grant = await this.deps.personalChats.grantOf(oid);
    if (isHelpdeskGrant(oid, grant, this.deps.authContext)) return this.approveAs(context, lang, parsed.data.requestId);
    // Sign in first, in the approver's own 1:1 chat (never in a channel).
    const wish: Wish = {
      lang,
      helpdesk: { action: 'tapApprove', query: parsed.data.requestId, authContext: this.deps.authContext },
    };
    const sent = await this.deps.personalChats.run(oid, (personal) => this.deps.signIn(personal, wish));
    await context.sendActivity(t(lang, sent ? 'chat.tap.approveSignIn' : 'chat.tap.approveOpenChat'));
  }

  /** "Hide the pass". */
  async hide(context: TurnContext): Promise<void> {
    const parsed = requestSchema.safeParse(context.activity.value ?? {});
    if (parsed.success) await this.deps.passes.hide(parsed.data.requestId, context.activity.from.aadObjectId);
  }

  private async approveAs(context: TurnContext, lang: Lang, requestId: string): Promise<void> {
    const from = context.activity.from;
    const result = await this.deps.passes.approve(requestId, { oid: from.aadObjectId ?? '', name: from.name ?? '' });
    if (!result.ok) return this.refuse(context, lang, result.why);
  }

  private async prepare(context: TurnContext, lang: Lang, query: string): Promise<void> {
    const from = context.activity.from;
    try {
      const people = await this.deps.graph.findPeople(query);
      if (people.length !== 1) {
        const names = people.map((p) => `${p.name} (${p.upn})`).join(', ');
        await context.sendActivity(
          t(lang, people.length ? 'chat.handoff.manyMatches' : 'chat.handoff.noMatch', { query, names }),
        );
        return;
      }
      const user = people[0] as (typeof people)[number];
      const result = await this.deps.passes.prepare({
        agent: { oid: from.aadObjectId ?? '', name: from.name ?? '', lang },
        agentRef: TC.getConversationReference(context.activity),
        user,
      });
      if (!result.ok) return this.refuse(context, lang, result.why, user.name, result.roles);
      const ways = this.deps.passes.personWays;
      const card = this.deps.cards.build(
        'tap-attest',
        {
          showWays: ways.length > 1,
          firstWay: ways[0] ?? '',
          stepUp: ways.includes('step-up'),
          verifiedId: ways.includes('verified-id'),
          manager: ways.includes('manager'),
          title: t(lang, 'card.tapAttest.title', { name: `${user.name} (${user.upn})` }),
          next: ways.length === 1 && ways[0] === 'step-up' ? t(lang, 'card.tapAttest.next', { name: user.name }) : '',
          requestId: result.request.id,
          lang,
        },
        lang,
      );
      await context.sendActivity(MessageFactory.attachment(card));
    } catch (err) {
      this.deps.logger.error({ err }, 'pass request failed');
      await context.sendActivity(t(lang, 'chat.tap.failed'));
    }
  }

  private async tell(context: TurnContext, lang: Lang, result: PassResult): Promise<void> {
    if (!result.ok) return this.refuse(context, lang, result.why, result.request?.user.name);
    if (result.next === 'approval') await context.sendActivity(t(lang, 'chat.tap.awaitingApproval'));
    if (result.next === 'verifying' && result.request.verifyWay === 'manager')
      await context.sendActivity(
        t(lang, 'chat.tap.managerAsked', {
          name: result.request.user.name,
          manager: result.request.manager?.name ?? '',
        }),
      );
    else if (result.next === 'verifying' && result.link)
      await context.sendActivity(
        t(lang, 'chat.tap.verifiedIdLink', { name: result.request.user.name, link: result.link }),
      );
    else if (result.next === 'verifying')
      await context.sendActivity(t(lang, 'chat.tap.verificationSent', { name: result.request.user.name }));
    // 'issued': the pass card itself is the answer.
  }

  private async refuse(context: TurnContext, lang: Lang, why: PassRefusal, name = '', roles: string[] = []) {
    await context.sendActivity(t(lang, PASS_REFUSALS[why], { name, roles: roles.join(', ') }));
  }

  private async strongGrant(context: TurnContext): Promise<boolean> {
    const grant = await this.deps.liveGrant(context);
    return isHelpdeskGrant(context.activity.from.aadObjectId, grant, this.deps.authContext);
  }
}
