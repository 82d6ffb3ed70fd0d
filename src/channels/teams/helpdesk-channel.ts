// Escalations as Adaptive Cards in the helpdesk's Teams channel: posted once, updated in place when an agent takes one
// (everyone in the channel sees "Taken by …" and the button goes). In the helpdesk's language (HELPDESK_LANGUAGE).
import { type ConversationReference, MessageFactory } from 'botbuilder';
import type { CardBuilder } from '../../cards/card-builder.js';
import type { Escalation, HelpdeskChannel } from '../../helpdesk/escalations.js';
import { type Lang, t } from '../../i18n/i18n.js';
import { clockTime, dateTime } from '../../time.js';
import type { ConversationGateway } from './conversation-gateway.js';

/** "lost-phone" → "lostPhone" (ICU select keys cannot hold a hyphen). */
export const reasonKey = (reason: string) => reason.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());

/** The ticket's detail names (kept plain for ticket systems) → the card's translated labels. */
const FACTS: Record<string, string> = {
  'Asked at': 'askedAt',
  Chat: 'chat',
  Language: 'language',
  Change: 'change',
  Outcome: 'outcome',
  Before: 'before',
  After: 'after',
  'Graph request ids': 'graphIds',
  Flow: 'flow',
  notice: 'notice',
  changeId: 'changeId',
};
const CHATS: Record<string, string> = {
  msteams: 'Microsoft Teams',
  slack: 'Slack',
  emulator: 'Bot Framework Emulator',
};

export class TeamsHelpdeskChannel implements HelpdeskChannel {
  constructor(
    private readonly cards: CardBuilder,
    private readonly gateway: ConversationGateway,
    private readonly lang: Lang = 'en',
    /** HELPDESK_TIME_ZONE: times as the helpdesk reads them. */
    private readonly timeZone = 'UTC',
  ) {}

  post(reference: Partial<ConversationReference>, escalation: Escalation): Promise<string | undefined> {
    return this.gateway.send(reference, this.activity(escalation));
  }

  update(reference: Partial<ConversationReference>, messageId: string, escalation: Escalation): Promise<void> {
    return this.gateway.update(reference, messageId, this.activity(escalation));
  }

  private activity(e: Escalation) {
    const lang = this.lang;
    const who = e.requester.upn ? `${e.requester.name} (${e.requester.upn})` : e.requester.name;
    const facts = [
      ...e.tickets.map((ticket) => ({
        title: t(lang, 'card.escalation.ticket'),
        value: `${ticket.reference} (${ticket.system})`,
      })),
      ...Object.entries(e.details).map(([name, value]) => this.fact(name, value)),
    ];
    const taken = e.takenBy
      ? t(lang, 'card.escalation.taken', { name: e.takenBy.name, at: clockTime(e.takenBy.at, this.timeZone, lang) })
      : '';
    const card = this.cards.build(
      'escalation',
      {
        title: t(lang, 'card.escalation.title', { name: e.requester.name }),
        who,
        reason: t(lang, 'escalation.reason', { reason: reasonKey(e.reason) }),
        facts,
        taken,
        escalationId: e.id,
        lang,
      },
      lang,
    );
    return MessageFactory.attachment(card);
  }

  /** One detail as people read it: a translated label; times in the helpdesk's zone; names for codes. */
  private fact(name: string, value: string): { title: string; value: string } {
    const lang = this.lang;
    const key = FACTS[name];
    const title = key ? t(lang, 'card.escalation.fact', { fact: key }) : name;
    if (key === 'askedAt' && Number.isFinite(Date.parse(value)))
      return { title, value: dateTime(Date.parse(value), this.timeZone, lang) };
    if (key === 'chat') return { title, value: CHATS[value] ?? value };
    if (key === 'language') return { title, value: languageName(value, lang) };
    return { title, value };
  }
}

function languageName(code: string, lang: Lang): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
