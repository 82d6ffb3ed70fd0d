// What Proofup says at the entry points of a conversation, written once for every chat: which reply a sentence gets
// (the intro, help, a helpdesk offer, a short answer), what each reply says and which buttons it carries with which
// data. Teams draws these views as Adaptive Cards (cards/*.json), Slack as Block Kit (channels/slack/slack-replies.ts);
// neither decides anything of its own, so the two cannot drift apart (they did: Slack's lost-phone offer once lost
// the "lost" mark, its refused sign-in had no "Ask the helpdesk", and it answered "hi" with the unknown-request help).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Wish } from '../flow/flow.js';
import { PHONE_TYPES } from '../graph/auth-methods.js';
import { type Lang, type MessageKey, t } from '../i18n/i18n.js';
import type { Intent, Recognition } from '../recognizer/intent-recognizer.js';
import { describeRequest, wishFrom } from '../recognizer/request-summary.js';
import { clockTime } from '../time.js';

export type Offer = 'lostPhone' | 'human' | 'password';
export type HelpTitle = 'card.help.title' | 'card.help.unknown' | 'card.help.ended' | 'card.help.greeting';

/** The reply to what someone wrote (after agents' commands and typed codes, which each channel reads first). */
export type Reply =
  | { kind: 'cancel' }
  | { kind: 'intro' }
  | { kind: 'help'; title: HelpTitle }
  | { kind: 'say'; key: 'chat.thanks' | 'chat.device' }
  | { kind: 'offer'; offer: Offer };

export function replyTo(intent: Intent): Reply {
  switch (intent) {
    case 'cancel':
      return { kind: 'cancel' };
    case 'changeSecurityInfo':
    case 'passkey':
      return { kind: 'intro' };
    case 'help':
      return { kind: 'help', title: 'card.help.title' };
    case 'greeting':
      return { kind: 'help', title: 'card.help.greeting' };
    case 'thanks':
      return { kind: 'say', key: 'chat.thanks' };
    case 'device':
      return { kind: 'say', key: 'chat.device' };
    case 'lostPhone':
    case 'human':
    case 'password':
      return { kind: 'offer', offer: intent };
    default:
      return { kind: 'help', title: 'card.help.unknown' };
  }
}

/** A button: its label and the data its press carries (the same on a Teams card and in a Slack button's value). */
export interface ReplyAction {
  title: string;
  data: Record<string, string>;
  primary?: boolean;
}

/** "Verify it's you": what was understood rides along, so the first step after sign-in pre-selects it. */
export interface StartData extends Record<string, string> {
  action: 'stepUp.start';
  flowId: string;
  phone: string;
  want: string;
  passkey: string;
  lang: Lang;
}

const wishSchema = z.object({
  phone: z
    .enum(PHONE_TYPES as [string, ...string[]])
    .optional()
    .catch(undefined),
  want: z.enum(['change', 'add', 'remove', 'setDefault']).optional().catch(undefined),
  lost: z.enum(['1']).optional().catch(undefined),
  passkey: z.enum(['1']).optional().catch(undefined),
});

/** What a pressed "Verify it's you" asked for ("remove my alternate phone"); anything else is no wish at all. */
export function startWish(value: unknown, lang: Lang): Wish {
  const parsed = wishSchema.safeParse(value ?? {});
  const d = parsed.success ? parsed.data : {};
  return {
    lang,
    ...(d.phone ? { phone: d.phone as Wish['phone'] } : {}),
    ...(d.want ? { action: d.want } : {}),
    ...(d.lost ? { lost: true } : {}),
    ...(d.passkey ? { passkey: true } : {}),
  };
}

export const INTRO_STEPS = ['card.intro.step1', 'card.intro.step2', 'card.intro.step3', 'card.intro.step4'] as const;

export interface IntroView {
  title: string;
  /** One sentence of what was understood, so a misunderstanding shows before anything starts. */
  request: string;
  next: string;
  steps: string[];
  never: string;
  verify: ReplyAction & { data: StartData };
  cancel: ReplyAction;
}

/**
 * The intro after "change my MFA phone". Its buttons carry a fresh id: the Cancel of an old intro then cannot end a
 * change begun later.
 */
export function introView(recognition: Recognition, lang: Lang, flowId: string = randomUUID()): IntroView {
  const wish = wishFrom(recognition);
  return {
    title: t(lang, 'card.intro.title'),
    request: describeRequest(recognition, lang),
    next: t(lang, 'card.intro.next'),
    steps: INTRO_STEPS.map((s) => t(lang, s)),
    never: t(lang, 'card.intro.never'),
    verify: {
      title: t(lang, 'card.intro.verify'),
      data: { action: 'stepUp.start', flowId, phone: wish.phone, want: wish.action, passkey: wish.passkey, lang },
      primary: true,
    },
    cancel: { title: t(lang, 'common.cancel'), data: { action: 'flow.cancel', flowId, lang } },
  };
}

export interface HelpView {
  title: string;
  body: string;
  /** What can be changed here ("Change a number", …). */
  facts: { title: string; value: string }[];
  tryThis: string;
  start: ReplyAction;
}

export function helpView(lang: Lang, title: HelpTitle): HelpView {
  return {
    title: t(lang, title),
    body: t(lang, 'card.help.body'),
    facts: [
      { title: t(lang, 'card.help.change'), value: t(lang, 'card.help.changeValue') },
      { title: t(lang, 'card.help.addRemove'), value: t(lang, 'card.help.addRemoveValue') },
      { title: t(lang, 'card.help.default'), value: t(lang, 'card.help.defaultValue') },
    ],
    tryThis: t(lang, 'card.help.try'),
    start: {
      title: t(lang, 'common.changeMyMfaPhone'),
      data: { action: 'intent.changeSecurityInfo', lang },
      primary: true,
    },
  };
}

const OFFERS = {
  lostPhone: { title: 'offer.lostPhone.title', message: 'offer.lostPhone.body', reason: 'lost-phone' },
  human: { title: 'offer.human.title', message: 'offer.human.body', reason: 'human' },
  password: { title: 'offer.password.title', message: 'offer.password.body', reason: 'password' },
} as const satisfies Record<Offer, { title: MessageKey; message: MessageKey; reason: string }>;

export interface OfferView {
  title: string;
  message: string;
  /** A lost phone with another factor left: step up with it and replace the number (marked lost). */
  replace?: ReplyAction;
  askHelpdesk: ReplyAction;
}

export function offerView(offer: Offer, lang: Lang): OfferView {
  const o = OFFERS[offer];
  return {
    title: t(lang, o.title),
    message: t(lang, o.message),
    ...(offer === 'lostPhone'
      ? {
          replace: {
            title: t(lang, 'offer.lostPhone.replace'),
            data: { action: 'stepUp.start', phone: 'mobile', want: 'change', lost: '1', lang },
            primary: true,
          },
        }
      : {}),
    askHelpdesk: { title: t(lang, 'offer.askHelpdesk'), data: { action: 'helpdesk.escalate', reason: o.reason, lang } },
  };
}

export interface VerifiedView {
  title: string;
  upn: string;
  until: string;
}

/** "Verified as …", with until when the sign-in holds (in the person's zone where the chat tells it). */
export function verifiedView(
  grant: { name: string; upn: string; expiresAt: number },
  lang: Lang,
  timeZone?: string,
): VerifiedView {
  return {
    title: t(lang, 'card.verified.title', { name: grant.name || grant.upn }),
    upn: grant.upn,
    until: t(lang, 'card.verified.until', { until: clockTime(grant.expiresAt, timeZone, lang) }),
  };
}

export interface RefusedView {
  title: string;
  message: string;
  nothingChanged: string;
  retry: ReplyAction;
  /** Ask the helpdesk, Cancel. */
  more: ReplyAction[];
}

/** A sign-in that did not complete: why, that nothing changed, and Try again / Ask the helpdesk / Cancel. */
export function refusedView(message: string, lang: Lang): RefusedView {
  return {
    title: t(lang, 'card.stepUpFailed.title'),
    message,
    nothingChanged: t(lang, 'common.nothingChanged'),
    retry: { title: t(lang, 'card.stepUpFailed.retry'), data: { action: 'stepUp.start', lang }, primary: true },
    more: [
      { title: t(lang, 'offer.askHelpdesk'), data: { action: 'helpdesk.escalate', reason: 'step-up-refused', lang } },
      { title: t(lang, 'common.cancel'), data: { action: 'flow.cancel', lang } },
    ],
  };
}

/** The facts every helpdesk request starts with (plain names: ticket systems read them; the cards translate them). */
export function requestFacts(chat: string, lang: Lang, now = Date.now()): Record<string, string> {
  return { 'Asked at': new Date(now).toISOString(), Chat: chat, Language: lang };
}
