import {
  type CloudAdapter,
  type ConversationParameters,
  MessageFactory,
  type StatePropertyAccessor,
  type TurnContext,
  type UserState,
} from 'botbuilder';
import type { CardBuilder } from '../cards/card-builder.js';
import { type HelpTitle, helpView, introView } from '../conversation/replies.js';
import { type Lang, t } from '../i18n/i18n.js';
import type { Logger } from '../logging.js';
import type { Recognition } from '../recognizer/intent-recognizer.js';

interface WelcomeRecord {
  welcomedAt?: string;
}

export interface MainRepliesDeps {
  cards: CardBuilder;
  userState: UserState;
  logger: Logger;
  /** The bot's app id ('' in the anonymous sandbox); needed to open a 1:1 chat from a group. */
  botAppId: string;
}

/** What the bot says at the entry points of a conversation. The security-info dialogs build on these. */
export class MainReplies {
  private readonly welcome: StatePropertyAccessor<WelcomeRecord>;

  constructor(private readonly deps: MainRepliesDeps) {
    this.welcome = deps.userState.createProperty<WelcomeRecord>('welcome');
  }

  async intro(context: TurnContext, recognition: Recognition, lang: Lang): Promise<void> {
    const card = this.deps.cards.build('intro', { ...introView(recognition, lang), lang }, lang);
    await context.sendActivity(MessageFactory.attachment(card));
  }

  async help(context: TurnContext, lang: Lang, title: HelpTitle = 'card.help.title'): Promise<void> {
    const card = this.deps.cards.build('help', { ...helpView(lang, title), lang }, lang);
    await context.sendActivity(MessageFactory.attachment(card));
  }

  /** Welcomes a user once, however often the client reloads and re-sends conversationUpdate. */
  async welcomeOnce(context: TurnContext, lang: Lang, fullName?: string): Promise<void> {
    const record = await this.welcome.get(context, {});
    if (record.welcomedAt) return;
    const name = fullName?.split(' ')[0];
    const title = name ? t(lang, 'card.welcome.title', { name }) : t(lang, 'card.welcome.titleNoName');
    await context.sendActivity(MessageFactory.attachment(this.deps.cards.build('welcome', { title, lang }, lang)));
    await this.welcome.set(context, { welcomedAt: new Date().toISOString() });
    await this.deps.userState.saveChanges(context);
    this.deps.logger.info({ conversationId: context.activity.conversation?.id }, 'welcome card sent');
  }

  /** In a group chat or channel we never collect numbers: say so there, continue in the user's 1:1 chat. */
  async continueInPersonalChat(context: TurnContext, recognition: Recognition, lang: Lang): Promise<void> {
    const activity = context.activity;
    const tenantId = activity.conversation.tenantId ?? activity.channelData?.tenant?.id;
    const parameters = {
      isGroup: false,
      bot: activity.recipient,
      members: [activity.from],
      tenantId,
      channelData: tenantId ? { tenant: { id: tenantId } } : undefined,
    } as ConversationParameters;
    const adapter = context.adapter as CloudAdapter;
    const audience = context.turnState.get(adapter.OAuthScopeKey) as string;
    try {
      await adapter.createConversationAsync(
        this.deps.botAppId,
        activity.channelId,
        activity.serviceUrl,
        audience,
        parameters,
        (personal) => this.intro(personal, recognition, lang),
      );
      await context.sendActivity(t(lang, 'chat.groupMoved'));
    } catch (err) {
      this.deps.logger.warn({ err, conversationId: activity.conversation.id }, 'could not open a 1:1 chat');
      await context.sendActivity(t(lang, 'chat.groupOpenPersonal'));
    }
  }
}
