// The Slack bot's own replies that are not a step of the flow: the intro after "change my MFA phone" (what will
// happen, Verify it's you), the help and the sign-in link. In Block Kit, from the same catalogue texts as Teams' cards.
import { type Lang, t } from '../../i18n/i18n.js';
import type { recognize } from '../../recognizer/intent-recognizer.js';
import { describeRequest, wishFrom } from '../../recognizer/request-summary.js';
import { clockTime } from '../../time.js';
import { actions, type Block, button, context, header, section } from './blocks.js';

export function introMessage(recognition: ReturnType<typeof recognize>, lang: Lang): { text: string; blocks: Block[] } {
  const wish = wishFrom(recognition);
  const steps = ['card.intro.step1', 'card.intro.step2', 'card.intro.step3', 'card.intro.step4'] as const;
  return {
    text: t(lang, 'card.intro.title'),
    blocks: [
      header(t(lang, 'card.intro.title')),
      section(describeRequest(recognition, lang)),
      section([t(lang, 'card.intro.next'), ...steps.map((s) => t(lang, s))].join('\n')),
      context(t(lang, 'card.intro.never')),
      actions('intro', [
        button(
          t(lang, 'card.intro.verify'),
          { action: 'stepUp.start', phone: wish.phone, want: wish.action, passkey: wish.passkey, lang },
          'primary',
        ),
        button(t(lang, 'common.cancel'), { action: 'flow.cancel', lang }),
      ]),
    ],
  };
}

export function helpMessage(
  lang: Lang,
  title: 'card.help.title' | 'card.help.unknown' | 'card.help.ended',
): { text: string; blocks: Block[] } {
  return {
    text: t(lang, title),
    blocks: [
      header(t(lang, title)),
      section(t(lang, 'card.help.body')),
      section(t(lang, 'card.help.try')),
      actions('help', [
        button(t(lang, 'common.changeMyMfaPhone'), { action: 'intent.changeSecurityInfo', lang }, 'primary'),
      ]),
    ],
  };
}

/** The single-use sign-in link, in the DM only. */
export function signInMessage(url: string, method: string, lang: Lang): { text: string; blocks: Block[] } {
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
export function verifiedMessage(grant: { name: string; upn: string; expiresAt: number }, lang: Lang) {
  const until = clockTime(grant.expiresAt, undefined, lang);
  const title = t(lang, 'card.verified.title', { name: grant.name || grant.upn });
  return {
    text: title,
    blocks: [header(title), section(grant.upn), context(t(lang, 'card.verified.until', { until }))],
  };
}

/** A sign-in that did not complete, and "Try again". */
export function refusedMessage(message: string, lang: Lang): { text: string; blocks: Block[] } {
  const title = t(lang, 'card.stepUpFailed.title');
  return {
    text: title,
    blocks: [
      header(title),
      section(message),
      actions('retry', [button(t(lang, 'card.stepUpFailed.retry'), { action: 'stepUp.start', lang }, 'primary')]),
    ],
  };
}
