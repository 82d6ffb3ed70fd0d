// What a helpdesk channel shows of an escalation, as data both channels render (Teams: an Adaptive Card; Slack: Block
// Kit): the title, who asked, why, the facts with translated labels, times in the helpdesk's zone and names for codes,
// and who took it. Written once here so the two channels cannot drift apart.
import { type Lang, t } from '../i18n/i18n.js';
import { clockTime, dateTime } from '../time.js';
import type { Escalation, TakeResult } from './escalations.js';

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

export interface EscalationView {
  title: string;
  who: string;
  reason: string;
  facts: { title: string; value: string }[];
  /** "Taken by … at …", or '' while nobody has. */
  taken: string;
  escalationId: string;
}

export function escalationView(e: Escalation, lang: Lang, timeZone: string): EscalationView {
  const facts = [
    ...e.tickets.map((ticket) => ({
      title: t(lang, 'card.escalation.ticket'),
      value: `${ticket.reference} (${ticket.system})`,
    })),
    {
      title: t(lang, 'card.escalation.identity'),
      value: e.requester.verified
        ? t(lang, 'card.escalation.verified', { at: clockTime(e.requester.verified.at, timeZone, lang) })
        : t(lang, 'card.escalation.unverified', { chat: CHATS[e.channel] ?? e.channel }),
    },
    ...Object.entries(e.details).map(([name, value]) => fact(name, value, lang, timeZone)),
  ];
  return {
    title: t(lang, 'card.escalation.title', { name: e.requester.name }),
    who: e.requester.upn ? `${e.requester.name} (${e.requester.upn})` : e.requester.name,
    reason: t(lang, 'escalation.reason', { reason: reasonKey(e.reason) }),
    facts,
    taken: e.takenBy
      ? t(lang, 'card.escalation.taken', { name: e.takenBy.name, at: clockTime(e.takenBy.at, timeZone, lang) })
      : '',
    escalationId: e.id,
  };
}

/** One detail as people read it: a translated label; times in the helpdesk's zone; names for codes. */
function fact(name: string, value: string, lang: Lang, timeZone: string): { title: string; value: string } {
  const key = FACTS[name];
  const title = key ? t(lang, 'card.escalation.fact', { fact: key }) : name;
  if (key === 'askedAt' && Number.isFinite(Date.parse(value)))
    return { title, value: dateTime(Date.parse(value), timeZone, lang) };
  if (key === 'chat') return { title, value: CHATS[value] ?? value };
  if (key === 'language') return { title, value: languageName(value, lang) };
  return { title, value };
}

function languageName(code: string, lang: Lang): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** Why "Take it" did not take the request, in the agent's words. */
export function takeRefusal(lang: Lang, result: Extract<TakeResult, { ok: false }>): string {
  switch (result.why) {
    case 'not-agent':
      return t(lang, 'chat.takeRefused');
    case 'taken':
      return t(lang, 'chat.takenAlready', { name: result.by ?? '' });
    case 'own-request':
      return t(lang, 'chat.take.ownRequest');
    default:
      return t(lang, 'chat.escalationUnknown');
  }
}
