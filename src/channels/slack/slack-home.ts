// Proofup's Home tab in Slack: what it does (the same help Teams shows), the user's status — whether their Slack user
// is linked to their work account, and the days left before Microsoft stops texting and calling codes — and the two
// ways to start (a change, a passkey). Its buttons carry the same data as in Messages; a press there continues in the
// user's DM with the bot. Published with views.publish when the user opens the tab (app_home_opened).
import type { webApi } from '@slack/bolt';
import { helpView } from '../../conversation/replies.js';
import { type Lang, t } from '../../i18n/i18n.js';
import type { SlackBindings } from '../../identity/slack-bindings.js';
import { daysLeft } from '../../readiness/registration-report.js';
import { RETIREMENT } from '../../readiness/sms-voice-retirement.js';
import { longDate } from '../../time.js';
import { actions, type Block, button, context, facts, header, section } from './blocks.js';

/** The shortcut's callback id (manifest/slack/manifest.yml: features.shortcuts). */
export const CHANGE_SHORTCUT = 'proofup.change';

export function homeView(
  lang: Lang,
  linkedAt: number | undefined,
  now = Date.now(),
): { type: 'home'; blocks: Block[] } {
  const help = helpView(lang, 'card.help.title');
  return {
    type: 'home',
    blocks: [
      header('Proofup'),
      section(help.body),
      ...facts(help.facts),
      actions('start', [
        button(help.start.title, help.start.data, 'primary'),
        button(t(lang, 'passkey.start'), { action: 'stepUp.start', passkey: '1', lang }),
      ]),
      section(`*${t(lang, 'slack.home.status')}*`),
      section(
        linkedAt ? t(lang, 'slack.home.linked', { date: longDate(linkedAt, lang) }) : t(lang, 'slack.home.notLinked'),
      ),
      section(t(lang, 'slack.home.deadline', { date: longDate(RETIREMENT.users, lang), days: daysLeft(now).users })),
      context(t(lang, 'slack.home.private')),
    ],
  };
}

/** The Home tab, published for one user when they open it. */
export class SlackHome {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly bindings: Pick<SlackBindings, 'get'> | undefined,
    private readonly languageOf: (user: string) => Promise<Lang>,
  ) {}

  async opened(team: string, user: string): Promise<void> {
    const [lang, binding] = await Promise.all([this.languageOf(user), this.bindings?.get(team, user)]);
    await this.client.views.publish({ user_id: user, view: homeView(lang, binding?.boundAt) });
  }
}
