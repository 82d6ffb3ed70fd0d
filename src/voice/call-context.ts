// What a call's events need to know (which flow, which code send, the code and its language), carried in the call's
// own callback URL, sealed with AES-256-GCM: any instance can act on any event, and nothing is stored. The code in
// it is the one ACS reads out anyway; the seal keeps it out of logs and proxies and makes the context unforgeable.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { LANGUAGES } from '../i18n/i18n.js';

const callContextSchema = z.object({
  chat: z.object({ channelId: z.string(), userId: z.string(), conversationId: z.string() }),
  sends: z.number().int().min(1),
  /** The number called (E.164) and the office extension to dial once connected. */
  to: z.string().regex(/^\+\d{7,15}$/),
  extension: z
    .string()
    .regex(/^\d{1,10}$/)
    .optional(),
  code: z.string().regex(/^\d{6}$/),
  lang: z.enum(LANGUAGES),
  /**
   * This call's own reference (random), also sent as the operation context of the call and of each action on it:
   * an event is acted on only when it carries it, so a context cannot be replayed onto another call's events.
   */
  ref: z.string().regex(/^[\w-]{22}$/),
  /** Until when events for this call are acted on (ms since epoch). */
  exp: z.number(),
});

export type CallContext = z.infer<typeof callContextSchema>;

/** How long a call's events are trusted after it is placed (a code lives 10 minutes). */
export const CALL_CONTEXT_LIFETIME_MS = 15 * 60_000;

export class CallContextSealer {
  private readonly key: Buffer;

  /** `secret`: the deployment's PHONE_HASH_KEY; a separate key is derived from it for this purpose only. */
  constructor(
    secret: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'proofup', 'call-context-v1', 32));
  }

  seal(context: Omit<CallContext, 'exp'>): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const plain = JSON.stringify({ ...context, exp: this.now() + CALL_CONTEXT_LIFETIME_MS });
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The context, or undefined when it was not sealed by us, was altered, or has expired. */
  open(sealed: string): CallContext | undefined {
    try {
      const raw = Buffer.from(sealed, 'base64url');
      if (raw.length < 29) return undefined;
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      const parsed = callContextSchema.safeParse(JSON.parse(plain));
      return parsed.success && parsed.data.exp > this.now() ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}
