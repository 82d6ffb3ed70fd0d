import { randomUUID } from 'node:crypto';
import type { EmailMessage, EmailSender, SmsSender } from '../../messaging/senders.js';

export type OutboxItem =
  | { id: string; kind: 'sms'; at: string; to: string; text: string }
  | { id: string; kind: 'email'; at: string; to: string; subject: string; text: string };

/** The sandbox's SMS and e-mail provider: keeps every message so a person (outbox page) or a test can read it. */
export class Outbox implements SmsSender, EmailSender {
  readonly items: OutboxItem[] = [];

  async sendSms(to: string, text: string): Promise<string> {
    const id = randomUUID();
    this.items.push({ id, kind: 'sms', at: new Date().toISOString(), to, text });
    return id;
  }

  async sendEmail(message: EmailMessage): Promise<string> {
    const id = randomUUID();
    this.items.push({ id, kind: 'email', at: new Date().toISOString(), ...message });
    return id;
  }

  /** The newest SMS to this number (E.164), if any. */
  lastSmsTo(to: string): OutboxItem | undefined {
    return [...this.items].reverse().find((i) => i.kind === 'sms' && i.to === to);
  }
}
