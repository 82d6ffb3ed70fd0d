import { rootCertificates } from 'node:tls';
import { EmailClient } from '@azure/communication-email';
import { SmsClient } from '@azure/communication-sms';
import { AppError, ErrorCodes } from '../errors.js';
import type { EmailMessage, EmailSender, SmsSender } from './senders.js';

export interface AcsOptions {
  /** One more trusted CA (tests against a local ACS stand-in); TLS stays verified. */
  extraCaPem?: string;
}

const clientOptions = (options: AcsOptions) =>
  options.extraCaPem ? { tlsOptions: { ca: [...rootCertificates, options.extraCaPem].join('\n') } } : {};

/** SMS through Azure Communication Services (a number or alphanumeric sender id bought in the ACS resource). */
export class AcsSmsSender implements SmsSender {
  private readonly client: SmsClient;

  constructor(
    connectionString: string,
    private readonly from: string,
    options: AcsOptions = {},
  ) {
    this.client = new SmsClient(connectionString, clientOptions(options));
  }

  async sendSms(to: string, text: string): Promise<string> {
    const [result] = await this.client.send({ from: this.from, to: [to], message: text });
    if (!result?.successful) {
      throw new AppError(
        ErrorCodes.MESSAGE_NOT_SENT,
        `SMS not accepted by ACS (HTTP ${result?.httpStatusCode}): ${result?.errorMessage ?? ''}`,
      );
    }
    return result.messageId ?? '';
  }
}

/** E-mail through Azure Communication Services Email (sender on a verified domain of the ACS resource). */
export class AcsEmailSender implements EmailSender {
  private readonly client: EmailClient;

  constructor(
    connectionString: string,
    private readonly from: string,
    options: AcsOptions = {},
  ) {
    this.client = new EmailClient(connectionString, clientOptions(options));
  }

  async sendEmail(message: EmailMessage): Promise<string> {
    const poller = await this.client.beginSend({
      senderAddress: this.from,
      recipients: { to: [{ address: message.to }] },
      content: { subject: message.subject, plainText: message.text },
    });
    const result = await poller.pollUntilDone();
    if (result.status !== 'Succeeded')
      throw new AppError(ErrorCodes.MESSAGE_NOT_SENT, `e-mail ${result.status}: ${result.error?.message ?? ''}`);
    return result.id;
  }
}
