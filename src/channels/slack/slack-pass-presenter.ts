// Temporary Access Passes in Slack: a second agent's approval in SLACK_HELPDESK_CHANNEL (for a pass asked for from
// Slack; updated for everyone once approved), the verification request in the person's (or their manager's) DM with
// the bot, and the pass itself shown once in the person's DM — replaced by a message without it when they press
// "Hide the pass" or when it is hidden by the sweep (10 minutes). A pass is never shown to an agent in Slack.
import type { webApi } from '@slack/bolt';
import type { ConversationReference } from 'botbuilder';
import { passApprovalView } from '../../helpdesk/pass-approval-view.js';
import type { PassPresenter } from '../../helpdesk/pass-types.js';
import type { PassRequest } from '../../helpdesk/passes.js';
import { type Lang, type MessageKey, t } from '../../i18n/i18n.js';
import { clockTime } from '../../time.js';
import { actions, type Block, button, context, header, section } from './blocks.js';
import { slackChannelOf } from './slack-references.js';
import { clientAt } from './slack-workspaces.js';

export class SlackPassPresenter implements PassPresenter {
  constructor(
    private readonly client: webApi.WebClient,
    /** The helpdesk's language: the manager's request and the approval are in it, as in Teams. */
    private readonly helpdeskLang: Lang = 'en',
    /** HELPDESK_TIME_ZONE: the approval's times. */
    private readonly timeZone?: string,
  ) {}

  /** The approval in the helpdesk channel: whoever presses Approve is checked then (slack-passes.ts). */
  async askApproval(channel: Partial<ConversationReference>, r: PassRequest): Promise<string | undefined> {
    return (
      await clientAt(this.client, channel).chat.postMessage({
        channel: slackChannelOf(channel),
        ...this.approvalMessage(r),
      })
    ).ts;
  }

  /** Approved: the same message, with who approved and no button, for everyone in the channel. */
  async approved(r: PassRequest): Promise<void> {
    if (!r.approvalPost) return;
    await clientAt(this.client, r.approvalPost.reference).chat.update({
      channel: slackChannelOf(r.approvalPost.reference),
      ts: r.approvalPost.messageId,
      ...this.approvalMessage(r),
    });
  }

  private approvalMessage(r: PassRequest): { text: string; blocks: Block[] } {
    const view = passApprovalView(r, this.helpdeskLang, this.timeZone);
    return {
      text: view.title,
      blocks: [
        header(view.title),
        section(view.message),
        context(view.verified),
        ...(view.approved ? [section(`**${view.approved}**`)] : []),
        ...(view.approve ? [actions('approve', [button(view.approve.title, view.approve.data, 'primary')])] : []),
      ],
    };
  }

  askPerson(r: PassRequest): Promise<string | undefined> {
    const lang = r.personLang ?? this.helpdeskLang;
    return this.ask(r.personRef, lang, {
      title: t(lang, 'card.tapVerify.title'),
      body: t(lang, 'card.tapVerify.body', { agent: r.agent.name }),
      yes: t(lang, 'card.tapVerify.verify'),
      no: t(lang, 'card.tapVerify.decline'),
      requestId: r.id,
    });
  }

  askManager(r: PassRequest): Promise<string | undefined> {
    const lang = this.helpdeskLang;
    return this.ask(r.manager?.ref, lang, {
      title: t(lang, 'card.tapManager.title', { name: r.user.name }),
      body: t(lang, 'card.tapManager.body', { agent: r.agent.name, name: r.user.name, manager: r.manager?.name ?? '' }),
      yes: t(lang, 'card.tapManager.confirm'),
      no: t(lang, 'card.tapManager.decline'),
      requestId: r.id,
    });
  }

  async tellPerson(r: PassRequest, key: MessageKey): Promise<void> {
    const text = t(r.personLang ?? this.helpdeskLang, key, { agent: r.agent.name });
    await clientAt(this.client, r.personRef).chat.postMessage({
      channel: slackChannelOf(r.personRef),
      text,
      blocks: [section(text)],
    });
  }

  /** Only ever to the person who verified in this DM (a pass for the agent or the pass page is never sent here). */
  async showPass(r: PassRequest, pass: string): Promise<string | undefined> {
    if (r.shownTo !== 'person') throw new Error('only the person sees a pass in Slack');
    return (
      await clientAt(this.client, r.personRef).chat.postMessage({
        channel: slackChannelOf(r.personRef),
        ...this.passMessage(r, pass),
      })
    ).ts;
  }

  async hidePass(r: PassRequest): Promise<void> {
    if (r.shownTo !== 'person' || !r.shown?.messageId) return;
    await clientAt(this.client, r.personRef).chat.update({
      channel: slackChannelOf(r.personRef),
      ts: r.shown.messageId,
      ...this.passMessage(r, ''),
    });
  }

  async tellAgent(r: PassRequest, key: MessageKey, values: Record<string, string> = {}): Promise<void> {
    const lang = r.agent.lang;
    const until = clockTime(r.shown?.validUntil ?? Date.now(), undefined, lang);
    const text = t(lang, key, { name: r.user.name, until, ...values });
    await clientAt(this.client, r.agentRef).chat.postMessage({
      channel: slackChannelOf(r.agentRef),
      text,
      blocks: [section(text)],
    });
  }

  private async ask(
    reference: Partial<ConversationReference> | undefined,
    lang: Lang,
    m: { title: string; body: string; yes: string; no: string; requestId: string },
  ): Promise<string | undefined> {
    const data = { requestId: m.requestId, lang };
    const posted = await clientAt(this.client, reference).chat.postMessage({
      channel: slackChannelOf(reference),
      text: m.title,
      blocks: [
        header(m.title),
        section(m.body),
        actions('tap', [
          button(m.yes, { action: 'helpdesk.tapVerify', ...data }, 'primary'),
          button(m.no, { action: 'helpdesk.tapDecline', ...data }, 'danger'),
        ]),
      ],
    });
    return posted.ts;
  }

  private passMessage(r: PassRequest, pass: string): { text: string; blocks: Block[] } {
    const lang = r.personLang ?? this.helpdeskLang;
    const until = clockTime(r.shown?.validUntil ?? Date.now(), undefined, lang);
    const title = t(lang, 'card.tapPass.titlePerson');
    if (!pass) return { text: title, blocks: [header(title), context(t(lang, 'card.tapPass.hidden', { until }))] };
    return {
      // The notification text never carries the pass (it shows on lock screens and in notification centres).
      text: title,
      blocks: [
        header(title),
        // Plain text: a pass's symbols are never read as formatting.
        { type: 'section', text: { type: 'plain_text', text: pass, emoji: false } },
        section(t(lang, 'card.tapPass.bodyPerson', { until })),
        actions('pass', [button(t(lang, 'card.tapPass.hide'), { action: 'helpdesk.tapHide', requestId: r.id, lang })]),
      ],
    };
  }
}
