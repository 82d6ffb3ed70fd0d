import { type SigninStateVerificationQuery, TeamsActivityHandler, TurnContext } from 'botbuilder';
import type { MainReplies } from '../dialogs/main-replies.js';
import type { SecurityInfoDialog } from '../dialogs/security-info-dialog.js';
import type { StepUpDialog } from '../dialogs/step-up-dialog.js';
import { type Recognition, recognize } from '../recognizer/intent-recognizer.js';

const GROUP_CONVERSATIONS = new Set(['groupChat', 'channel']);

function isGroup(context: TurnContext): boolean {
  const conversation = context.activity.conversation;
  return Boolean(conversation?.isGroup) || GROUP_CONVERSATIONS.has(conversation?.conversationType ?? '');
}

function cardAction(context: TurnContext): string | undefined {
  const value = context.activity.value as { action?: unknown } | undefined;
  return typeof value?.action === 'string' ? value.action : undefined;
}

/** Routing only: what arrived, and which reply or dialog handles it. */
export class ProofupBot extends TeamsActivityHandler {
  constructor(
    private readonly replies: MainReplies,
    private readonly stepUp: StepUpDialog,
    private readonly securityInfo: SecurityInfoDialog,
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

  private async route(context: TurnContext): Promise<void> {
    const action = cardAction(context);
    if (action) {
      if (action === 'intent.changeSecurityInfo')
        return this.startChange(context, { intent: 'changeSecurityInfo', language: 'en' });
      if (action === 'flow.cancel') return this.cancel(context);
      if (action === 'stepUp.start') return this.startStepUp(context);
      if (action.startsWith('sec.') && !isGroup(context)) return this.securityInfo.onSubmit(context, action);
      return this.replies.help(context, 'That button belongs to something that has ended. Here is what I can do');
    }
    const text = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '';
    const recognition = recognize(text);
    if (recognition.intent === 'cancel') return this.cancel(context);
    if (!isGroup(context) && (await this.securityInfo.onText(context, text))) return;
    if (!isGroup(context) && (await this.stepUp.tryCode(context))) return;
    if (recognition.intent === 'changeSecurityInfo') return this.startChange(context, recognition);
    if (recognition.intent === 'help') return this.replies.help(context);
    return this.replies.help(context, "I'm not sure what you mean. Here is what I can do");
  }

  /** Teams' answer from its sign-in window (notifySuccess in our callback page). */
  protected override async handleTeamsSigninVerifyState(
    context: TurnContext,
    query: SigninStateVerificationQuery,
  ): Promise<void> {
    await this.stepUp.verifyState(context, query.state ?? '');
  }

  private async startStepUp(context: TurnContext): Promise<void> {
    if (isGroup(context))
      return this.replies.continueInPersonalChat(context, { intent: 'changeSecurityInfo', language: 'en' });
    return this.stepUp.start(context);
  }

  private async cancel(context: TurnContext): Promise<void> {
    const stillApplying = await this.securityInfo.cancel(context);
    if (stillApplying) return;
    await this.stepUp.cancel(context);
    await context.sendActivity('Cancelled. Nothing was changed.');
  }

  private async startChange(context: TurnContext, recognition: Recognition): Promise<void> {
    if (isGroup(context)) return this.replies.continueInPersonalChat(context, recognition);
    return this.replies.intro(context, recognition);
  }
}
