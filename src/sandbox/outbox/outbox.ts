import { randomUUID } from 'node:crypto';
import {
  type EmailMessage,
  type EmailSender,
  REPEATABILITY_WINDOW_MS,
  type Repeatable,
  type SmsSender,
} from '../../messaging/senders.js';

export type OutboxItem =
  | { id: string; kind: 'sms'; at: string; to: string; text: string }
  | { id: string; kind: 'email'; at: string; to: string; subject: string; text: string }
  /** A code call (simulated ACS Call Automation): what was read aloud, in which voice locale, or how it failed. */
  | { id: string; kind: 'call'; at: string; to: string; text: string; locale: string };

/**
 * The sandbox's SMS and e-mail provider: keeps every message so a person (outbox page) or a test can read it. Like
 * ACS it honours repeatable requests: the same request id within 5 minutes of its first send is accepted once; and
 * like ACS's e-mail operation status, it can say later whether a send under a request id was accepted.
 */
export class Outbox implements SmsSender, EmailSender {
  readonly items: OutboxItem[] = [];
  private readonly seen = new Map<string, string>();
  /** E-mail sends by request id (ACS names the operation after it): what wasAccepted reads back. */
  private readonly operations = new Set<string>();

  async sendSms(to: string, text: string, repeatable?: Repeatable): Promise<string> {
    return this.once(repeatable, (id) => this.items.push({ id, kind: 'sms', at: new Date().toISOString(), to, text }));
  }

  async sendEmail(message: EmailMessage, repeatable?: Repeatable): Promise<string> {
    if (repeatable) this.operations.add(repeatable.requestId);
    return this.once(repeatable, (id) =>
      this.items.push({ id, kind: 'email', at: new Date().toISOString(), ...message }),
    );
  }

  /** Like ACS's e-mail operation status: whether a send under this request id was accepted (any time). */
  async wasAccepted(requestId: string): Promise<boolean> {
    return this.operations.has(requestId);
  }

  recordCall(to: string, text: string, locale: string): void {
    this.items.push({ id: randomUUID(), kind: 'call', at: new Date().toISOString(), to, text, locale });
  }

  /** The newest call to this number (E.164, an extension may follow), if any. */
  lastCallTo(to: string): OutboxItem | undefined {
    return [...this.items].reverse().find((i) => i.kind === 'call' && (i.to === to || i.to.startsWith(`${to} ext.`)));
  }

  /** The newest SMS to this number (E.164), if any. */
  lastSmsTo(to: string): OutboxItem | undefined {
    return [...this.items].reverse().find((i) => i.kind === 'sms' && i.to === to);
  }

  private once(repeatable: Repeatable | undefined, deliver: (id: string) => void): string {
    const fresh = repeatable && Date.now() - repeatable.firstSentAt < REPEATABILITY_WINDOW_MS;
    const earlier = fresh ? this.seen.get(repeatable.requestId) : undefined;
    if (earlier) return earlier;
    const id = randomUUID();
    deliver(id);
    if (fresh) this.seen.set(repeatable.requestId, id);
    return id;
  }
}
