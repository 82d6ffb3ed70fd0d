import { randomUUID } from 'node:crypto';
import { type SigninStateVerificationQuery, TeamsActivityHandler, TurnContext } from 'botbuilder';
import type { AuditLog } from '../audit/audit-log.js';
import { Actions } from '../channels/actions.js';
import { FLOW_ACTIONS, flowInputOf } from '../channels/flow-inputs.js';
import { isForeignSubmit } from '../channels/teams/card-owner.js';
import { withinTurn } from '../channels/teams/conversation-gateway.js';
import { turnLanguage, userTimeZone } from '../channels/teams/teams-inputs.js';
import { replyTo, startWish } from '../conversation/replies.js';
import type { CampaignDialog } from '../dialogs/campaign-dialog.js';
import type { HandoffDialog } from '../dialogs/handoff-dialog.js';
import type { HelpdeskDialog } from '../dialogs/helpdesk-dialog.js';
import type { MainReplies } from '../dialogs/main-replies.js';
import type { PassDialog } from '../dialogs/pass-dialog.js';
import type { ReadinessDialog } from '../dialogs/readiness-dialog.js';
import type { StepUpDialog } from '../dialogs/step-up-dialog.js';
import type { ChatRef, FlowInput, FlowOptions, Wish } from '../flow/flow.js';
import { carriedWish } from '../flow/flow.js';
import { isLive } from '../flow/step.js';
import { t } from '../i18n/i18n.js';
import type { Grant } from '../identity/step-up-service.js';
import type { Logger } from '../logging.js';
import {
  HANDOFF_FORM_TEXT,
  HANDOFF_TEXT,
  isEmail,
  PASS_TEXT,
  READINESS_NAMES_TEXT,
  READINESS_TEXT,
  REMIND_TEXT,
} from '../recognizer/helpdesk-commands.js';
import { type Recognition, recognize } from '../recognizer/intent-recognizer.js';
import { SIX_DIGITS } from '../recognizer/typed-code.js';
import type { FlowRunner } from '../runner/flow-runner.js';
import { clockTime } from '../time.js';
import { turnLogger } from './turn-logger.js';

const GROUP_CONVERSATIONS = new Set(['groupChat', 'channel']);
/** Longer than any request a person types (Teams allows ~28 KB); longer text is answered without being analysed. */
export const MAX_TEXT_LENGTH = 2000;
const START_OVER = /^\s*(start over|restart|menu|von vorn|empezar de nuevo|recommencer)\s*$/i;

function isGroup(context: TurnContext): boolean {
  const conversation = context.activity.conversation;
  return Boolean(conversation?.isGroup) || GROUP_CONVERSATIONS.has(conversation?.conversationType ?? '');
}

function cardAction(context: TurnContext): string | undefined {
  const value = context.activity.value as { action?: unknown } | undefined;
  return typeof value?.action === 'string' ? value.action : undefined;
}

export function chatOf(context: TurnContext): ChatRef {
  const a = context.activity;
  return { channelId: a.channelId, userId: a.from.id, conversationId: a.conversation.id };
}

/** Card actions the bot handles itself (the rest are flow inputs, see teams-inputs.ts). */
export const BOT_ROUTED_ACTIONS: readonly string[] = [
  Actions.changeSecurityInfo,
  Actions.stepUpStart,
  Actions.cancel,
  Actions.escalate,
  Actions.take,
  Actions.handoff,
  Actions.handoffAccept,
  Actions.handoffDecline,
  Actions.tapAttest,
  Actions.tapApprove,
  Actions.tapHide,
  Actions.tapVerify,
  Actions.tapDecline,
  Actions.readinessNames,
  Actions.campaignStart,
  Actions.campaignStop,
  Actions.reminderPasskey,
  Actions.reminderSnooze,
  Actions.reminderOptOut,
];

/** Routing only: what arrived, and which reply, dialog or flow input it becomes. No business rule lives here. */
export class ProofupBot extends TeamsActivityHandler {
  private readonly routes: Record<string, (context: TurnContext) => Promise<void>> = {
    [Actions.changeSecurityInfo]: (c) =>
      this.startChange(c, { intent: 'changeSecurityInfo', language: turnLanguage(c) }),
    [Actions.stepUpStart]: (c) => this.startStepUp(c),
    [Actions.cancel]: (c) => this.cancel(c, flowInputOf(Actions.cancel, c.activity.value)),
    [Actions.escalate]: (c) => this.helpdesk.escalate(c, turnLanguage(c)),
    [Actions.take]: (c) => this.helpdesk.take(c, turnLanguage(c)),
    [Actions.handoff]: (c) => this.handoffAction(c),
    [Actions.handoffAccept]: (c) => this.handoff.accept(c, turnLanguage(c)),
    [Actions.handoffDecline]: (c) => this.handoff.decline(c, turnLanguage(c)),
    [Actions.tapAttest]: (c) => this.passes.attest(c, turnLanguage(c)),
    [Actions.tapApprove]: (c) => this.passes.approve(c, turnLanguage(c)),
    [Actions.tapHide]: (c) => this.passes.hide(c),
    [Actions.tapVerify]: (c) => this.passes.verify(c, turnLanguage(c)),
    [Actions.tapDecline]: (c) => this.passes.decline(c, turnLanguage(c)),
    [Actions.readinessNames]: async (c) => this.readiness?.namesPressed(c, turnLanguage(c)),
    [Actions.campaignStart]: async (c) => this.campaigns?.start(c, turnLanguage(c)),
    [Actions.campaignStop]: async (c) => this.campaigns?.stop(c, turnLanguage(c)),
    [Actions.reminderPasskey]: async (c) => {
      await this.campaigns?.answered(c, turnLanguage(c), 'passkey');
      return this.startChange(c, { intent: 'passkey', language: turnLanguage(c) });
    },
    [Actions.reminderSnooze]: async (c) => this.campaigns?.answered(c, turnLanguage(c), 'snoozed'),
    [Actions.reminderOptOut]: async (c) => this.campaigns?.answered(c, turnLanguage(c), 'opted-out'),
  };

  constructor(
    private readonly replies: MainReplies,
    private readonly stepUp: StepUpDialog,
    private readonly runner: FlowRunner,
    private readonly logger: Logger,
    private readonly audit: AuditLog,
    private readonly helpdesk: HelpdeskDialog,
    private readonly handoff: HandoffDialog,
    private readonly passes: PassDialog,
    /** What this deployment offers every flow (calls, office phone policy). */
    private readonly flowOptions: FlowOptions = { voice: false, officePolicy: 'directory' },
    /** "readiness": the helpdesk's readiness report (absent: the words are not a command). */
    private readonly readiness?: ReadinessDialog,
    /** "remind phone-only users": reminder campaigns. */
    private readonly campaigns?: CampaignDialog,
  ) {
    super();

    this.onMessage(async (context, next) => {
      await this.route(context);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      await this.helpdesk.noticeChannel(context); // installed in a team: maybe the helpdesk channel
      await this.helpdesk.noticePersonalChat(context); // installed for a person: where an invitation can reach them
      const botId = context.activity.recipient?.id;
      const user = (context.activity.membersAdded ?? []).find((m) => m.id !== botId);
      if (user && !isGroup(context))
        await this.replies.welcomeOnce(context, turnLanguage(context), user.name || context.activity.from?.name);
      await next();
    });
  }

  /** Every turn runs as the "current turn" so replies to this conversation reuse its connector client. */
  override run(context: TurnContext): Promise<void> {
    return withinTurn(context, () => super.run(context));
  }

  /** After "Verified as …": the flow starts with the grant's identity (never anything the chat said). */
  async onVerified(context: TurnContext, grant: Grant, wish = carriedWish(grant)): Promise<void> {
    // An agent's own sign-in for a helpdesk action: that action goes on; no change flow starts for the agent.
    if (wish?.helpdesk) {
      const lang = wish.lang ?? turnLanguage(context);
      if (wish.helpdesk.action === 'handoff') return this.handoff.afterStepUp(context, grant, lang);
      if (wish.helpdesk.action === 'take') return this.helpdesk.takeAfterStepUp(context, grant, lang);
      // The person's own sign-in for a pass the helpdesk asked about (not an agent's action).
      if (wish.helpdesk.action === 'tapVerify') return this.passes.personVerified(context, grant, lang);
      if (wish.helpdesk.action === 'readiness' && wish.helpdesk.query?.startsWith('remind|'))
        return this.campaigns?.afterStepUp(context, grant, lang, wish.helpdesk.query);
      if (wish.helpdesk.action === 'readiness') return this.readiness?.afterStepUp(context, grant, lang);
      return this.passes.afterStepUp(context, grant, lang);
    }
    const address = TurnContext.getConversationReference(context.activity);
    const timeZone = userTimeZone(context);
    await this.runner.handle(chatOf(context), address, {
      type: 'verified',
      flowId: randomUUID(),
      chat: chatOf(context),
      user: { oid: grant.oid, upn: grant.upn, name: grant.name },
      address,
      ...(wish ? { wish } : {}),
      lang: wish?.lang ?? turnLanguage(context),
      options: this.flowOptions,
      ...(timeZone ? { timeZone } : {}),
      ...(typeof context.activity.locale === 'string' && context.activity.locale.length <= 35
        ? { locale: context.activity.locale }
        : {}),
    });
  }

  private async route(context: TurnContext): Promise<void> {
    await this.helpdesk.noticeChannel(context);
    await this.helpdesk.noticePersonalChat(context);
    const action = cardAction(context);
    if (action) return this.routeAction(context, action);
    const raw = context.activity.text ?? '';
    if (raw.length > MAX_TEXT_LENGTH) {
      // Never fed to the recogniser or the regexes: a 250 KB message used to block the event loop for seconds.
      await context.sendActivity(t(turnLanguage(context), 'chat.tooLong', { length: raw.length }));
      return;
    }
    const text = TurnContext.removeRecipientMention(context.activity) ?? raw;
    const recognition = recognize(text);
    const lang = turnLanguage(context, recognition);
    if (replyTo(recognition.intent).kind === 'cancel') return this.cancel(context, { type: 'cancel', via: 'text' });
    if (!isGroup(context)) {
      // "help adelev@contoso.com" / "help Adele Vance" / "hand off": an agent hands someone to the bot. A name (not an
      // e-mail) only counts when nothing else was recognised, so "help me change my phone" stays a user's request.
      // These commands are English words followed by a name: the client's locale says the agent's language.
      const agentLang = turnLanguage(context);
      if (HANDOFF_FORM_TEXT.test(text)) return this.handoff.form(context, agentLang);
      const remind = this.campaigns && REMIND_TEXT.exec(text);
      if (remind) return this.campaigns?.request(context, agentLang, remind[1]);
      const names = this.readiness && READINESS_NAMES_TEXT.exec(text);
      if (names) return this.readiness?.names(context, agentLang, names[1], 0);
      const readiness = this.readiness && READINESS_TEXT.exec(text);
      if (readiness) return this.readiness?.request(context, agentLang, readiness[1]);
      const passFor = PASS_TEXT.exec(text)?.[1];
      if (passFor) return this.passes.request(context, agentLang, passFor);
      const named = HANDOFF_TEXT.exec(text)?.[1];
      if (named && (isEmail(named) || recognition.intent === 'help' || recognition.intent === 'none'))
        return this.handoff.request(context, agentLang, named);
    }
    const code = SIX_DIGITS.exec(text)?.[1];
    const startOver = START_OVER.test(text);
    if (!isGroup(context) && (code || startOver)) {
      const flow = await this.runner.peek(chatOf(context));
      if (code && flow?.stage === 'code') return this.toFlow(context, { type: 'submitCode', code, via: 'text' });
      if (startOver && isLive(flow)) return this.toFlow(context, { type: 'startOver', via: 'text' });
      if (await this.stepUp.tryCode(context, lang)) return;
    }
    const reply = replyTo(recognition.intent);
    // "start over" with nothing to start over: begin a change, the likeliest wish.
    if (reply.kind === 'intro' || startOver) return this.startChange(context, recognition);
    switch (reply.kind) {
      case 'help':
        return this.replies.help(context, lang, reply.title);
      case 'say':
        await context.sendActivity(t(lang, reply.key));
        return;
      case 'offer':
        return this.helpdesk.offer(context, reply.offer, lang);
      case 'cancel':
        return this.cancel(context, { type: 'cancel', via: 'text' });
    }
  }

  private async routeAction(context: TurnContext, action: string): Promise<void> {
    const { value, channelId, from } = context.activity;
    if (isForeignSubmit(value, channelId, from.id)) return this.foreignSubmit(context, action);
    const route = this.routes[action];
    if (route) return route(context);
    if (FLOW_ACTIONS.has(action) && !isGroup(context)) {
      const input = flowInputOf(action, context.activity.value);
      if (input) return this.toFlow(context, input);
      turnLogger(context, this.logger).warn(
        { code: 'PROOFUP_BAD_SUBMIT', action },
        'card submit with unexpected values refused',
      );
    }
    return this.replies.help(context, turnLanguage(context), 'card.help.ended');
  }

  /** Someone pressed a card shown to another user: say so, change nothing, and leave a trace for the security team. */
  private async foreignSubmit(context: TurnContext, action: string): Promise<void> {
    const { value, channelId, from } = context.activity;
    const flowId = (value as { flowId?: unknown }).flowId;
    turnLogger(context, this.logger).warn(
      { code: 'PROOFUP_FOREIGN_SUBMIT', action },
      'a card shown to another user was pressed; refused',
    );
    await this.audit.append({
      id: randomUUID(),
      at: new Date().toISOString(),
      flowId: typeof flowId === 'string' && /^[0-9a-f-]{36}$/.test(flowId) ? flowId : '',
      // As the channel names the presser: they never verified, so this is who Teams says they are.
      actorOid: from.aadObjectId ?? '',
      channel: channelId,
      action: 'cardSubmit',
      steps: [],
      result: 'refused',
      reason: 'foreign-submit',
    });
    await context.sendActivity(t(turnLanguage(context), 'chat.foreignCard'));
  }

  /** The handoff form's submit (personal chat) or "Hand to the bot" on a taken escalation (channel). */
  private async handoffAction(context: TurnContext): Promise<void> {
    const lang = turnLanguage(context);
    if (isGroup(context)) return this.helpdesk.handToBot(context, lang, this.handoff);
    return this.handoff.request(context, lang);
  }

  /**
   * What a failed turn may truthfully say about this chat's change: being applied or its result still on its way →
   * "the result will follow here"; a finished change → "it is finished, see its result and e-mail"; no change under
   * way (none, or before "Confirm": no write happens earlier) → "nothing was changed".
   */
  async turnErrorReply(context: TurnContext, ref: string): Promise<string> {
    const flow = isGroup(context) ? undefined : await this.runner.peek(chatOf(context));
    const lang = flow?.lang ?? turnLanguage(context);
    if (flow && (flow.stage === 'applying' || flow.outbox.length > 0))
      return t(lang, 'chat.turnFailedInFlight', { ref });
    if (flow?.stage === 'ended') return t(lang, 'chat.turnFailedAfterFlow', { ref });
    return t(lang, 'chat.turnFailedNothingChanged', { ref });
  }

  private toFlow(context: TurnContext, input: FlowInput): Promise<void> {
    const reference = TurnContext.getConversationReference(context.activity);
    return this.runner.handle(chatOf(context), reference, input, context.activity.id || undefined);
  }

  /** Teams' answer from its sign-in window (notifySuccess in our callback page). */
  protected override async handleTeamsSigninVerifyState(
    context: TurnContext,
    query: SigninStateVerificationQuery,
  ): Promise<void> {
    // Teams sends a string; anything else is refused like a wrong code (never a TypeError and a 501).
    const state = typeof query?.state === 'string' ? query.state : '';
    await this.stepUp.verifyState(context, state, turnLanguage(context));
  }

  /** "Verify it's you" / "Make another change": a sign-in still valid in THIS chat is reused; otherwise sign in. */
  private async startStepUp(context: TurnContext): Promise<void> {
    const lang = turnLanguage(context);
    if (isGroup(context))
      return this.replies.continueInPersonalChat(context, { intent: 'changeSecurityInfo', language: lang }, lang);
    return this.beginChange(context, startWish(context.activity.value, lang));
  }

  /** The user's own change: reuses a sign-in still valid in this chat (not an agent's helpdesk one), else signs in. */
  async beginChange(context: TurnContext, wish: Wish): Promise<void> {
    const lang = wish.lang ?? turnLanguage(context);
    const live = await this.stepUp.liveGrant(context);
    const grant = live?.role === 'helpdesk' ? undefined : live;
    if (!grant) return this.stepUp.start(context, wish);
    const until = clockTime(grant.expiresAt, userTimeZone(context), lang);
    await context.sendActivity(t(lang, 'chat.stillVerified', { until }));
    return this.onVerified(context, grant, wish);
  }

  /** A live flow decides for itself (stale card, already applying); otherwise a waiting sign-in is dropped. */
  private async cancel(context: TurnContext, input: FlowInput | undefined): Promise<void> {
    await this.stepUp.cancel(context); // a waiting sign-in link stops working too
    if (!isGroup(context) && isLive(await this.runner.peek(chatOf(context))))
      return this.toFlow(context, input ?? { type: 'cancel', via: 'card', flowId: 'not-a-flow' });
    await context.sendActivity(t(turnLanguage(context), 'chat.cancelled'));
  }

  private async startChange(context: TurnContext, recognition: Recognition): Promise<void> {
    const lang = turnLanguage(context, recognition);
    if (isGroup(context)) return this.replies.continueInPersonalChat(context, recognition, lang);
    return this.replies.intro(context, recognition, lang);
  }
}
