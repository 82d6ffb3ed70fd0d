// The entry-point replies are written once (src/conversation/replies.ts) and drawn by each channel. These tests read
// what each channel actually shows — the Adaptive Card Teams gets and the Block Kit Slack gets — and compare their
// buttons (label and the data the press carries) and their words, so the two can no longer drift apart.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CardBuilder } from '../../../src/cards/card-builder.js';
import { buttonData } from '../../../src/channels/slack/blocks.js';
import {
  helpMessage,
  introMessage,
  offerMessage,
  refusedMessage,
  type SlackMessage,
  verifiedMessage,
} from '../../../src/channels/slack/slack-replies.js';
import {
  helpView,
  introView,
  offerView,
  refusedView,
  replyTo,
  startWish,
  verifiedView,
} from '../../../src/conversation/replies.js';
import { LANGUAGES, type Lang } from '../../../src/i18n/i18n.js';
import { recognize } from '../../../src/recognizer/intent-recognizer.js';

const cards = new CardBuilder(path.resolve('cards'));

type Press = { title: string; data: Record<string, unknown> };

function cardPresses(content: unknown): Press[] {
  const actions = (content as { actions?: { title: string; data?: Record<string, unknown> }[] }).actions ?? [];
  return actions.map((a) => ({ title: a.title, data: a.data ?? {} }));
}

function slackPresses(message: SlackMessage): Press[] {
  return message.blocks
    .flatMap((b) => (b.type === 'actions' ? b.elements : []))
    .map((e) => {
      const b = e as { text: { text: string }; value: string };
      return { title: b.text.text, data: buttonData(b.value) ?? {} };
    });
}

/** Every text a card shows (TextBlocks and facts), to find the same words in Slack's blocks. */
function cardTexts(content: unknown): string[] {
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.type === 'TextBlock' && typeof n.text === 'string') texts.push(n.text);
    if (typeof n.title === 'string' && typeof n.value === 'string') texts.push(n.title, n.value);
    for (const [key, value] of Object.entries(n)) if (key !== 'actions') walk(value);
  };
  walk((content as { body?: unknown }).body);
  return texts;
}

/** Slack's mrkdwn of a catalogue text: ** → *, & < > escaped. */
const asMrkdwn = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\*\*(.+?)\*\*/g, '*$1*');

const grant = { name: 'Alex Wilber', upn: 'alexw@contoso.com', expiresAt: Date.UTC(2026, 11, 2, 14, 5) };

const REPLIES: Record<string, (lang: Lang) => { card: unknown; slack: SlackMessage }> = {
  intro: (lang) => {
    const recognition = recognize('remove my alternate phone');
    const slack = introMessage(recognition, lang);
    // Each draw gets a fresh id (an old intro's Cancel must not end a later change): draw Teams' with Slack's.
    const flowId = String(slackPresses(slack)[0]?.data.flowId);
    return { card: cards.build('intro', { ...introView(recognition, lang, flowId), lang }, lang).content, slack };
  },
  help: (lang) => ({
    card: cards.build('help', { ...helpView(lang, 'card.help.greeting'), lang }, lang).content,
    slack: helpMessage(lang, 'card.help.greeting'),
  }),
  'lost-phone offer': (lang) => ({
    card: cards.build('offer', { ...offerView('lostPhone', lang), lang }, lang).content,
    slack: offerMessage('lostPhone', lang),
  }),
  'human offer': (lang) => ({
    card: cards.build('offer', { ...offerView('human', lang), lang }, lang).content,
    slack: offerMessage('human', lang),
  }),
  verified: (lang) => ({
    card: cards.build('verified', { ...verifiedView(grant, lang), lang }, lang).content,
    slack: verifiedMessage(grant, lang),
  }),
  'refused sign-in': (lang) => ({
    card: cards.build('step-up-failed', { ...refusedView('The MFA request was denied.', lang), lang }, lang).content,
    slack: refusedMessage('The MFA request was denied.', lang),
  }),
};

describe('the entry-point replies, drawn by Teams and by Slack', () => {
  for (const lang of LANGUAGES)
    it.each(Object.keys(REPLIES))(`%s (${lang}): the same buttons carrying the same data, the same words`, (name) => {
      const { card, slack } = (REPLIES[name] as (typeof REPLIES)[string])(lang);
      expect(slackPresses(slack)).toEqual(cardPresses(card));
      const shown = JSON.stringify(slack.blocks);
      for (const text of cardTexts(card)) expect(shown, `Slack lacks "${text}"`).toContain(asMrkdwn(text));
    });

  it('a lost-phone offer marks the change as lost in both (Slack once dropped the mark)', () => {
    const replace = offerView('lostPhone', 'en').replace;
    expect(replace?.data).toMatchObject({ action: 'stepUp.start', phone: 'mobile', lost: '1' });
    expect(startWish(replace?.data, 'en')).toEqual({ lang: 'en', phone: 'mobile', action: 'change', lost: true });
  });
});

describe('replyTo: what a sentence gets, in every chat', () => {
  it.each([
    ['change my MFA phone', 'intro'],
    ['I want a passkey', 'intro'],
    ['hi', 'help'],
    ['thanks', 'say'],
    ['I lost my phone', 'offer'],
    ['talk to a human', 'offer'],
    ['cancel', 'cancel'],
    ['what is the weather', 'help'],
  ])('"%s" → %s', (text, kind) => {
    expect(replyTo(recognize(text).intent).kind).toBe(kind);
  });

  it('"hi" is greeted, not told it was not understood', () => {
    expect(replyTo(recognize('hi').intent)).toEqual({ kind: 'help', title: 'card.help.greeting' });
  });
});

describe('startWish: only what the buttons send', () => {
  it('keeps known values and drops the rest', () => {
    expect(startWish({ phone: 'office', want: 'remove', passkey: '1' }, 'de')).toEqual({
      lang: 'de',
      phone: 'office',
      action: 'remove',
      passkey: true,
    });
    expect(startWish({ phone: 'fax', want: 'steal', lost: 'yes' }, 'en')).toEqual({ lang: 'en' });
    expect(startWish('not an object', 'fr')).toEqual({ lang: 'fr' });
  });
});
