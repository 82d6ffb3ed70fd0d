// The independent notification after every change (NIST SP 800-63B §4.6): e-mail to the user, and SMS to the OLD
// number when one was replaced or removed: what changed, when, and what to do if it was not them.
import type { Logger } from '../logging.js';
import type { EmailSender, SmsSender } from '../messaging/senders.js';

export interface ChangeNotice {
  email: string;
  name: string;
  /** One sentence, numbers masked: "Your mobile phone changed from +1 ••• ••• 01 00 to +1 ••• ••• 01 99." */
  summary: string;
  at: Date;
  /** The number that stops receiving sign-in codes (E.164), if any. */
  oldNumber?: string;
}

export class ChangeNotifier {
  constructor(
    private readonly sms: SmsSender,
    private readonly email: EmailSender,
    private readonly helpdesk: string,
    private readonly logger: Logger,
  ) {}

  /** Never throws: the change already happened; a failed notice is logged for follow-up and reported back. */
  async notify(notice: ChangeNotice): Promise<{ email: boolean; sms: boolean | undefined }> {
    const when = `${notice.at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    const ifNotYou = `If this wasn't you, contact ${this.helpdesk} immediately: someone may be taking over your account.`;
    const email = await this.sendEmail(notice, when, ifNotYou);
    const sms = notice.oldNumber
      ? await this.deliver('sms', () =>
          this.sms.sendSms(
            notice.oldNumber as string,
            `Proofup: the sign-in security info of your work account changed on ${when}. This number no longer gets sign-in codes. ${ifNotYou}`,
          ),
        )
      : undefined;
    return { email, sms };
  }

  private sendEmail(notice: ChangeNotice, when: string, ifNotYou: string): Promise<boolean> {
    return this.deliver('email', () =>
      this.email.sendEmail({
        to: notice.email,
        subject: 'Your sign-in security info was changed',
        text: `Hello ${notice.name},\n\n${notice.summary}\nChanged on ${when} through Proofup, after you verified with MFA.\n\n${ifNotYou}\n`,
      }),
    );
  }

  private async deliver(channel: 'sms' | 'email', send: () => Promise<string>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (err) {
      this.logger.error({ err, channel }, 'change notification could not be sent');
      return false;
    }
  }
}
