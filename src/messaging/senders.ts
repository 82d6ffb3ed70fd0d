// Outbound SMS and e-mail. Production: Azure Communication Services (one Azure resource for both, data stays in the
// tenant's Azure, no third party). Sandbox: the outbox (src/sandbox/outbox), readable in a browser and by tests.

/**
 * Makes a send safe to repeat after a crash: the provider accepts the same request id once (ACS "repeatable
 * requests": Repeatability-Request-Id, a GUID, and Repeatability-First-Sent, tracked by ACS for 5 minutes).
 */
export interface Repeatable {
  requestId: string;
  firstSentAt: number;
}

export interface SmsSender {
  /** `to` in E.164 (+14255550100). Resolves with the provider's message id. */
  sendSms(to: string, text: string, repeatable?: Repeatable): Promise<string>;
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface EmailSender {
  sendEmail(message: EmailMessage, repeatable?: Repeatable): Promise<string>;
  /**
   * Whether the provider accepted a send made under this request id (ACS: the e-mail operation's status), for a
   * notice re-sent after the repeatability window: true = accepted, false = not, undefined = cannot say.
   */
  wasAccepted?(requestId: string): Promise<boolean | undefined>;
}

/** Counts every send and its outcome (metrics) around the real senders. */
export function countedSenders(
  sms: SmsSender,
  email: EmailSender,
  count: (kind: 'sms' | 'email', outcome: 'ok' | 'failed') => void,
): { sms: SmsSender; email: EmailSender } {
  const counted = async <T>(kind: 'sms' | 'email', send: () => Promise<T>): Promise<T> => {
    try {
      const result = await send();
      count(kind, 'ok');
      return result;
    } catch (err) {
      count(kind, 'failed');
      throw err;
    }
  };
  return {
    sms: { sendSms: (to, text, repeatable) => counted('sms', () => sms.sendSms(to, text, repeatable)) },
    email: {
      sendEmail: (message, repeatable) => counted('email', () => email.sendEmail(message, repeatable)),
      ...(email.wasAccepted
        ? { wasAccepted: (id: string) => email.wasAccepted?.(id) ?? Promise.resolve(undefined) }
        : {}),
    },
  };
}

/** How long ACS remembers a repeatability id; a request first sent longer ago is refused with 412. */
export const REPEATABILITY_WINDOW_MS = 5 * 60_000;
