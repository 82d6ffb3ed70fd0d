// Temporary Access Passes in Teams: the approval card in the helpdesk channel (in HELPDESK_LANGUAGE; updated when
// approved) and the pass itself, in the issuing agent's 1:1 chat only, replaced by a card without it when hidden.
import { MessageFactory } from 'botbuilder';
import type { CardBuilder } from '../../cards/card-builder.js';
import { passApprovalView } from '../../helpdesk/pass-approval-view.js';
import type { PassPresenter, PassRequest } from '../../helpdesk/passes.js';
import { type Lang, type MessageKey, t } from '../../i18n/i18n.js';
import { clockTime } from '../../time.js';
import type { ConversationGateway } from './conversation-gateway.js';

export class TeamsPassPresenter implements PassPresenter {
  constructor(
    private readonly cards: CardBuilder,
    private readonly gateway: ConversationGateway,
    /** The helpdesk channel's language. */
    private readonly channelLang: Lang = 'en',
    /** HELPDESK_TIME_ZONE: the approval card's times. */
    private readonly timeZone?: string,
  ) {}

  askApproval(channel: Parameters<ConversationGateway['send']>[0], r: PassRequest): Promise<string | undefined> {
    return this.gateway.send(channel, MessageFactory.attachment(this.approvalCard(r)));
  }

  async approved(r: PassRequest): Promise<void> {
    if (r.approvalPost)
      await this.gateway.update(
        r.approvalPost.reference,
        r.approvalPost.messageId,
        MessageFactory.attachment(this.approvalCard(r)),
      );
  }

  /** The pass goes to whoever it is for: the person who verified in their own chat, or (weaker mode) the agent. */
  async showPass(r: PassRequest, pass: string): Promise<string | undefined> {
    // Fails closed: a pass meant for the pass page never goes to a chat (the issuer then withdraws it).
    if (r.shownTo === 'page') throw new Error('a pass for the pass page cannot be shown in a chat');
    return this.gateway.send(this.viewerRef(r), MessageFactory.attachment(this.passCard(r, pass)));
  }

  async hidePass(r: PassRequest): Promise<void> {
    // A pass on the pass page hides itself there (the page's script); there is no card to replace.
    if (r.shown?.messageId && r.shownTo !== 'page')
      await this.gateway.update(this.viewerRef(r), r.shown.messageId, MessageFactory.attachment(this.passCard(r, '')));
  }

  async tellAgent(r: PassRequest, key: MessageKey, values: Record<string, string> = {}): Promise<void> {
    const lang = r.agent.lang;
    const until = clockTime(r.shown?.validUntil ?? Date.now(), undefined, lang);
    await this.gateway.send(r.agentRef, MessageFactory.text(t(lang, key, { name: r.user.name, until, ...values })));
  }

  /** The same actions as the person's request (tapVerify / tapDecline); only the manager may press them. */
  askManager(r: PassRequest): Promise<string | undefined> {
    const lang = this.channelLang;
    const card = this.cards.build(
      'tap-manager',
      {
        title: t(lang, 'card.tapManager.title', { name: r.user.name }),
        message: t(lang, 'card.tapManager.body', {
          agent: r.agent.name,
          name: r.user.name,
          manager: r.manager?.name ?? '',
        }),
        requestId: r.id,
        lang,
      },
      lang,
    );
    return this.gateway.send(r.manager?.ref ?? {}, MessageFactory.attachment(card));
  }

  askPerson(r: PassRequest): Promise<string | undefined> {
    const lang = r.personLang ?? this.channelLang;
    const card = this.cards.build(
      'tap-verify',
      {
        title: t(lang, 'card.tapVerify.title'),
        message: t(lang, 'card.tapVerify.body', { agent: r.agent.name }),
        requestId: r.id,
        lang,
      },
      lang,
    );
    return this.gateway.send(r.personRef ?? {}, MessageFactory.attachment(card));
  }

  async tellPerson(r: PassRequest, key: MessageKey): Promise<void> {
    const lang = r.personLang ?? this.channelLang;
    await this.gateway.send(r.personRef ?? {}, MessageFactory.text(t(lang, key, { agent: r.agent.name })));
  }

  private viewerRef(r: PassRequest) {
    return r.shownTo === 'person' && r.personRef ? r.personRef : r.agentRef;
  }

  private passCard(r: PassRequest, pass: string) {
    const toPerson = r.shownTo === 'person';
    const lang = toPerson ? (r.personLang ?? this.channelLang) : r.agent.lang;
    const until = clockTime(r.shown?.validUntil ?? Date.now(), undefined, lang);
    const body = toPerson ? 'card.tapPass.bodyPerson' : 'card.tapPass.body';
    return this.cards.build(
      'tap-pass',
      {
        title: toPerson ? t(lang, 'card.tapPass.titlePerson') : t(lang, 'card.tapPass.title', { name: r.user.name }),
        pass,
        message: pass ? t(lang, body, { until }) : t(lang, 'card.tapPass.hidden', { until }),
        requestId: r.id,
        lang,
      },
      lang,
    );
  }

  private approvalCard(r: PassRequest) {
    const lang = this.channelLang;
    return this.cards.build('tap-approval', { ...passApprovalView(r, lang, this.timeZone), lang }, lang);
  }
}
