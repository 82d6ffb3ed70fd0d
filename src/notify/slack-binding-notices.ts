// The independent record of Slack bindings (DESIGN §3): every new binding of a Slack user to an Entra account is
// announced to that account by e-mail — the channel the Slack user does not control — and audited with both
// identities; a refused binding and a removed one are audited too. Audit records are keyed by the sign-in attempt, so
// a record written twice is stored once.
import { randomUUID } from 'node:crypto';
import type { AuditLog, AuditRecord } from '../audit/audit-log.js';
import { DEFAULT_LANG } from '../i18n/i18n.js';
import { type SlackBindings, type SlackUserRef, slackNames } from '../identity/slack-bindings.js';
import type { Grant, StepUpAttempt } from '../identity/step-up-service.js';
import type { Logger } from '../logging.js';
import type { ChangeNotifier } from './change-notifier.js';

export interface SlackBindingNoticesDeps {
  audit: AuditLog;
  notifier: ChangeNotifier;
  bindings: SlackBindings;
  logger: Logger;
  now?: () => number;
}

export class SlackBindingNotices {
  private readonly now: () => number;

  constructor(private readonly deps: SlackBindingNoticesDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** A new binding: the account's e-mail is told, then the audit says whether it was. */
  async bound(attempt: StepUpAttempt, grant: Grant): Promise<void> {
    const slack = attempt.slack;
    if (!slack) return;
    const at = this.now();
    const email = await this.deps.notifier.slackBound(
      {
        email: grant.upn,
        name: grant.name || grant.upn,
        ...slackNames(slack),
        at: new Date(at),
        lang: attempt.wish?.lang ?? DEFAULT_LANG,
      },
      { requestId: uuidOf(attempt.id), firstSentAt: at },
    );
    if (!email)
      this.deps.logger.error(
        { code: 'PROOFUP_SLACK_BINDING_NOT_ANNOUNCED', attemptId: attempt.id },
        'a new Slack binding could not be announced by e-mail',
      );
    await this.append(attempt.id, 'slackBound', grant.oid, slack, 'done', { notified: { email } });
  }

  /** The account holder answered "This wasn't me": nothing was bound. */
  async refused(attempt: StepUpAttempt): Promise<void> {
    if (!attempt.slack || !attempt.signIn) return;
    await this.append(attempt.id, 'slackBindRefused', attempt.signIn.oid, attempt.slack, 'refused', {
      reason: 'binding-refused',
    });
  }

  /** The Slack user removes their own binding ("unlink" in the DM). Resolves false when there was none. */
  async unlink(slack: SlackUserRef): Promise<boolean> {
    const removed = await this.deps.bindings.unbind(slack);
    if (!removed) return false;
    await this.append(randomUUID(), 'slackUnbound', removed.oid, slack, 'done', { reason: 'by-slack-user' });
    return true;
  }

  private append(
    flowId: string,
    action: 'slackBound' | 'slackBindRefused' | 'slackUnbound',
    oid: string,
    slack: SlackUserRef,
    result: AuditRecord['result'],
    extra: Partial<AuditRecord>,
  ): Promise<void> {
    return this.deps.audit.append({
      id: `${action}:${flowId}`,
      at: new Date(this.now()).toISOString(),
      flowId,
      actorOid: oid,
      channel: 'slack',
      action,
      slackUser: `${slack.team}:${slack.user}`,
      steps: [],
      result,
      ...extra,
    });
  }
}

/** ACS repeatability ids are GUIDs; an attempt id already is one. */
function uuidOf(id: string): string {
  return /^[0-9a-f-]{36}$/.test(id) ? id : randomUUID();
}
