// The step-up's single-use secrets: random tokens, their hashes (only hashes are stored), constant-time comparison,
// and the "<attemptId>.<secret>" tokens of start links and OAuth state.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ChatBinding } from './step-up-types.js';

export const sha256 = (v: string) => createHash('sha256').update(v).digest('base64url');
export const secret = () => randomBytes(32).toString('base64url');
export const bindingId = (b: ChatBinding) => sha256(`${b.channelId}\n${b.userId}\n${b.conversationId}`);
export const hmac = (salt: string, code: string) => createHmac('sha256', salt).update(code).digest();

export function sameSecret(presented: string, expectedHash: string | undefined): boolean {
  if (!expectedHash) return false;
  const a = Buffer.from(sha256(presented));
  const b = Buffer.from(expectedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Splits "<attemptId>.<secret>" (start links and OAuth state). */
export function splitToken(token: string): [string, string] | undefined {
  const match = /^([0-9a-f-]{36})\.([\w-]{43})$/.exec(token);
  return match ? [match[1] as string, match[2] as string] : undefined;
}
