import { MessageFactory, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { CardBuilder } from '../cards/card-builder.js';
import type { Wish } from '../flow/flow.js';
import { carriedWish } from '../flow/flow.js';
import { namesPage, readinessReportView, readReport } from '../helpdesk/readiness-report-view.js';
import type { ReadinessReports } from '../helpdesk/readiness-reports.js';
import { type Lang, t } from '../i18n/i18n.js';
import type { Grant } from '../identity/step-up-service.js';
import type { ReadinessSummary } from '../readiness/registration-report.js';
import { type HelpdeskAccessDeps, isHelpdeskGrant, requireAgent } from './helpdesk-access.js';

const namesSchema = z.object({
  group: z.string().max(120).optional(),
  page: z.coerce.number().int().min(0).max(10_000),
});

export interface ReadinessDialogDeps extends HelpdeskAccessDeps {
  cards: CardBuilder;
  reports: ReadinessReports;
  liveGrant: (context: TurnContext) => Promise<Grant | undefined>;
  signIn: (context: TurnContext, wish: Wish) => Promise<void>;
  /** HELPDESK_TIME_ZONE: how the report's time is shown. */
  timeZone: string;
  now?: () => number;
}

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
    const query = carriedWish(grant)?.helpdesk?.query ?? '';
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
    const viewer = { oid: context.activity.from.aadObjectId ?? '', channel: context.activity.channelId };
    const { from, shown, more, audit } = namesPage(result, page, viewer);
    await this.deps.audit.append(audit);
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
        more,
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
    const result = await readReport(this.deps.reports, group, this.deps.logger);
    if (result.ok) return result;
    await context.sendActivity(t(lang, result.key, { group: result.group }));
    return undefined;
  }

  private card(summary: ReadinessSummary, asOf: number, lang: Lang, group?: string) {
    const now = (this.deps.now ?? Date.now)();
    return this.deps.cards.build(
      'readiness',
      readinessReportView({ summary, asOf, group, now, timeZone: this.deps.timeZone }, lang),
      lang,
    );
  }
}
