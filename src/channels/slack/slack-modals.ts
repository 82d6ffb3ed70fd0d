// The modals Proofup opens in Slack: the new number (country, number as plain text so the "+" survives, extension for
// an office phone, text or call) and the code. Their context travels in private_metadata; the flow checks it again.
import { z } from 'zod';
import type { FlowInput } from '../../flow/flow.js';
import { countryChoices } from '../../flow/views.js';
import { type Lang, type MessageKey, t } from '../../i18n/i18n.js';
import { parsePhone, problemKey } from '../../phone/phone-number.js';

export const SLACK_MODALS = { number: 'proofup.number', code: 'proofup.code' } as const;

export const modalContextSchema = z.object({
  flowId: z.string().uuid(),
  team: z.string().min(1).max(40),
  user: z.string().min(1).max(40),
  channel: z.string().min(1).max(40),
  lang: z.string().optional(),
  channels: z
    .array(z.enum(['sms', 'voice']))
    .max(2)
    .optional(),
  office: z.boolean().optional(),
});
export type ModalContext = z.infer<typeof modalContextSchema>;

/** A value from a modal's state: view.state.values[block][action]. */
export function stateValue(values: unknown, block: string): string {
  const entry = (values as Record<string, Record<string, { value?: string; selected_option?: { value?: string } }>>)?.[
    block
  ]?.[block];
  return entry?.selected_option?.value ?? entry?.value ?? '';
}

/** A modal's frame: Slack allows 24 characters for its title and buttons. */
function shell(callbackId: string, ctx: ModalContext, lang: Lang, title: MessageKey, submit: MessageKey) {
  const text = (key: MessageKey) => ({ type: 'plain_text' as const, text: t(lang, key).slice(0, 24) });
  return {
    type: 'modal' as const,
    callback_id: callbackId,
    private_metadata: JSON.stringify(ctx),
    title: text(title),
    submit: text(submit),
    close: text('common.cancel'),
  };
}

export function numberModal(ctx: ModalContext, country: string, lang: Lang) {
  const countries = countryChoices(lang);
  const groups = new Map<string, { text: { type: 'plain_text'; text: string }; value: string }[]>();
  for (const c of countries) {
    const letter = c.title.charAt(0).toUpperCase();
    groups.set(letter, [
      ...(groups.get(letter) ?? []),
      { text: { type: 'plain_text', text: c.title.slice(0, 75) }, value: c.value },
    ]);
  }
  const initial = countries.find((c) => c.value === country);
  const channels = ctx.channels ?? ['sms'];
  return {
    ...shell(SLACK_MODALS.number, ctx, lang, 'slack.modal.numberTitle', 'slack.modal.submit'),
    blocks: [
      {
        type: 'input',
        block_id: 'country',
        label: { type: 'plain_text', text: t(lang, 'card.phoneEntry.country') },
        element: {
          type: 'static_select',
          action_id: 'country',
          option_groups: [...groups].slice(0, 100).map(([letter, options]) => ({
            label: { type: 'plain_text', text: letter },
            options: options.slice(0, 100),
          })),
          ...(initial
            ? {
                initial_option: {
                  text: { type: 'plain_text', text: initial.title.slice(0, 75) },
                  value: initial.value,
                },
              }
            : {}),
        },
      },
      {
        type: 'input',
        block_id: 'number',
        label: { type: 'plain_text', text: t(lang, 'card.phoneEntry.number') },
        hint: { type: 'plain_text', text: t(lang, 'card.phoneEntry.plusWins') },
        // plain_text_input, not number_input: that one drops the "+".
        element: { type: 'plain_text_input', action_id: 'number', max_length: 40 },
      },
      ...(ctx.office
        ? [
            {
              type: 'input',
              block_id: 'extension',
              optional: true,
              label: { type: 'plain_text', text: t(lang, 'card.phoneEntry.extension') },
              element: { type: 'plain_text_input', action_id: 'extension', max_length: 10 },
            },
          ]
        : []),
      ...(channels.length > 1
        ? [
            {
              type: 'input',
              block_id: 'channel',
              label: { type: 'plain_text', text: t(lang, 'slack.modal.channel') },
              element: {
                type: 'radio_buttons',
                action_id: 'channel',
                initial_option: {
                  text: { type: 'plain_text', text: t(lang, 'card.phoneEntry.textMe') },
                  value: 'sms',
                },
                options: [
                  { text: { type: 'plain_text', text: t(lang, 'card.phoneEntry.textMe') }, value: 'sms' },
                  { text: { type: 'plain_text', text: t(lang, 'card.phoneEntry.callMe') }, value: 'voice' },
                ],
              },
            },
          ]
        : []),
    ],
  };
}

export function codeModal(ctx: ModalContext, lang: Lang) {
  return {
    ...shell(SLACK_MODALS.code, ctx, lang, 'slack.modal.codeTitle', 'card.codeEntry.check'),
    blocks: [
      {
        type: 'input',
        block_id: 'code',
        label: { type: 'plain_text', text: t(lang, 'card.codeEntry.label') },
        element: {
          type: 'plain_text_input',
          action_id: 'code',
          min_length: 6,
          max_length: 6,
          placeholder: { type: 'plain_text', text: t(lang, 'card.codeEntry.placeholder') },
        },
      },
    ],
  };
}

/**
 * What a submitted number or code modal asks of the flow, or Slack's `response_action: errors` answer when a field is
 * wrong (the modal stays open). A first check only: the flow applies every rule again, the policy ones too.
 */
export function modalInput(
  callbackId: string,
  ctx: ModalContext,
  values: unknown,
  lang: Lang,
): { errors: Record<string, string> } | { input: FlowInput } {
  if (callbackId === SLACK_MODALS.code) {
    const code = stateValue(values, 'code').trim();
    if (!/^\d{6}$/.test(code)) return { errors: { code: t(lang, 'card.codeEntry.missing') } };
    return { input: { type: 'submitCode', flowId: ctx.flowId, code, via: 'card' } };
  }
  const form = {
    country: stateValue(values, 'country') || 'US',
    number: stateValue(values, 'number'),
    extension: ctx.office ? stateValue(values, 'extension') : '',
  };
  const parsed = parsePhone({ ...form, type: ctx.office ? 'office' : 'mobile', landlineAllowed: true });
  if (!parsed.ok && parsed.problem !== 'not-mobile') return { errors: { number: t(lang, problemKey(parsed.problem)) } };
  const channel = (stateValue(values, 'channel') || ctx.channels?.[0] || 'sms') as 'sms' | 'voice';
  return { input: { type: 'submitNumber', flowId: ctx.flowId, form, channel, via: 'card' } };
}
