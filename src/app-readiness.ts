// Wiring of the readiness side of the helpdesk (app.ts stays the one place that builds the product): the readiness
// report and its names, reminder campaigns and their timer.
import type { ConversationReference, TurnContext } from 'botbuilder';
import type { AuditLog } from './audit/audit-log.js';
import type { CardBuilder } from './cards/card-builder.js';
import { campaignPresenterByChat } from './channels/routed.js';
import { TeamsCampaignPresenter } from './channels/teams/campaign-presenter.js';
import type { ConversationGateway } from './channels/teams/conversation-gateway.js';
import type { Config } from './config.js';
import { CampaignDialog } from './dialogs/campaign-dialog.js';
import { ReadinessDialog } from './dialogs/readiness-dialog.js';
import type { Wish } from './flow/flow.js';
import type { AuthMethodsClient } from './graph/auth-methods-client.js';
import { type CampaignPresenter, ReminderCampaigns } from './helpdesk/campaigns.js';
import type { HelpdeskMembers } from './helpdesk/escalations.js';
import type { HelpdeskGraph } from './helpdesk/helpdesk-graph.js';
import { reachPerson } from './helpdesk/reach.js';
import { ReadinessReports } from './helpdesk/readiness-reports.js';
import type { Grant } from './identity/step-up-service.js';
import type { Logger } from './logging.js';
import type { Metrics } from './metrics/metrics.js';
import type { ProofupStorage } from './storage/store.js';

/** How often running campaigns are given their next sends (the pace itself is REMINDERS_PER_MINUTE). */
const CAMPAIGN_TICK_MS = 2000;

export function createReadinessWiring(
  config: Pick<Config, 'helpdesk' | 'graph' | 'connectorTimeoutMs'>,
  deps: {
    storage: ProofupStorage;
    graph: Pick<AuthMethodsClient, 'call'>;
    helpdeskGraph: HelpdeskGraph;
    cards: CardBuilder;
    gateway: ConversationGateway;
    members: HelpdeskMembers;
    audit: AuditLog;
    metrics: Metrics;
    logger: Logger;
    liveGrant: (context: TurnContext) => Promise<Grant | undefined>;
    signIn: (context: TurnContext, wish: Wish) => Promise<void>;
    /** The person's 1:1 chat as the bot saw it from them, if it did. */
    seenChat: (oid: string) => Promise<Partial<ConversationReference> | undefined>;
    /** Slack, once on: the person's DM through their linked Slack user, and the reminder message there. */
    slack: () => { chatOf: (p: { oid: string }) => Promise<Partial<ConversationReference> | undefined> } | undefined;
    /** Slack's reminders and campaign messages (once Slack is on). */
    slackReminders: () => CampaignPresenter | undefined;
  },
) {
  const reports = new ReadinessReports(deps.graph, Date.now, (summary, at) =>
    deps.metrics.recordReadiness(summary, at),
  );
  const access = { members: deps.members, audit: deps.audit, logger: deps.logger };
  const presenter = campaignPresenterByChat(
    new TeamsCampaignPresenter(deps.cards, deps.gateway, config.helpdesk.lang, config.helpdesk.timeZone),
    deps.slackReminders,
  );
  const campaigns = new ReminderCampaigns({
    storage: deps.storage,
    reports,
    // Where the person talks to the bot wins: their Teams chat as seen from them, else their Slack DM (a linked Slack
    // user), else the bot installed for them in Teams.
    reach: async (person, from) => {
      const seen = await deps.seenChat(person.oid);
      const slack = seen ? undefined : await deps.slack()?.chatOf(person);
      if (slack) return { ok: true, reference: slack, installed: 'slack-dm' };
      return reachPerson(deps.helpdeskGraph, person, from, seen);
    },
    presenter,
    perMinute: config.helpdesk.remindersPerMinute,
    // Installing and finding the chat (two Graph calls) and the message itself, each to its timeout, and a margin.
    claimStaleMs: 2 * config.graph.timeoutMs + config.connectorTimeoutMs + 30_000,
    logger: deps.logger,
    count: (outcome) => deps.metrics.reminders.inc({ outcome }),
  });
  let ticking = false;
  const timer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    campaigns
      .tick()
      .catch((err) => deps.logger.warn({ err }, 'a reminder round failed; the next one goes on'))
      .finally(() => {
        ticking = false;
      });
  }, CAMPAIGN_TICK_MS);
  timer.unref();
  return {
    reports,
    campaigns,
    /** Routed by chat: a campaign asked for from Slack has its message in the agent's Slack DM. */
    campaignPresenter: presenter,
    readinessDialog: new ReadinessDialog({
      ...access,
      cards: deps.cards,
      reports,
      liveGrant: deps.liveGrant,
      signIn: deps.signIn,
      timeZone: config.helpdesk.timeZone,
    }),
    campaignDialog: new CampaignDialog({
      ...access,
      campaigns,
      presenter,
      liveGrant: deps.liveGrant,
      signIn: deps.signIn,
    }),
    stop: () => clearInterval(timer),
  };
}
