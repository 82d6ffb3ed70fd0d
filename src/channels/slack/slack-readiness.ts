import type { AuditLog } from '../../audit/audit-log.js';
import type { HelpdeskWish } from '../../flow/flow.js';
import { carriedWish } from '../../flow/flow.js';
import { isHelpdeskGrant } from '../../helpdesk/agent-grant.js';
import type { EscalationService } from '../../helpdesk/escalations.js';
import { namesPage, readinessReportView, readReport } from '../../helpdesk/readiness-report-view.js';
import type { ReadinessReports } from '../../helpdesk/readiness-reports.js';
import { type Lang, t } from '../../i18n/i18n.js';
import type { SlackBindings } from '../../identity/slack-bindings.js';
import type { Grant, StepUpService } from '../../identity/step-up-service.js';
import type { Logger } from '../../logging.js';
import { actions, button, context, header, section } from './blocks.js';
import { type SlackAddress, slackChatOf } from './slack-presenter.js';
import { type SlackSignIn, type SlackTalk, slackAgent } from './slack-talk.js';

export interface SlackReadinessDeps {
  reports: Pick<ReadinessReports, 'report'>;
  stepUp: Pick<StepUpService, 'grant'>;
  escalations: Pick<EscalationService, 'isAgent'>;
  bindings: Pick<SlackBindings, 'get'>;
  audit: AuditLog;
  logger: Logger;
  /** HELPDESK_TIME_ZONE: when the report was read. */
  timeZone: string;
}

export class SlackReadiness {
  constructor(
    private readonly deps: SlackReadinessDeps,
    private readonly talk: SlackTalk,
    private readonly signIn: SlackSignIn,
  ) {}

  /** "readiness [for group X]" (names: "readiness names [for group X]", and "Show the next 20"). */
  async request(dm: SlackAddress, lang: Lang, ask: { group?: string; names?: boolean; page?: number }) {
    if (!(await slackAgent(this.deps, this.talk, dm, lang, 'readinessReport'))) return;
    const binding = await this.deps.bindings.get(dm.team, dm.user);
    const grant = await this.deps.stepUp.grant(slackChatOf(dm));
    if (!binding || !isHelpdeskGrant(binding.oid, grant)) {
      await this.talk.say(dm, t(lang, 'chat.readiness.verifyFirst'));
      const query = ask.names ? `names|${ask.group ?? ''}` : (ask.group ?? '');
      const wish: HelpdeskWish = { action: 'readiness', query };
      return this.signIn(dm, { lang, helpdesk: wish }, lang);
    }
    return ask.names ? this.names(dm, lang, grant, ask.group, ask.page ?? 0) : this.counts(dm, lang, ask.group);
  }

  /** The agent's helpdesk sign-in for the report is done. */
  async afterSignIn(dm: SlackAddress, grant: Grant, lang: Lang): Promise<void> {
    if (!(await slackAgent(this.deps, this.talk, dm, lang, 'readinessReport'))) return;
    const query = carriedWish(grant)?.helpdesk?.query ?? '';
    if (query.startsWith('names|')) return this.names(dm, lang, grant, query.slice(6) || undefined, 0);
    return this.counts(dm, lang, query || undefined);
  }

  private async counts(dm: SlackAddress, lang: Lang, group: string | undefined): Promise<void> {
    const result = await this.read(dm, lang, group);
    if (!result) return;
    const v = readinessReportView(
      {
        summary: result.summary,
        asOf: result.asOf,
        group: result.group,
        now: Date.now(),
        timeZone: this.deps.timeZone,
      },
      lang,
    );
    await this.talk.post(dm, {
      text: `${v.title}: ${v.scope}`,
      blocks: [
        header(v.title),
        section(v.scope),
        section(v.facts.map((f) => `*${f.label}*: ${f.count}`).join('\n')),
        section(v.deadline),
        section(v.admins),
        context(v.asOf),
      ],
    });
  }

  private async names(dm: SlackAddress, lang: Lang, grant: Grant, group: string | undefined, page: number) {
    const result = await this.read(dm, lang, group);
    if (!result) return;
    const { from, shown, more, audit } = namesPage(result, page, { oid: grant.oid, channel: 'slack' });
    await this.deps.audit.append(audit);
    const title = t(lang, 'card.readinessNames.title', {
      total: result.phoneOnly.length,
      from: shown.length ? from + 1 : 0,
      to: from + shown.length,
    });
    const next = { action: 'readiness.names', group: result.group ?? '', page: String(page + 1), lang };
    await this.talk.post(dm, {
      text: title,
      blocks: [
        header(title),
        ...(shown.length ? [section(shown.map((p) => `• ${p.name} (${p.upn})`).join('\n'))] : []),
        context(t(lang, 'card.readinessNames.note')),
        ...(more ? [actions('names', [button(t(lang, 'card.readinessNames.next'), next)])] : []),
      ],
    });
  }

  /** The report, or undefined after telling the agent why there is none. */
  private async read(dm: SlackAddress, lang: Lang, group: string | undefined) {
    const result = await readReport(this.deps.reports, group, this.deps.logger);
    if (result.ok) return result;
    await this.talk.say(dm, t(lang, result.key, { group: result.group }));
    return undefined;
  }
}
