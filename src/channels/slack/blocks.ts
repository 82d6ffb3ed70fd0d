// Block Kit building blocks for Proofup's Slack messages and modals: the catalogue's Markdown turned into Slack mrkdwn,
// buttons whose value carries the same data a Teams card submit would (so the flow's input parsers serve both), and
// Slack's size limits respected (section text 3000, button text 75, button value 2000).
import type { types } from '@slack/bolt';

export type Block = types.KnownBlock;
export type Button = types.Button;

/** Adaptive Card Markdown (**bold**, [text](url)) → Slack mrkdwn (*bold*, <url|text>), with &, <, > escaped. */
export function mrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\*\*(.+?)\*\*/g, '*$1*')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '<$2|$1>')
    .slice(0, 3000);
}

export const plain = (text: string) => ({ type: 'plain_text' as const, text: text.slice(0, 150), emoji: true });

export function section(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: mrkdwn(text) } };
}

export function header(text: string): Block {
  return { type: 'header', text: plain(text) };
}

export function context(text: string): Block {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn(text) }] };
}

/** "Title: value" pairs as section fields (at most 10 per section). */
export function facts(pairs: { title: string; value: string }[]): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < pairs.length; i += 10)
    blocks.push({
      type: 'section',
      fields: pairs
        .slice(i, i + 10)
        .map((p) => ({ type: 'mrkdwn' as const, text: `*${mrkdwn(p.title)}*\n${mrkdwn(p.value)}` })),
    });
  return blocks;
}

/** A button whose value is the JSON data a card submit would carry ({action, flowId, …}). */
export function button(
  title: string,
  data: Record<string, unknown>,
  style?: 'primary' | 'danger',
  url?: string,
): Button {
  return {
    type: 'button',
    action_id: actionId(data),
    // Slack refuses longer button texts; a test keeps every label of ours below it (the ellipsis never shows).
    text: { type: 'plain_text', text: title.length > 75 ? `${title.slice(0, 74)}…` : title, emoji: true },
    value: JSON.stringify(data).slice(0, 2000),
    ...(style ? { style } : {}),
    ...(url ? { url } : {}),
  };
}

/**
 * A button's action_id: its action, then its values — unique in its message (Slack requires that), and routed by the
 * action in front (`actionIdOf`).
 */
export function actionId(data: Record<string, unknown>): string {
  return `${String(data.action ?? 'noop')}:${Object.values(data).join(':')}`.slice(0, 255);
}

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The action_ids of `action`'s buttons, for Bolt's `app.action`. */
export const actionIdOf = (action: string) => new RegExp(`^${escapeRegExp(action)}:`);

export function actions(blockId: string, buttons: Button[]): Block {
  return { type: 'actions', block_id: blockId, elements: buttons.slice(0, 25) };
}

/** The data a pressed button carries (its JSON value), or undefined. */
export function buttonData(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'string' || value.length > 2000) return undefined;
  try {
    const data = JSON.parse(value) as unknown;
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The same message without its buttons (an old step: its buttons must not work any more). */
export function withoutActions(blocks: Block[]): Block[] {
  return blocks.filter((b) => b.type !== 'actions' && b.type !== 'input');
}
