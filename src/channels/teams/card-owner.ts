// Whose card is this? Every flow card carries a short tag of the user it was shown to, in each button's data. A press
// by someone else (a forwarded card, another member of a chat) is then told plainly that the card is not theirs, and
// audited — instead of the vague "earlier or finished request". The tag grants nothing: a flow is only ever found by
// the presser's OWN chat key, so forging it changes only the wording of the refusal.
import { createHash } from 'node:crypto';
import type { Attachment } from 'botbuilder';

export const OWNER_FIELD = 'owner';

export function ownerTag(channelId: string, userId: string): string {
  return createHash('sha256').update(`${channelId}\n${userId}`).digest('base64url').slice(0, 16);
}

type CardNode = { type?: unknown; data?: unknown; actions?: unknown; body?: unknown; items?: unknown };

function stamp(node: unknown, tag: string): void {
  if (Array.isArray(node)) {
    for (const child of node) stamp(child, tag);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const n = node as CardNode;
  if (n.type === 'Action.Submit' && n.data && typeof n.data === 'object')
    (n.data as Record<string, unknown>)[OWNER_FIELD] = tag;
  for (const value of Object.values(n)) if (value && typeof value === 'object') stamp(value, tag);
}

/** Adds the owner tag to every Action.Submit of an Adaptive Card attachment (in place). */
export function stampOwner(attachment: Attachment, tag: string): Attachment {
  stamp(attachment.content, tag);
  return attachment;
}

/** True when a submit carries an owner tag that is NOT the presser's. */
export function isForeignSubmit(value: unknown, channelId: string, userId: string): boolean {
  const tag = (value as Record<string, unknown> | undefined)?.[OWNER_FIELD];
  return typeof tag === 'string' && tag !== ownerTag(channelId, userId);
}
