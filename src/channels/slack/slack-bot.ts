// Slack as a second adapter of the same flow core: what arrived (a DM, a mention, a button, a modal) becomes the same
// recognised intent or flow input the Teams adapter produces; replies are Block Kit (slack-presenter.ts). Nothing
// about a sign-in is ever posted in a channel: a mention gets an ephemeral note and the conversation moves to the DM.
// Numbers and codes are typed in modals (views.open within the 3-second trigger, errors returned in the ack).

import { randomUUID } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import { replyTo, startWish } from '../../conversation/replies.js';
import { carriedWish, type FlowOptions, type Wish } from '../../flow/flow.js';
import { isLive } from '../../flow/step.js';
import { proofFor } from '../../flow/views.js';
import { DEFAULT_LANG, isLang, type Lang, languageOf, t } from '../../i18n/i18n.js';
import type { SlackBindings } from '../../identity/slack-bindings.js';
import { StepUpError } from '../../identity/step-up-errors.js';
import type { Grant, StepUpAttempt, StepUpService } from '../../identity/step-up-service.js';
import type { Logger } from '../../logging.js';
import { maskEmail } from '../../mask.js';
import { recognize } from '../../recognizer/intent-recognizer.js';
import { SIX_DIGITS } from '../../recognizer/typed-code.js';
import type { FlowRunner } from '../../runner/flow-runner.js';
import { clockTime } from '../../time.js';
import { FLOW_ACTIONS, flowInputOf } from '../flow-inputs.js';
import { type Block, context, section } from './blocks.js';
import type { SlackAction, SlackHelpdesk } from './slack-helpdesk.js';
import { SlackHome } from './slack-home.js';
import { codeModal, type ModalContext, modalContextSchema, modalInput, numberModal } from './slack-modals.js';
import { TAP_MODAL } from './slack-passes.js';
import { type SlackAddress, slackChatOf } from './slack-presenter.js';
import {
  helpMessage,
  introMessage,
  offerMessage,
  refusedMessage,
  sayMessage,
  signInMessage,
  verifiedMessage,
} from './slack-replies.js';
import type { SlackSignIn } from './slack-talk.js';
import type { SlackWorkspaces } from './slack-workspaces.js';

export interface SlackBotDeps {
  client: webApi.WebClient;
  /** Work that no event started (a sign-in's return in the browser) speaks for the Slack user's workspace. */
  workspaces: SlackWorkspaces;
  stepUp: StepUpService;
  runner: FlowRunner;
  logger: Logger;
  flowOptions: FlowOptions;
  helpdeskContact: string;
  /** "unlink": removes this Slack user's binding to an Entra account (audited); false when there was none. */
  unlink?: (slackUser: { team: string; user: string }) => Promise<boolean>;
  /** The helpdesk in Slack (escalations, Take it, handoffs), given this bot's way to start a sign-in in a DM. */
  helpdesk?: (signIn: SlackSignIn) => SlackHelpdesk;
  /** Slack users linked to Entra accounts (the Home tab says whether this one is). */
  bindings?: Pick<SlackBindings, 'get'>;
}

/** The literal command (in every language) that removes the Slack user's own binding. */
const UNLINK = /^\s*unlink\s*$/i;

// Refusals whose reason is for the browser's holder, not for the Slack user: a link phished to someone else ends there
// and the Slack user (who may be the attacker) learns only that the sign-in did not complete.
const BROWSER_ONLY_REASONS = new Set(['browser-mismatch', 'binding-refused', 'entra-bound-elsewhere']);
const LOCALE_CACHE_MS = 60 * 60_000;
/** views.open's answers for a trigger_id that can no longer open anything. */
const TRIGGER_SPENT = new Set(['expired_trigger_id', 'exchanged_trigger_id', 'invalid_trigger_id']);

const chatOf = slackChatOf;
const bindingOf = slackChatOf;

/** The DM a sign-in attempt belongs to (its chat binding: userId is "team:user", the conversation the DM). */
function addressOf(attempt: StepUpAttempt): SlackAddress | undefined {
  const [team, user] = attempt.binding.userId.split(':');
  return team && user ? { team, user, channel: attempt.binding.conversationId } : undefined;
}

export class SlackBot {
  private readonly locales = new Map<string, { lang: Lang; until: number }>();
  private readonly helpdesk?: SlackHelpdesk;
  private readonly routes: Record<string, SlackAction>;
  /** The Home tab (app_home_opened). */
  readonly home: SlackHome;

  constructor(private readonly deps: SlackBotDeps) {
    this.helpdesk = deps.helpdesk?.((dm, wish, lang) => this.beginSignIn(dm, wish, lang));
    this.routes = this.actionRoutes();
    this.home = new SlackHome(deps.client, deps.bindings, (user) => this.languageOf(user));
  }

  /** The global shortcut "Change my sign-in methods": the intro in the user's DM, in their language. */
  async shortcut(address: SlackAddress): Promise<void> {
    const lang = await this.languageOf(address.user);
    await this.post(address, introMessage({ intent: 'changeSecurityInfo', language: lang }, lang));
  }

  /** The user's language: the one they write in when it is clear, else their Slack locale (users.info), else English. */
  async languageOf(user: string, text = ''): Promise<Lang> {
    // What they write in wins, as in Teams ("Ich möchte …" from an English Slack gets German).
    const recognised = recognize(text);
    if (recognised.languageSure && isLang(recognised.language)) return recognised.language;
    const cached = this.locales.get(user);
    if (cached && cached.until > Date.now()) return cached.lang;
    const info = await this.deps.client.users.info({ user, include_locale: true }).catch(() => undefined);
    const locale = (info?.user as { locale?: string } | undefined)?.locale;
    const lang = languageOf(locale) ?? DEFAULT_LANG;
    this.locales.set(user, { lang, until: Date.now() + LOCALE_CACHE_MS });
    return lang;
  }

  /** A direct message from the user. */
  async directMessage(address: SlackAddress, text: string): Promise<void> {
    const lang = await this.languageOf(address.user, text);
    const chat = chatOf(address);
    const code = SIX_DIGITS.exec(text)?.[1];
    if (code) {
      const flow = await this.deps.runner.peek(chat);
      if (flow?.stage === 'code')
        return this.deps.runner.handle(chat, address, { type: 'submitCode', code, via: 'text' });
      return this.bindCode(address, code, lang);
    }
    if (UNLINK.test(text) && this.deps.unlink) {
      await this.deps.stepUp.cancel(chat);
      await this.deps.stepUp.endGrant(chat);
      const removed = await this.deps.unlink({ team: address.team, user: address.user });
      const said = t(lang, removed ? 'slack.unlinked' : 'slack.notLinked');
      return this.post(address, { text: said, blocks: [section(said)] });
    }
    const recognition = recognize(text);
    const reply = replyTo(recognition.intent);
    if (reply.kind === 'cancel') return this.cancel(address, lang);
    // An agent's command: "help <e-mail>", "hand off", "readiness [names] [for group X]". English words and a name:
    // the Slack locale says the agent's language ("hand off" reads as German to the recognizer).
    const agentLang = this.helpdesk && (await this.languageOf(address.user));
    if (agentLang && (await this.helpdesk?.command(address, text, recognition.intent, agentLang))) return;
    switch (reply.kind) {
      case 'intro':
        return this.post(address, introMessage(recognition, lang));
      case 'help':
        return this.post(address, helpMessage(lang, reply.title));
      case 'say':
        return this.post(address, sayMessage(t(lang, reply.key)));
      case 'offer':
        if (this.helpdesk) return this.post(address, offerMessage(reply.offer, lang));
        return this.post(address, sayMessage(`${t(lang, 'slack.notHere')} (${this.deps.helpdeskContact})`));
    }
  }

  /** @Proofup in a channel: an ephemeral note there, the conversation in a DM. */
  async mention(team: string, channel: string, user: string, text: string): Promise<void> {
    const lang = await this.languageOf(user, text);
    await this.deps.client.chat.postEphemeral({ channel, user, text: t(lang, 'slack.movedToDm') });
    const opened = await this.deps.client.conversations.open({ users: user });
    const dm = opened.channel?.id;
    if (!dm) return;
    const recognition = recognize(text.replace(/<@[A-Z0-9]+>/g, ''));
    const address = { team, user, channel: dm };
    const intro = replyTo(recognition.intent).kind === 'intro';
    await this.post(address, intro ? introMessage(recognition, lang) : helpMessage(lang, 'card.help.title'));
  }

  /**
   * Every button Proofup puts in Slack, by the action its data names. slack-edge.ts registers each with Bolt's
   * `app.action`, so a press reaches its own handler only. `triggerId` opens a modal (valid 3 seconds).
   */
  actionRoutes(): Record<string, SlackAction> {
    const flow: Record<string, SlackAction> = Object.fromEntries(
      [...FLOW_ACTIONS].map((action) => [action, (at, data) => this.flowPress(at, action, data)] as const),
    );
    const modal =
      (action: 'slack.numberModal' | 'slack.codeModal'): SlackAction =>
      (at, data, lang, trigger) =>
        this.openModal(at, action, String(data.flowId ?? ''), lang, trigger);
    return {
      ...flow,
      ...this.helpdesk?.routes(),
      // "Verify it's you": a live sign-in of this DM is reused; otherwise a single-use sign-in link, in the DM only.
      'stepUp.start': (at, data, lang) => this.beginSignIn(at, startWish(data, lang), lang),
      'intent.changeSecurityInfo': (at, data, lang) => this.beginSignIn(at, startWish(data, lang), lang),
      'flow.cancel': (at, _data, lang) => this.cancel(at, lang),
      'slack.numberModal': modal('slack.numberModal'),
      'slack.codeModal': modal('slack.codeModal'),
      // Link buttons (the sign-in, My Sign-ins): Slack opens the link; the press needs only its ack.
      'slack.openSignIn': async () => undefined,
      'slack.openLink': async () => undefined,
    };
  }

  /** A press of `action`'s button: in the language the button carries (else the user's), to that action's handler. */
  async pressed(address: SlackAddress, action: string, data: Record<string, unknown>, triggerId?: string) {
    const lang = isLang(data.lang) ? data.lang : await this.languageOf(address.user);
    const route = data.action === action ? this.routes[action] : undefined;
    if (route) return route(address, data, lang, triggerId);
    return this.ended(address, action, lang);
  }

  /** A button of ours no handler knows (a version gone by, a forged value): it has ended, and the log says so. */
  async ended(address: SlackAddress, action: string, lang?: Lang): Promise<void> {
    this.deps.logger.warn(
      { code: 'PROOFUP_BAD_SUBMIT', action: action.slice(0, 40), channel: 'slack' },
      'Slack button with unexpected values',
    );
    await this.post(address, helpMessage(lang ?? (await this.languageOf(address.user)), 'card.help.ended'));
  }

  /** A step of the change (a choice, Back, Confirm …): the same input a Teams card submit becomes. */
  private async flowPress(address: SlackAddress, action: string, data: Record<string, unknown>): Promise<void> {
    const input = flowInputOf(action, data);
    if (!input) return this.ended(address, action);
    await this.deps.runner.handle(chatOf(address), address, input);
  }

  /**
   * The number or code modal of the live flow. A button of an old step says so; a spent trigger (it lives 3 seconds and
   * opens one view: a slow network, Slack retrying) says "press again" rather than leave the button silently dead.
   */
  private async openModal(address: SlackAddress, action: string, flowId: string, lang: Lang, triggerId?: string) {
    const flow = await this.deps.runner.peek(chatOf(address));
    const say = (key: 'slack.modal.stale' | 'slack.modal.tooSlow') =>
      this.post(address, { text: t(lang, key), blocks: [context(t(lang, key))] });
    if (!flow || flow.id !== flowId || !isLive(flow) || !triggerId) return say('slack.modal.stale');
    const type = flow.phoneType ?? 'mobile';
    const channels = proofFor(type, flow.options).channels;
    const ctx: ModalContext = { flowId, ...address, lang, office: type === 'office', channels };
    const view =
      action === 'slack.numberModal' ? numberModal(ctx, flow.form?.country ?? 'US', lang) : codeModal(ctx, lang);
    try {
      await this.deps.client.views.open({ trigger_id: triggerId, view });
    } catch (err) {
      const reason = String((err as { data?: { error?: string } }).data?.error);
      if (!TRIGGER_SPENT.has(reason)) throw err;
      this.deps.logger.warn({ code: 'PROOFUP_SLACK_TRIGGER_SPENT', reason }, 'a modal could not open');
      await say('slack.modal.tooSlow');
    }
  }

  /**
   * A modal submitted: resolves Slack's `response_action: errors` answer when a field is wrong (the modal stays open),
   * else undefined (it closes) and the flow takes the input.
   */
  async submitted(
    callbackId: string,
    metadata: string,
    values: unknown,
    submitter: { team: string; user: string },
  ): Promise<{ errors: Record<string, string> } | { run: () => Promise<void> } | undefined> {
    // The attestation modal of a pass asked for from Slack.
    if (callbackId === TAP_MODAL) return this.helpdesk?.passRequests?.submitted(metadata, values, submitter);
    let ctx: ModalContext;
    try {
      ctx = modalContextSchema.parse(JSON.parse(metadata));
    } catch {
      return undefined;
    }
    // Only the flow's own Slack user moves it on: a submission carrying someone else's modal context does nothing.
    if (ctx.user !== submitter.user || (submitter.team && ctx.team !== submitter.team)) {
      this.deps.logger.warn(
        { code: 'PROOFUP_BAD_SUBMIT', channel: 'slack', reason: 'modal of another Slack user' },
        'Slack modal submitted by someone other than its user: ignored',
      );
      return undefined;
    }
    const lang = isLang(ctx.lang) ? ctx.lang : DEFAULT_LANG;
    const address = { team: ctx.team, user: ctx.user, channel: ctx.channel };
    const chat = chatOf(address);
    const read = modalInput(callbackId, ctx, values, lang);
    if ('errors' in read) return read;
    return { run: () => this.deps.runner.handle(chat, address, read.input) };
  }

  /** Sign in with Slack and Entra finished in the browser: "Verified as …" in the DM, then the flow. */
  async verifiedInBrowser(attempt: StepUpAttempt, grant: Grant): Promise<void> {
    const address = addressOf(attempt);
    if (!address) return;
    await this.deps.workspaces.in(address.team, async () => {
      await this.crossCheckEmail(address, grant);
      await this.afterSignIn(address, grant, grant.wish?.lang ?? DEFAULT_LANG);
    });
  }

  /** "Verified as …", then what the sign-in was for: the agent's helpdesk action, or the person's own change. */
  private async afterSignIn(address: SlackAddress, grant: Grant, lang: Lang): Promise<void> {
    await this.sayVerified(address, grant, lang);
    if (carriedWish(grant)?.helpdesk) return this.helpdesk?.afterSignIn(address, grant, lang);
    await this.verified(address, grant, carriedWish(grant) ?? { lang });
  }

  /** The browser's sign-in was refused (another Slack user opened the link, MFA denied, …): say so, offer a retry. */
  async refusedInBrowser(attempt: StepUpAttempt, err: StepUpError): Promise<void> {
    const address = addressOf(attempt);
    if (!address) return;
    const lang = attempt.wish?.lang ?? DEFAULT_LANG;
    const message = BROWSER_ONLY_REASONS.has(err.reason)
      ? t(lang, 'slack.signInNotCompleted')
      : err.userMessageIn(lang);
    await this.deps.workspaces.in(address.team, () => this.post(address, refusedMessage(message, lang)));
  }

  // A cross-check only (the binding rests on the two sign-ins, never on an e-mail address): the Slack profile's e-mail
  // (users:read.email) against the Entra account's UPN. A difference is logged for the security team, masked.
  private async crossCheckEmail(address: SlackAddress, grant: Grant): Promise<void> {
    const info = await this.deps.client.users.info({ user: address.user }).catch(() => undefined);
    const email = (info?.user as { profile?: { email?: string } } | undefined)?.profile?.email;
    if (email && grant.upn && email.toLowerCase() !== grant.upn.toLowerCase())
      this.deps.logger.warn(
        { code: 'PROOFUP_SLACK_EMAIL_MISMATCH', slackEmail: maskEmail(email), upn: maskEmail(grant.upn) },
        'a Slack user bound to an Entra account whose UPN differs from the Slack e-mail',
      );
  }

  /** A line only: when Slack cannot take it (down), the change still starts — its steps wait in the flow's outbox. */
  private async sayVerified(address: SlackAddress, grant: Grant, lang: Lang): Promise<void> {
    const failed = (err: unknown) => this.deps.logger.warn({ err, code: 'PROOFUP_SLACK_POST_FAILED' }, 'not posted');
    await this.post(address, verifiedMessage(grant, lang)).catch(failed);
  }

  /** After the sign-in (the code typed back): "Verified as …", then the flow with the grant's identity. */
  private async bindCode(address: SlackAddress, code: string, lang: Lang): Promise<void> {
    const binding = bindingOf(address);
    // A Slack sign-in finishes in the browser: a typed code is never part of it.
    if ((await this.deps.stepUp.waitingForCode(binding))?.method === 'slack-browser') {
      await this.post(address, {
        text: t(lang, 'slack.noCodeNeeded'),
        blocks: [section(t(lang, 'slack.noCodeNeeded'))],
      });
      return;
    }
    let grant: Awaited<ReturnType<StepUpService['bind']>>;
    try {
      grant = await this.deps.stepUp.bind(binding, code, 'typed-code', undefined);
    } catch (err) {
      if (!(err instanceof StepUpError)) throw err;
      const message =
        err.reason === 'binding-method-not-allowed' ? t(lang, 'slack.noCodeNeeded') : err.userMessageIn(lang);
      await this.post(address, { text: message, blocks: [section(message)] });
      return;
    }
    await this.afterSignIn(address, grant, grant.wish?.lang ?? lang);
  }

  private async verified(address: SlackAddress, grant: { oid: string; upn: string; name: string }, wish: Wish) {
    const chat = chatOf(address);
    await this.deps.runner.handle(chat, address, {
      type: 'verified',
      flowId: randomUUID(),
      chat,
      user: { oid: grant.oid, upn: grant.upn, name: grant.name },
      address,
      wish,
      lang: wish.lang ?? DEFAULT_LANG,
      options: this.deps.flowOptions,
    });
  }

  /**
   * A sign-in in this DM for `wish`. For the person's own change a live sign-in of this DM is reused; a helpdesk action
   * always asks a fresh one (the caller asks only when no helpdesk sign-in of this agent is live).
   */
  private async beginSignIn(address: SlackAddress, wish: Wish, lang: Lang): Promise<void> {
    const live = wish.helpdesk ? undefined : await this.deps.stepUp.grant(bindingOf(address));
    if (live && live.role !== 'helpdesk') {
      await this.post(address, {
        text: t(lang, 'chat.stillVerified', { until: clockTime(live.expiresAt, undefined, lang) }),
        blocks: [section(t(lang, 'chat.stillVerified', { until: clockTime(live.expiresAt, undefined, lang) }))],
      });
      return this.verified(address, live, wish);
    }
    let begun: Awaited<ReturnType<StepUpService['begin']>>;
    try {
      begun = await this.deps.stepUp.begin(
        bindingOf(address),
        { channelId: 'slack', conversation: { id: address.channel } as never, user: { id: address.user } as never },
        undefined,
        wish,
      );
    } catch (err) {
      if (!(err instanceof StepUpError)) throw err;
      const message = err.userMessageIn(lang);
      await this.post(address, { text: message, blocks: [section(message)] });
      return;
    }
    await this.post(address, signInMessage(begun.url, begun.method, lang));
  }

  private async cancel(address: SlackAddress, lang: Lang): Promise<void> {
    await this.deps.stepUp.cancel(bindingOf(address));
    const chat = chatOf(address);
    const flow = await this.deps.runner.peek(chat);
    if (isLive(flow)) return this.deps.runner.handle(chat, address, { type: 'cancel', via: 'text' });
    await this.post(address, { text: t(lang, 'chat.cancelled'), blocks: [section(t(lang, 'chat.cancelled'))] });
  }

  private async post(address: SlackAddress, message: { text: string; blocks: Block[] }): Promise<void> {
    await this.deps.client.chat.postMessage({ channel: address.channel, ...message });
  }
}
