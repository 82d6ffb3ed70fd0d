// Outbound SMS and e-mail. Production: Azure Communication Services (one Azure resource for both, data stays in the
// tenant's Azure, no third party). Sandbox: the outbox (src/sandbox/outbox), readable in a browser and by tests.
export interface SmsSender {
  /** `to` in E.164 (+14255550100). Resolves with the provider's message id. */
  sendSms(to: string, text: string): Promise<string>;
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface EmailSender {
  sendEmail(message: EmailMessage): Promise<string>;
}
