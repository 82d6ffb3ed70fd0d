// The Slack bot's own replies that are not a step of the flow — the intro after "change my MFA phone", the help, a
// helpdesk offer, "Verified as …", a refused sign-in — drawn as Block Kit from the channel-neutral views Teams' cards
// draw too (conversation/replies.ts), plus the sign-in link, which only Slack posts this way.
import {
  type HelpTitle,
  helpView,
  introView,
  type Offer,
  offerView,
  type ReplyAction,
  refusedView,
  verifiedView,
} from '../../conversation/replies.js';
import { type Lang, t } from '../../i18n/i18n.js';
import type { Recognition } from '../../recognizer/intent-recognizer.js';
import { actions, type Block, type Button, button, context, facts, header, section } from './blocks.js';

export type SlackMessage = { text: string; blocks: Block[] };

const slackButton = (a: ReplyAction): Button => button(a.title, a.data, a.primary ? 'primary' : undefined);

export function introMessage(recognition: Recognition, lang: Lang): SlackMessage {
  const view = introView(recognition, lang);
  return {
    text: view.title,
    blocks: [
      header(view.title),
      section(view.request),
      section([view.next, ...view.steps].join('\n')),
      context(view.never),
      actions('intro', [slackButton(view.verify), slackButton(view.cancel)]),
    ],
  };
}

export function helpMessage(lang: Lang, title: HelpTitle): SlackMessage {
  const view = helpView(lang, title);
  return {
    text: view.title,
    blocks: [
      header(view.title),
      section(view.body),
      ...facts(view.facts),
      section(view.tryThis),
      actions('help', [slackButton(view.start)]),
    ],
  };
}

/** A lost phone, "a human", a password: what can be done, and "Ask the helpdesk". */
export function offerMessage(offer: Offer, lang: Lang): SlackMessage {
  const view = offerView(offer, lang);
  return {
    text: view.title,
    blocks: [
      header(view.title),
      section(view.message),
      actions('offer', [...(view.replace ? [slackButton(view.replace)] : []), slackButton(view.askHelpdesk)]),
    ],
  };
}

/** The single-use sign-in link, in the DM only. */
export function signInMessage(url: string, method: string, lang: Lang): SlackMessage {
  return {
    text: t(lang, 'card.signIn.title'),
    blocks: [
      header(t(lang, 'card.signIn.title')),
      section(t(lang, 'card.signIn.body')),
      actions('signin', [button(t(lang, 'card.signIn.button'), { action: 'slack.openSignIn' }, 'primary', url)]),
      // Slack: the browser proves who you are at Slack and then at Microsoft; no code to type.
      method === 'slack-browser' ? context(t(lang, 'card.slack.signInBrowser')) : section(t(lang, 'card.signIn.code')),
      context(t(lang, 'card.signIn.never')),
    ],
  };
}

/** "Verified as …" after a sign-in, with how long it holds. */
export function verifiedMessage(grant: { name: string; upn: string; expiresAt: number }, lang: Lang): SlackMessage {
  const view = verifiedView(grant, lang);
  return { text: view.title, blocks: [header(view.title), section(view.upn), context(view.until)] };
}

/** A sign-in that did not complete: why, nothing changed, Try again / Ask the helpdesk / Cancel. */
export function refusedMessage(message: string, lang: Lang): SlackMessage {
  const view = refusedView(message, lang);
  return {
    text: view.title,
    blocks: [
      header(view.title),
      section(view.message),
      context(view.nothingChanged),
      actions('retry', [slackButton(view.retry), ...view.more.map(slackButton)]),
    ],
  };
}

/** A short answer ("You're welcome", "Cancelled"): the text and one section. */
export function sayMessage(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}
