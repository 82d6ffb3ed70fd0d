// "readiness" / "readiness for group Sales": a helpdesk member, after their own helpdesk sign-in, sees where the tenant
// stands before Microsoft stops texting and calling codes — how many people have a passkey or another
// phishing-resistant method, how many sign in only by phone, how many have no MFA, the admins among them, and the days
// left to each date. Counts only: that card never names anyone (it may be forwarded or shown in a channel); the names
// of those who sign in only by phone come on request, a page at a time, in the agent's own chat ("readiness names").
import { randomUUID } from 'node:crypto';
import { MessageFactory, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { CardBuilder } from '../cards/card-builder.js';
import type { Wish } from '../flow/flow.js';
import { GraphError } from '../graph/graph-error.js';
import type { ReadinessReports } from '../helpdesk/readiness-reports.js';
import { type Lang, t } from '../i18n/i18n.js';
import type { Grant } from '../identity/step-up-service.js';
import { daysLeft, type Readiness, type ReadinessSummary } from '../readiness/registration-report.js';
import { RETIREMENT } from '../readiness/sms-voice-retirement.js';
import { dateTime, longDate } from '../time.js';
import { type HelpdeskAccessDeps, isHelpdeskGrant, requireAgent } from './helpdesk-access.js';

/** "readiness names" / "readiness names for group Sales": who signs in only by phone, in the agent's own chat. */
export const READINESS_NAMES_TEXT = /^\s*readiness\s+names(?:\s+for\s+(?:group\s+)?(\S.{0,119}?))?\s*$/i;
const NAMES_PER_PAGE = 20;
const namesSchema = z.object({
  group: z.string().max(120).optional(),
  page: z.coerce.number().int().min(0).max(10_000),
});

/** "readiness", "readiness report", "readiness for Sales", "readiness for group Sales". */
export const READINESS_TEXT = /^\s*readiness(?:\s+report)?(?:\s+for\s+(?:group\s+)?(\S.{0,119}?))?\s*$/i;

export interface ReadinessDialogDeps extends HelpdeskAccessDeps {
  cards: CardBuilder;
  reports: ReadinessReports;
  liveGrant: (context: TurnContext) => Promise<Grant | undefined>;
  signIn: (context: TurnContext, wish: Wish) => Promise<void>;
  /** HELPDESK_TIME_ZONE: how the report's time is shown. */
  timeZone: string;
  now?: () => number;
}

const ORDER: Readiness[] = ['phishing-resistant', 'phone-only', 'other-mfa', 'no-mfa'];

export class ReadinessDialog {
  constructor(private readonly deps: ReadinessDialogDeps) {}

  async request(context: TurnContext, lang: Lang, group?: string): Promise<void> {
    if (!(await requireAgent(this.deps, context, lang, 'readinessReport'))) return;
    const grant = await this.deps.liveGrant(context);
    if (!isHelpdeskGrant(context.activity.from.aadObjectId, grant)) {
      await context.sendActivity(t(lang, 'chat.readiness.verifyFirst'));
      return this.deps.signIn(context, { lang, helpdesk: { action: 'readiness', query: group ?? '' } });
    }
    return this.show(context, lang, group);
  }

  async afterStepUp(context: TurnContext, grant: Grant, lang: Lang): Promise<void> {
    if (!isHelpdeskGrant(context.activity.from.aadObjectId, grant)) return;
    if (!(await requireAgent(this.deps, context, lang, 'readinessReport'))) return;
    const query = grant.wish?.helpdesk?.query ?? '';
    if (query.startsWith('names|')) return this.showNames(context, lang, query.slice(6) || undefined, 0);
    return this.show(context, lang, query || undefined);
  }

  /**
   * Who signs in only by phone, NAMES_PER_PAGE at a time — in the agent's own 1:1 chat only (never a channel, where
   * the card could be read by anyone), after their own helpdesk sign-in; each page the agent sees is audited.
   */
  async names(context: TurnContext, lang: Lang, group: string | undefined, page: number): Promise<void> {
    if (context.activity.conversation?.conversationType !== 'personal') {
      await context.sendActivity(t(lang, 'chat.readiness.namesPersonalOnly'));
      return;
    }
    if (!(await requireAgent(this.deps, context, lang, 'readinessReport'))) return;
    const grant = await this.deps.liveGrant(context);
    if (!isHelpdeskGrant(context.activity.from.aadObjectId, grant)) {
      await context.sendActivity(t(lang, 'chat.readiness.verifyFirst'));
      return this.deps.signIn(context, { lang, helpdesk: { action: 'readiness', query: `names|${group ?? ''}` } });
    }
    return this.showNames(context, lang, group, page);
  }

  /** "Show the next 20" on the names card. */
  async namesPressed(context: TurnContext, lang: Lang): Promise<void> {
    const parsed = namesSchema.safeParse(context.activity.value ?? {});
    if (!parsed.success) return;
    return this.names(context, lang, parsed.data.group || undefined, parsed.data.page);
  }

  private async showNames(context: TurnContext, lang: Lang, group: string | undefined, page: number): Promise<void> {
    const result = await this.read(context, lang, group);
    if (!result) return;
    const from = page * NAMES_PER_PAGE;
    const shown = result.phoneOnly.slice(from, from + NAMES_PER_PAGE);
    await this.deps.audit.append({
      id: randomUUID(),
      at: new Date().toISOString(),
      flowId: '',
      actorOid: context.activity.from.aadObjectId ?? '',
      channel: context.activity.channelId,
      action: 'readinessReport',
      steps: [],
      result: 'done',
      reason: `names: phone-only ${from + 1}-${from + shown.length} of ${result.phoneOnly.length}${result.group ? ` (group ${result.group})` : ''}`,
    });
    const card = this.deps.cards.build(
      'readiness-names',
      {
        title: t(lang, 'card.readinessNames.title', {
          total: result.phoneOnly.length,
          from: shown.length ? from + 1 : 0,
          to: from + shown.length,
        }),
        note: t(lang, 'card.readinessNames.note'),
        list: shown.map((p) => `- ${p.name} (${p.upn})`).join('\n'),
        more: from + shown.length < result.phoneOnly.length,
        group: result.group ?? '',
        next: String(page + 1),
        lang,
      },
      lang,
    );
    await context.sendActivity(MessageFactory.attachment(card));
  }

  private async show(context: TurnContext, lang: Lang, group: string | undefined): Promise<void> {
    const result = await this.read(context, lang, group);
    if (result)
      await context.sendActivity(MessageFactory.attachment(this.card(result.summary, result.asOf, lang, result.group)));
  }

  /** The report, or undefined after telling the agent why there is none. */
  private async read(context: TurnContext, lang: Lang, group: string | undefined) {
    let result: Awaited<ReturnType<ReadinessReports['report']>>;
    try {
      result = await this.deps.reports.report(group);
    } catch (err) {
      this.deps.logger.error({ err }, 'the readiness report could not be read');
      const forbidden = err instanceof GraphError && err.status === 403;
      await context.sendActivity(t(lang, forbidden ? 'chat.readiness.forbidden' : 'chat.readiness.failed'));
      return undefined;
    }
    if (!result.ok) {
      const key = result.why === 'no-group' ? 'chat.readiness.noGroup' : 'chat.readiness.manyGroups';
      await context.sendActivity(t(lang, key, { group: result.group }));
      return undefined;
    }
    return result;
  }

  private card(summary: ReadinessSummary, asOf: number, lang: Lang, group?: string) {
    const percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
    const share = (n: number) => percent.format(summary.total ? n / summary.total : 0);
    const label = (r: Readiness) => t(lang, 'card.readiness.kind', { kind: r.replace(/-/g, '') });
    const days = daysLeft((this.deps.now ?? Date.now)());
    return this.deps.cards.build(
      'readiness',
      {
        title: t(lang, 'card.readiness.title'),
        scope: group
          ? t(lang, 'card.readiness.scopeGroup', { group, total: summary.total })
          : t(lang, 'card.readiness.scopeAll', { total: summary.total }),
        chartTitle: t(lang, 'card.readiness.chart'),
        slices: ORDER.map((r) => ({ legend: label(r), value: summary.counts[r] })),
        facts: ORDER.map((r) => ({
          label: label(r),
          count: `${summary.counts[r]} (${share(summary.counts[r])})`,
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
        asOf: t(lang, 'card.readiness.asOf', { at: dateTime(asOf, this.deps.timeZone, lang) }),
      },
      lang,
    );
  }
}
