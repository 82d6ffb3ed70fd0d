import { randomUUID } from 'node:crypto';
import { type SigninStateVerificationQuery, TeamsActivityHandler, TurnContext } from 'botbuilder';
import type { AuditLog } from '../audit/audit-log.js';
import { Actions } from '../channels/teams/actions.js';
import { isForeignSubmit } from '../channels/teams/card-owner.js';
import { withinTurn } from '../channels/teams/conversation-gateway.js';
import { FLOW_ACTIONS, flowInputOf, userTimeZone, wishOf } from '../channels/teams/teams-inputs.js';
import type { MainReplies } from '../dialogs/main-replies.js';
import { SIX_DIGITS, type StepUpDialog } from '../dialogs/step-up-dialog.js';
import type { ChatRef, FlowInput } from '../flow/flow.js';
import { isLive } from '../flow/step.js';
import type { Grant } from '../identity/step-up-service.js';
import type { Logger } from '../logging.js';
import { type Recognition, recognize } from '../recognizer/intent-recognizer.js';
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
export const BOT_ROUTED_ACTIONS: readonly string[] = [Actions.changeSecurityInfo, Actions.stepUpStart, Actions.cancel];

/** Routing only: what arrived, and which reply, dialog or flow input it becomes. No business rule lives here. */
export class ProofupBot extends TeamsActivityHandler {
  private readonly routes: Record<string, (context: TurnContext) => Promise<void>> = {
    [Actions.changeSecurityInfo]: (c) => this.startChange(c, { intent: 'changeSecurityInfo', language: 'en' }),
    [Actions.stepUpStart]: (c) => this.startStepUp(c),
    [Actions.cancel]: (c) => this.cancel(c, flowInputOf(Actions.cancel, c.activity.value)),
  };

  constructor(
    private readonly replies: MainReplies,
    private readonly stepUp: StepUpDialog,
    private readonly runner: FlowRunner,
    private readonly logger: Logger,
    private readonly audit: AuditLog,
  ) {
    super();

    this.onMessage(async (context, next) => {
      await this.route(context);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const user = (context.activity.membersAdded ?? []).find((m) => m.id !== botId);
      if (user && !isGroup(context)) await this.replies.welcomeOnce(context, user.name || context.activity.from?.name);
      await next();
    });
  }

  /** Every turn runs as the "current turn" so replies to this conversation reuse its connector client. */
  override run(context: TurnContext): Promise<void> {
    return withinTurn(context, () => super.run(context));
  }

  /** After "Verified as …": the flow starts with the grant's identity (never anything the chat said). */
  async onVerified(context: TurnContext, grant: Grant, wish = grant.wish): Promise<void> {
    const address = TurnContext.getConversationReference(context.activity);
    const timeZone = userTimeZone(context);
    await this.runner.handle(chatOf(context), address, {
      type: 'verified',
      flowId: randomUUID(),
      chat: chatOf(context),
      user: { oid: grant.oid, upn: grant.upn, name: grant.name },
      address,
      ...(wish ? { wish } : {}),
      ...(timeZone ? { timeZone } : {}),
      ...(typeof context.activity.locale === 'string' && context.activity.locale.length <= 35
        ? { locale: context.activity.locale }
        : {}),
    });
  }

  private async route(context: TurnContext): Promise<void> {
    const action = cardAction(context);
    if (action) return this.routeAction(context, action);
    const raw = context.activity.text ?? '';
    if (raw.length > MAX_TEXT_LENGTH) {
      // Never fed to the recogniser or the regexes: a 250 KB message used to block the event loop for seconds.
      await context.sendActivity(
        `That message is too long for me (${raw.length.toLocaleString('en-US')} characters). ` +
          'Tell me in a sentence what you would like to change, for example "change my MFA phone".',
      );
      return;
    }
    const text = TurnContext.removeRecipientMention(context.activity) ?? raw;
    const recognition = recognize(text);
    if (recognition.intent === 'cancel') return this.cancel(context, { type: 'cancel', via: 'text' });
    const code = SIX_DIGITS.exec(text)?.[1];
    const startOver = START_OVER.test(text);
    if (!isGroup(context) && (code || startOver)) {
      const flow = await this.runner.peek(chatOf(context));
      if (code && flow?.stage === 'code') return this.toFlow(context, { type: 'submitCode', code, via: 'text' });
      if (startOver && isLive(flow)) return this.toFlow(context, { type: 'startOver', via: 'text' });
      if (await this.stepUp.tryCode(context)) return;
    }
    // "start over" with nothing to start over: begin a change, the likeliest wish.
    if (recognition.intent === 'changeSecurityInfo' || startOver) return this.startChange(context, recognition);
    switch (recognition.intent) {
      case 'help':
        return this.replies.help(context);
      case 'greeting':
        return this.replies.help(context, 'Hi! Here is what I can do');
      case 'thanks':
        await context.sendActivity('You\'re welcome. Say "change my MFA phone" whenever your sign-in phones change.');
        return;
      case 'device':
        await context.sendActivity(
          "I can't order, replace or repair phones: please ask IT for that. I change the phone numbers you use to " +
            'sign in. If your number changes, say "change my MFA phone".',
        );
        return;
      default:
        return this.replies.help(context, "I'm not sure what you mean. Here is what I can do");
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
    return this.replies.help(context, 'That button belongs to something that has ended. Here is what I can do');
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
    await context.sendActivity(
      "That card belongs to someone else's request, so I ignored it and nothing was changed. " +
        'To change your own security info, say "change my MFA phone".',
    );
  }

  private toFlow(context: TurnContext, input: FlowInput): Promise<void> {
    return this.runner.handle(chatOf(context), TurnContext.getConversationReference(context.activity), input);
  }

  /** Teams' answer from its sign-in window (notifySuccess in our callback page). */
  protected override async handleTeamsSigninVerifyState(
    context: TurnContext,
    query: SigninStateVerificationQuery,
  ): Promise<void> {
    // Teams sends a string; anything else is refused like a wrong code (never a TypeError and a 501).
    await this.stepUp.verifyState(context, typeof query?.state === 'string' ? query.state : '');
  }

  /** "Verify it's you" / "Make another change": a sign-in still valid in THIS chat is reused; otherwise sign in. */
  private async startStepUp(context: TurnContext): Promise<void> {
    if (isGroup(context))
      return this.replies.continueInPersonalChat(context, { intent: 'changeSecurityInfo', language: 'en' });
    const wish = wishOf(context.activity.value);
    const grant = await this.stepUp.liveGrant(context);
    if (!grant) return this.stepUp.start(context, wish);
    const until = clockTime(grant.expiresAt, userTimeZone(context));
    await context.sendActivity(`You're still verified in this chat (until ${until}), so no new sign-in is needed.`);
    return this.onVerified(context, grant, wish);
  }

  /** A live flow decides for itself (stale card, already applying); otherwise a waiting sign-in is dropped. */
  private async cancel(context: TurnContext, input: FlowInput | undefined): Promise<void> {
    await this.stepUp.cancel(context); // a waiting sign-in link stops working too
    if (!isGroup(context) && isLive(await this.runner.peek(chatOf(context))))
      return this.toFlow(context, input ?? { type: 'cancel', via: 'card', flowId: 'not-a-flow' });
    await context.sendActivity('Cancelled. Nothing was changed.');
  }

  private async startChange(context: TurnContext, recognition: Recognition): Promise<void> {
    if (isGroup(context)) return this.replies.continueInPersonalChat(context, recognition);
    return this.replies.intro(context, recognition);
  }
}
