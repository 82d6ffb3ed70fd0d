// "Verify it's you": sends the sign-in, takes the code back (or Teams' signin/verifyState), reports every outcome in
// the chat it started from, and leaves a grant behind.

import {
  type Activity,
  CardFactory,
  type ConversationReference,
  MessageFactory,
  TeamsInfo,
  TurnContext,
} from 'botbuilder';
import type { CardBuilder } from '../cards/card-builder.js';
import type { ConversationGateway } from '../channels/teams/conversation-gateway.js';
import { userTimeZone } from '../channels/teams/teams-inputs.js';
import { refusedView, verifiedView } from '../conversation/replies.js';
import type { Wish } from '../flow/flow.js';
import { DEFAULT_LANG, type Lang, t } from '../i18n/i18n.js';
import { StepUpError } from '../identity/step-up-errors.js';
import type { CallbackOutcome, ChatBinding, Grant, StepUpAttempt, StepUpService } from '../identity/step-up-service.js';
import type { Logger } from '../logging.js';
import type { Metrics } from '../metrics/metrics.js';
import { SIX_DIGITS } from '../recognizer/typed-code.js';

export interface StepUpDialogDeps {
  stepUp: StepUpService;
  cards: CardBuilder;
  logger: Logger;
  /** Sends a message into a conversation outside a turn (the browser callback has no turn). */
  gateway: ConversationGateway;
  metrics?: Metrics;
  /** What comes after "Verified as …" (the security-info dialog). */
  onVerified?: (context: TurnContext, grant: Grant) => Promise<void>;
  /** Sign-ins of Slack chats end in the browser: Slack's side is told (set once Slack is wired). */
  slackChats?: () => SlackSignInListener | undefined;
  /** Audits and announces (e-mail) every new Slack binding and every refused one. */
  slackBindingRecords?: SlackBindingRecords;
}

/** The independent record of Slack bindings: audit, and an e-mail to the Entra account for each new one. */
export interface SlackBindingRecords {
  bound(attempt: StepUpAttempt, grant: Grant): Promise<void>;
  refused(attempt: StepUpAttempt): Promise<void>;
}

/** What a Slack chat hears about its sign-in (it binds in the browser; there is no turn to answer in). */
export interface SlackSignInListener {
  verified(attempt: StepUpAttempt, grant: Grant): Promise<void>;
  refused(attempt: StepUpAttempt, err: StepUpError): Promise<void>;
}

export function chatBinding(activity: Activity): ChatBinding {
  return { channelId: activity.channelId, userId: activity.from.id, conversationId: activity.conversation.id };
}

export class StepUpDialog {
  constructor(private readonly deps: StepUpDialogDeps) {}

  /** `wish.lang` is the language of everything this sign-in says (card, pages, the verified card, the flow). */
  async start(context: TurnContext, wish: Wish): Promise<void> {
    const activity = context.activity;
    const lang = wish.lang ?? DEFAULT_LANG;
    const reference = TurnContext.getConversationReference(activity);
    let begun: Awaited<ReturnType<StepUpService['begin']>>;
    try {
      begun = await this.deps.stepUp.begin(chatBinding(activity), reference, await this.upnOf(context), wish);
    } catch (err) {
      if (!(err instanceof StepUpError)) throw err;
      await context.sendActivity(err.userMessageIn(lang));
      return;
    }
    const { url, method } = begun;
    this.deps.metrics?.flowEvents.inc({ event: 'started', reason: '' });
    if (method === 'teams-verify-state') {
      // Teams opens this in its own auth window and completes with signin/verifyState: no code passes the user.
      const card = CardFactory.signinCard(t(lang, 'card.signIn.button'), url, t(lang, 'card.signIn.teams'));
      await context.sendActivity(MessageFactory.attachment(card));
      return;
    }
    const card = this.deps.cards.build('sign-in', { signInUrl: url, lang }, lang);
    await context.sendActivity(MessageFactory.attachment(card));
  }

  /** True when this text was a binding code for a sign-in waiting in this chat (handled either way). */
  async tryCode(context: TurnContext, lang: Lang): Promise<boolean> {
    const code = SIX_DIGITS.exec(context.activity.text ?? '')?.[1];
    if (!code) return false;
    if (!(await this.deps.stepUp.waitingForCode(chatBinding(context.activity)))) {
      await context.sendActivity(new StepUpError('nothing-pending').userMessageIn(lang));
      return true;
    }
    await this.bind(context, code, 'typed-code', lang);
    return true;
  }

  async verifyState(context: TurnContext, state: string, lang: Lang): Promise<void> {
    await this.bind(context, state, 'teams-verify-state', lang);
  }

  /** The grant this chat's sign-in left, while it is valid (bound to channel, user AND conversation). */
  liveGrant(context: TurnContext): Promise<Grant | undefined> {
    return this.deps.stepUp.grant(chatBinding(context.activity));
  }

  async cancel(context: TurnContext): Promise<void> {
    await this.deps.stepUp.cancel(chatBinding(context.activity));
  }

  /**
   * The browser came back from Entra (`browserSecret`: the Slack sign-in cookie, if any). Failures are also told in
   * the chat, with a way to try again. A new Slack binding is not made here: the page asks to confirm it first.
   */
  async completeSignIn(query: Record<string, string | undefined>, browserSecret?: string): Promise<CallbackOutcome> {
    const outcome = await this.toldIfRefused(() => this.deps.stepUp.completeSignIn(query, browserSecret));
    if (outcome.kind === 'slack-browser') await this.slackVerified(outcome.attempt, outcome.grant);
    return outcome;
  }

  /** The browser came back from Sign in with Slack: on to Entra (a refusal is told in the Slack DM). */
  completeSlack(query: Record<string, string | undefined>, browserSecret: string | undefined): Promise<string> {
    return this.toldIfRefused(() => this.deps.stepUp.completeSlack(query, browserSecret));
  }

  /**
   * The Entra account holder confirmed (or refused) linking the Slack user. Linked: audited, announced by e-mail,
   * then "Verified as …" in the DM. Refused: audited; the Slack DM hears only that the sign-in did not complete.
   */
  async confirmSlack(form: { state?: string; decision?: string }, browserSecret: string | undefined) {
    let outcome: Awaited<ReturnType<StepUpService['confirmSlack']>>;
    try {
      outcome = await this.toldIfRefused(() => this.deps.stepUp.confirmSlack(form, browserSecret));
    } catch (err) {
      const attempt = (err as { attempt?: StepUpAttempt }).attempt;
      if (err instanceof StepUpError && err.reason === 'binding-refused' && attempt)
        await this.deps.slackBindingRecords?.refused(attempt).catch((e) => this.logRecordFailure(e));
      throw err;
    }
    await this.deps.slackBindingRecords?.bound(outcome.attempt, outcome.grant).catch((e) => this.logRecordFailure(e));
    await this.slackVerified(outcome.attempt, outcome.grant);
    return outcome;
  }

  private async slackVerified(attempt: StepUpAttempt, grant: Grant): Promise<void> {
    await this.deps
      .slackChats?.()
      ?.verified(attempt, grant)
      .catch((e) => this.logSendFailure(e));
  }

  private logRecordFailure(err: unknown): void {
    this.deps.logger.error({ err, code: 'PROOFUP_SLACK_BINDING_RECORD_FAILED' }, 'a Slack binding was not recorded');
  }

  private async toldIfRefused<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      const attempt = (err as { attempt?: StepUpAttempt }).attempt;
      if (err instanceof StepUpError && attempt) {
        const told =
          attempt.reference.channelId === 'slack'
            ? this.deps.slackChats?.()?.refused(attempt, err)
            : this.tell(attempt.reference, err, attempt.wish?.lang ?? DEFAULT_LANG);
        await told?.catch((e) => this.logSendFailure(e));
      }
      throw err;
    }
  }

  /** `fallback`: the language for refusals (a verified sign-in speaks the language its request was made in). */
  private async bind(
    context: TurnContext,
    code: string,
    via: 'typed-code' | 'teams-verify-state',
    fallback: Lang,
  ): Promise<void> {
    const activity = context.activity;
    const log = this.deps.logger.child({ conversationId: activity.conversation.id });
    try {
      const grant = await this.deps.stepUp.bind(chatBinding(activity), code, via, activity.from.aadObjectId);
      log.info({ oid: grant.oid, via }, 'step-up verified and bound to the chat');
      const lang = grant.wish?.lang ?? fallback;
      await context.sendActivity(MessageFactory.attachment(this.verifiedCard(grant, lang, userTimeZone(context))));
      await this.deps.onVerified?.(context, grant);
    } catch (err) {
      if (!(err instanceof StepUpError)) throw err;
      this.deps.metrics?.stepUpRefusals.inc({ reason: err.reason });
      log.warn({ code: err.code, reason: err.reason, via }, 'step-up binding refused');
      if (err.reason === 'code-wrong') {
        await context.sendActivity(t(fallback, 'stepUp.code-wrong-retype'));
        return;
      }
      await context.sendActivity(MessageFactory.attachment(this.failedCard(err, fallback)));
    }
  }

  private verifiedCard(grant: Grant, lang: Lang, timeZone?: string) {
    return this.deps.cards.build('verified', { ...verifiedView(grant, lang, timeZone), lang }, lang);
  }

  private failedCard(err: StepUpError, lang: Lang) {
    return this.deps.cards.build('step-up-failed', { ...refusedView(err.userMessageIn(lang), lang), lang }, lang);
  }

  private async tell(reference: Partial<ConversationReference>, err: StepUpError, lang: Lang): Promise<void> {
    await this.deps.gateway.send(reference, MessageFactory.attachment(this.failedCard(err, lang)));
  }

  private logSendFailure(err: unknown): void {
    this.deps.logger.warn({ err }, 'could not report the sign-in outcome in the chat');
  }

  /** The user's UPN as login_hint, when Teams can tell us (never required). */
  private async upnOf(context: TurnContext): Promise<string | undefined> {
    if (context.activity.channelId !== 'msteams') return undefined;
    try {
      const member = await TeamsInfo.getMember(context, context.activity.from.id);
      return member.userPrincipalName || undefined;
    } catch (err) {
      this.deps.logger.debug({ err }, 'no UPN for login_hint');
      return undefined;
    }
  }
}
