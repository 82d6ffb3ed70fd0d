// The change flow in Slack: each View of the flow core as a Block Kit message in the user's DM (never Adaptive Card
// JSON, never an image), replaced in place with chat.update; an old step loses its buttons. Numbers and codes are
// typed in modals (the buttons here open them), never into a channel.
import type { webApi } from '@slack/bolt';
import type { ChatRef } from '../../flow/flow.js';
import type { View } from '../../flow/views.js';
import { DEFAULT_LANG, type Lang, t } from '../../i18n/i18n.js';
import type { FlowPresenter } from '../../runner/flow-presenter.js';
import { actions, type Block, button, context, facts, header, section } from './blocks.js';
import type { SlackWorkspaces } from './slack-workspaces.js';

/** Where a Slack flow lives: the DM channel with the user, in their workspace. */
export interface SlackAddress {
  team: string;
  user: string;
  channel: string;
}

/** A Slack DM as the flow core and the step-up name a chat: userId is "team:user", the conversation the DM. */
export const slackChatOf = (a: SlackAddress): ChatRef => ({
  channelId: 'slack',
  userId: `${a.team}:${a.user}`,
  conversationId: a.channel,
});

export function isSlackAddress(address: unknown): address is SlackAddress {
  const a = address as Partial<SlackAddress> | undefined;
  return typeof a?.channel === 'string' && typeof a.user === 'string' && typeof a.team === 'string';
}

/** A View as Block Kit, in `lang`, plus the notification fallback text. */
export function blocksOf(view: View, lang: Lang): { text: string; blocks: Block[] } {
  const say = (key: Parameters<typeof t>[1], args?: Parameters<typeof t>[2]) => t(lang, key, args);
  switch (view.name) {
    case 'notice':
      return { text: view.text, blocks: [section(view.text)] };
    case 'security-info': {
      const m = view.model;
      const data = (extra: Record<string, unknown>) => ({ flowId: m.flowId, lang, ...extra });
      const edit = (phoneType: string, label: string) => button(label, data({ action: 'sec.editPhone', phoneType }));
      return {
        text: say('card.securityInfo.title'),
        blocks: [
          header(say('card.securityInfo.title')),
          ...(m.error ? [section(`:warning: ${m.error}`)] : []),
          ...(m.readiness ? [section(m.readiness)] : []),
          ...(m.offerPasskey
            ? [actions('passkey', [button(m.passkeyTitle, data({ action: 'passkey.start' }), 'primary')])]
            : []),
          // A refusal's way out ("Replace the mobile number instead"), as on Teams' card.
          ...(m.offerPhone
            ? [
                actions('offer', [
                  button(m.offerTitle, data({ action: 'sec.editPhone', offer: m.offerPhone }), 'primary'),
                ]),
              ]
            : []),
          ...facts([
            { title: say('card.securityInfo.mobile'), value: m.mobile },
            { title: say('card.securityInfo.alternate'), value: m.alternate },
            { title: say('card.securityInfo.office'), value: m.office },
            { title: say('card.securityInfo.defaultMethod'), value: m.defaultMethod },
            ...m.otherMethods,
          ]),
          section(`*${say('card.securityInfo.changePhone')}*`),
          actions('phones', [
            edit('mobile', say('card.securityInfo.mobileChoice')),
            edit('alternateMobile', say('card.securityInfo.alternateChoice')),
            edit('office', say('card.securityInfo.officeChoice')),
          ]),
          ...(m.registered.length
            ? [
                section(`*${say('card.slack.removeHeading')}*`),
                actions(
                  'remove',
                  m.registered.map((type) =>
                    button(
                      say('card.slack.removePhone', { type }),
                      data({ action: 'sec.removePhone', phoneType: type }),
                      'danger',
                    ),
                  ),
                ),
              ]
            : []),
          section(`*${say('card.securityInfo.makeDefault')}*`),
          actions('defaults', [
            // Every default Graph can set for them (at most six: far below Slack's 25 elements per block).
            ...m.defaultChoices
              .filter((c) => c.value !== m.currentDefault)
              .map((c) => button(c.title, data({ action: 'sec.setDefault', defaultMethod: c.value }))),
            button(say('common.cancel'), data({ action: 'flow.cancel' })),
          ]),
          actions('links', [
            button(say('card.securityInfo.mySignIns'), { action: 'slack.openLink' }, undefined, m.mySignIns),
          ]),
          context(say('card.securityInfo.othersHint')),
        ],
      };
    }
    case 'phone-entry': {
      const m = view.model;
      const base = { flowId: m.flowId, lang };
      return {
        text: m.title,
        blocks: [
          header(m.title),
          section(m.hint),
          ...(m.retirementNote ? [context(m.retirementNote)] : []),
          ...(m.error ? [section(`:warning: ${m.error}`)] : []),
          actions('number', [
            button(say('card.slack.enterNumber'), { ...base, action: 'slack.numberModal' }, 'primary'),
            button(say('common.back'), { ...base, action: 'sec.menu' }),
            button(say('common.cancel'), { ...base, action: 'flow.cancel' }),
          ]),
        ],
      };
    }
    case 'code-entry': {
      const m = view.model;
      const base = { flowId: m.flowId, lang };
      return {
        text: say('card.codeEntry.title'),
        blocks: [
          header(say('card.codeEntry.title')),
          section(m.sentText),
          ...(m.error ? [section(`:warning: ${m.error}`)] : []),
          actions('code', [
            button(say('card.slack.enterCode'), { ...base, action: 'slack.codeModal' }, 'primary'),
            ...(m.resendTitle ? [button(m.resendTitle, { ...base, action: 'sec.resendCode' })] : []),
            button(say('common.cancel'), { ...base, action: 'flow.cancel' }),
          ]),
          context(say('card.slack.typeCode')),
        ],
      };
    }
    case 'confirm-change': {
      const m = view.model;
      const base = { flowId: m.flowId, lang };
      return {
        text: say('card.confirm.title'),
        blocks: [
          header(say('card.confirm.title')),
          section(m.what),
          ...facts([
            { title: say('card.confirm.before'), value: m.before },
            { title: say('card.confirm.after'), value: m.after },
            { title: say('card.confirm.defaultAfter'), value: m.defaultAfter },
          ]),
          ...(m.note ? [section(m.note)] : []),
          context(m.noticeText),
          ...(m.revokeTitle ? [context(m.revokeWarning)] : []),
          actions('confirm', [
            button(
              say('card.confirm.button'),
              { ...base, action: 'sec.confirm', revokeSessions: String(m.revokePreselected) },
              'primary',
            ),
            ...(m.revokeTitle
              ? [
                  button(`${say('card.confirm.button')} + ${m.revokeTitle}`.slice(0, 75), {
                    ...base,
                    action: 'sec.confirm',
                    revokeSessions: String(!m.revokePreselected),
                  }),
                ]
              : []),
            button(say('common.cancel'), { ...base, action: 'flow.cancel' }),
          ]),
        ],
      };
    }
    case 'applying':
      return { text: view.model.what, blocks: [section(`:hourglass_flowing_sand: ${view.model.what}`)] };
    case 'change-result': {
      const m = view.model;
      const buttons = [
        button(say('card.result.again'), { action: 'stepUp.start', lang }),
        ...(m.escalate
          ? [
              button(say('offer.askHelpdesk'), {
                action: 'helpdesk.escalate',
                reason: m.escalate,
                flowId: m.flowId ?? '',
                lang,
              }),
            ]
          : []),
      ];
      return {
        text: m.title,
        blocks: [
          header(m.title),
          section(m.message),
          ...(m.detail ? [context(m.detail)] : []),
          actions('result', buttons),
        ],
      };
    }
    case 'passkey': {
      const m = view.model;
      const data = (b: { action: string; choice: string }) => ({
        action: b.action,
        flowId: m.flowId,
        choice: b.choice,
        ...(b.action === 'sec.removePhone' ? { phoneType: b.choice } : {}),
        ...(b.action === 'helpdesk.escalate' ? { reason: b.choice } : {}),
        lang,
      });
      // Slack has room for the choices as buttons (Teams shows them as one list and a submit button).
      const choices = m.choices.map((c) => button(c.title, data({ action: m.choiceAction, choice: c.value })));
      const buttons = m.buttons.map((b, i) =>
        button(b.title, data(b), i === 0 && !choices.length ? 'primary' : undefined),
      );
      return {
        text: m.title,
        blocks: [
          header(`${m.tone === 'good' ? '✅ ' : ''}${m.title}`),
          ...m.lines.map((line) => section(line)),
          ...(m.steps.length ? [section(m.steps.map((s, i) => `${i + 1}. ${s}`).join('\n'))] : []),
          ...(m.link ? [actions('link', [button(m.linkTitle, { action: 'slack.openLink' }, 'primary', m.link)])] : []),
          ...(choices.length ? [section(`*${m.choiceLabel}*`), actions('choices', choices)] : []),
          ...(buttons.length ? [actions('passkey', buttons)] : []),
        ],
      };
    }
    case 'step-up-failed':
      return {
        text: view.model.title,
        blocks: [
          header(view.model.title),
          section(view.model.message),
          actions('retry', [button(say('card.stepUpFailed.retry'), { action: 'stepUp.start', lang }, 'primary')]),
        ],
      };
  }
}

export class SlackPresenter implements FlowPresenter {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly workspaces: SlackWorkspaces,
  ) {}

  async show(
    address: unknown,
    view: View,
    replace?: string,
    lang: Lang = DEFAULT_LANG,
  ): Promise<{ messageId?: string; replaced: boolean }> {
    if (!isSlackAddress(address)) throw new Error('not a Slack address');
    return this.workspaces.in(address.team, () => this.post(address, view, replace, lang));
  }

  private async post(
    address: SlackAddress,
    view: View,
    replace: string | undefined,
    lang: Lang,
  ): Promise<{ messageId?: string; replaced: boolean }> {
    const { text, blocks } = blocksOf(view, lang);
    if (replace) {
      try {
        await this.client.chat.update({ channel: address.channel, ts: replace, text, blocks });
        return { messageId: replace, replaced: true };
      } catch {
        // The message is gone (deleted, too old): post a new one instead.
      }
    }
    const posted = await this.client.chat.postMessage({ channel: address.channel, text, blocks });
    return { ...(posted.ts ? { messageId: posted.ts } : {}), replaced: false };
  }

  async retire(address: unknown, messageId: string, lang: Lang = DEFAULT_LANG): Promise<void> {
    if (!isSlackAddress(address)) return;
    // The old step's buttons go: the message says where the current step is.
    const text = t(lang, 'card.stepClosed');
    await this.workspaces.in(address.team, () =>
      this.client.chat.update({ channel: address.channel, ts: messageId, text, blocks: [context(text)] }),
    );
  }
}
