// The readiness report as data both chats draw (Teams: an Adaptive Card with a donut chart; Slack: Block Kit text):
// counts and shares by readiness, the days left to each date, the admins among them, when it was read. Counts only —
// never a name.
import { randomUUID } from 'node:crypto';
import type { AuditRecord } from '../audit/audit-log.js';
import { GraphError } from '../graph/graph-error.js';
import { type Lang, type MessageKey, t } from '../i18n/i18n.js';
import type { Logger } from '../logging.js';
import { daysLeft, type Readiness, type ReadinessSummary } from '../readiness/registration-report.js';
import { RETIREMENT } from '../readiness/sms-voice-retirement.js';
import { dateTime, longDate } from '../time.js';
import type { PhoneOnlyPerson, ReadinessReports } from './readiness-reports.js';

const ORDER: Readiness[] = ['phishing-resistant', 'phone-only', 'other-mfa', 'no-mfa'];

export function readinessReportView(
  r: { summary: ReadinessSummary; asOf: number; group?: string | undefined; now: number; timeZone: string },
  lang: Lang,
) {
  const { summary } = r;
  const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
  const share = (n: number) => percent.format(summary.total ? n / summary.total : 0);
  const label = (kind: Readiness) => t(lang, 'card.readiness.kind', { kind: kind.replace(/-/g, '') });
  const days = daysLeft(r.now);
  return {
    title: t(lang, 'card.readiness.title'),
    scope: r.group
      ? t(lang, 'card.readiness.scopeGroup', { group: r.group, total: summary.total })
      : t(lang, 'card.readiness.scopeAll', { total: summary.total }),
    chartTitle: t(lang, 'card.readiness.chart'),
    slices: ORDER.map((kind) => ({ legend: label(kind), value: summary.counts[kind] })),
    facts: ORDER.map((kind) => ({
      label: label(kind),
      count: `${summary.counts[kind]} (${share(summary.counts[kind])})`,
    })),
    deadline: t(lang, 'card.readiness.deadline', {
      days: days.users,
      date: longDate(RETIREMENT.users, lang),
      phoneOnly: summary.counts['phone-only'],
      noMfa: summary.counts['no-mfa'],
    }),
    admins: t(lang, 'card.readiness.admins', {
      total: summary.admins.total,
      phoneOnly: summary.admins.phoneOnly,
      noMfa: summary.admins.noMfa,
      days: days.admins,
      date: longDate(RETIREMENT.adminsAndExternal, lang),
    }),
    asOf: t(lang, 'card.readiness.asOf', { at: dateTime(r.asOf, r.timeZone, lang) }),
  };
}

export const NAMES_PER_PAGE = 20;

/** One page of "readiness names" and the audit record of the agent having seen it. */
export function namesPage(
  result: { phoneOnly: PhoneOnlyPerson[]; group?: string | undefined },
  page: number,
  viewer: { oid: string; channel: string },
) {
  const from = page * NAMES_PER_PAGE;
  const shown = result.phoneOnly.slice(from, from + NAMES_PER_PAGE);
  const audit: AuditRecord = {
    id: randomUUID(),
    at: new Date().toISOString(),
    flowId: '',
    actorOid: viewer.oid,
    channel: viewer.channel,
    action: 'readinessReport',
    steps: [],
    result: 'done',
    reason: `names: phone-only ${from + 1}-${from + shown.length} of ${result.phoneOnly.length}${result.group ? ` (group ${result.group})` : ''}`,
  };
  return { from, shown, more: from + shown.length < result.phoneOnly.length, audit };
}

/** The report, or the message key (and group) that says why there is none. */
export async function readReport(reports: Pick<ReadinessReports, 'report'>, group: string | undefined, logger: Logger) {
  try {
    const result = await reports.report(group);
    if (result.ok) return result;
    const key: MessageKey = result.why === 'no-group' ? 'chat.readiness.noGroup' : 'chat.readiness.manyGroups';
    return { ok: false as const, key, group: result.group };
  } catch (err) {
    logger.error({ err }, 'the readiness report could not be read');
    const forbidden = err instanceof GraphError && err.status === 403;
    const key: MessageKey = forbidden ? 'chat.readiness.forbidden' : 'chat.readiness.failed';
    return { ok: false as const, key, group: group ?? '' };
  }
}
