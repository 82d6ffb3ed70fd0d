// The independent notification after every change (NIST SP 800-63B §4.6): e-mail to the user, and SMS to the OLD
// number when one was replaced or removed: what changed, when, and what to do if it was not them. Each notice is a
// queued effect of the flow (delivered at least once); here each send is tried a few times before it is reported
// as failed, so the result card and the audit can say truthfully whether it went out.

import { DEFAULT_LANG, type Lang, t } from '../i18n/i18n.js';
import type { Logger } from '../logging.js';
import type { EmailSender, Repeatable, SmsSender } from '../messaging/senders.js';
import { stableUuid } from '../stable-id.js';
import { dateTime } from '../time.js';

export interface ChangeNotice {
  email: string;
  name: string;
  /** One sentence, numbers masked: "Your mobile phone changed from +1 ••• ••• 01 00 to +1 ••• ••• 01 99." */
  summary: string;
  at: Date;
  /** The user's IANA time zone (the time is given in it); UTC when unknown. */
  timeZone?: string;
  /** The language of the change's conversation. */
  lang?: Lang;
  /** A change made through Proofup (default), or a passkey the person added at Microsoft that Proofup saw. */
  about?: 'change' | 'passkey';
}

export interface NotifierOptions {
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

export class ChangeNotifier {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly smsSender: SmsSender,
    private readonly emailSender: EmailSender,
    private readonly helpdesk: string,
    private readonly logger: Logger,
    private readonly options: NotifierOptions = {},
  ) {
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /**
   * Never throws: resolves whether the provider accepted the e-mail. `repeatable` (stable across redeliveries) lets
   * the provider drop a copy it already accepted before a crash or a lost answer.
   */
  email(notice: ChangeNotice, repeatable?: Repeatable): Promise<boolean> {
    const lang = notice.lang ?? DEFAULT_LANG;
    const passkey = notice.about === 'passkey';
    return this.deliver('email', () =>
      this.emailSender.sendEmail(
        {
          to: notice.email,
          subject: t(lang, passkey ? 'email.passkey.subject' : 'email.subject'),
          text: t(lang, passkey ? 'email.passkey.body' : 'email.body', {
            name: notice.name,
            summary: notice.summary,
            at: dateTime(notice.at.getTime(), notice.timeZone, lang),
            helpdesk: this.helpdesk,
          }),
        },
        repeatable,
      ),
    );
  }

  /**
   * A Temporary Access Pass was issued for this person: their e-mail and each of their phones are told who issued it
   * and when (never the pass). Never throws: resolves what the providers accepted.
   */
  async passIssued(
    notice: {
      email: string;
      name: string;
      agent: string;
      phones: string[];
      at: Date;
      lang: Lang;
    },
    repeatable?: Repeatable,
  ): Promise<{ email: boolean; sms: number }> {
    const at = dateTime(notice.at.getTime(), undefined, notice.lang);
    // Each message its own stable request id, so a notice redone after a crash is dropped by ACS (within 5 minutes).
    const each = (what: string): Repeatable | undefined =>
      repeatable && { requestId: stableUuid(what, repeatable.requestId), firstSentAt: repeatable.firstSentAt };
    const email = await this.deliver('email', () =>
      this.emailSender.sendEmail(
        {
          to: notice.email,
          subject: t(notice.lang, 'email.tap.subject'),
          text: t(notice.lang, 'email.tap.body', {
            name: notice.name,
            agent: notice.agent,
            at,
            helpdesk: this.helpdesk,
          }),
        },
        each('tap-email'),
      ),
    );
    let sms = 0;
    for (const phone of notice.phones) {
      const text = t(notice.lang, 'sms.tapIssued', { at, helpdesk: this.helpdesk });
      if (await this.deliver('sms', () => this.smsSender.sendSms(phone, text, each(`tap-sms ${phone}`)))) sms++;
    }
    return { email, sms };
  }

  /**
   * A Slack user was bound to this Entra account (it can now start changes of the account's security info): the
   * account's e-mail is told which Slack user, in which workspace, when, and what to do if it was not them. Never
   * throws: resolves whether the provider accepted it. `repeatable`: the binding attempt's id, once per binding.
   */
  slackBound(
    notice: { email: string; name: string; slackUser: string; workspace: string; at: Date; lang: Lang },
    repeatable?: Repeatable,
  ): Promise<boolean> {
    const { lang } = notice;
    return this.deliver('email', () =>
      this.emailSender.sendEmail(
        {
          to: notice.email,
          subject: t(lang, 'email.slackBound.subject'),
          text: t(lang, 'email.slackBound.body', {
            name: notice.name,
            slackUser: notice.slackUser,
            workspace: notice.workspace,
            at: dateTime(notice.at.getTime(), undefined, lang),
            helpdesk: this.helpdesk,
          }),
        },
        repeatable,
      ),
    );
  }

  /**
   * Whether the provider accepted an e-mail sent earlier under any of these request ids (read back: ACS's e-mail
   * operation status). For a notice about to be re-sent after ACS's 5-minute repeatability window: an e-mail whose
   * answer was lost is then not sent twice. False when the provider cannot say (the notice is sent again).
   */
  async emailAccepted(requestIds: string[]): Promise<boolean> {
    const read = this.emailSender.wasAccepted?.bind(this.emailSender);
    if (!read) return false;
    for (const id of requestIds) if ((await read(id).catch(() => undefined)) === true) return true;
    return false;
  }

  /** Never throws: resolves whether the provider accepted the SMS to the number that was replaced. */
  sms(
    oldNumber: string,
    at: Date,
    repeatable?: Repeatable,
    timeZone?: string,
    lang: Lang = DEFAULT_LANG,
  ): Promise<boolean> {
    const text = t(lang, 'sms.changed', { at: dateTime(at.getTime(), timeZone, lang), helpdesk: this.helpdesk });
    return this.deliver('sms', () => this.smsSender.sendSms(oldNumber, text, repeatable));
  }

  private async deliver(channel: 'sms' | 'email', send: () => Promise<string>): Promise<boolean> {
    const attempts = this.options.attempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        await send();
        return true;
      } catch (err) {
        this.logger.error({ err, channel, attempt }, 'change notification could not be sent');
        if (attempt >= attempts) return false;
        await this.sleep(1000 * attempt);
      }
    }
  }
}
