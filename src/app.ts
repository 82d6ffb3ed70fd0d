import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserState } from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import type { Server } from 'restify';
import { createReadinessWiring } from './app-readiness.js';
import { type SlackSide, startSlack } from './app-slack.js';
import type { AuditLog } from './audit/audit-log.js';
import { createAdapter, createBotAuthentication } from './bot/adapter.js';
import { ProofupBot } from './bot/proofup-bot.js';
import { CardBuilder } from './cards/card-builder.js';
import { handoffPresenterByChat, helpdeskChannelByChat, passPresenterByChat } from './channels/routed.js';
import type { SlackBot } from './channels/slack/slack-bot.js';
import { ConversationGateway } from './channels/teams/conversation-gateway.js';
import { TeamsHandoffPresenter } from './channels/teams/handoff-presenter.js';
import { TeamsHelpdeskChannel } from './channels/teams/helpdesk-channel.js';
import { TeamsPassPresenter } from './channels/teams/pass-presenter.js';
import { TeamsPresenter } from './channels/teams/teams-presenter.js';
import type { Config } from './config.js';
import { createStepUpService } from './create-step-up.js';
import { HandoffDialog } from './dialogs/handoff-dialog.js';
import { teamsPersonalChats } from './dialogs/helpdesk-access.js';
import { HelpdeskDialog } from './dialogs/helpdesk-dialog.js';
import { MainReplies } from './dialogs/main-replies.js';
import { PassDialog } from './dialogs/pass-dialog.js';
import { StepUpDialog } from './dialogs/step-up-dialog.js';
import { EscalationService, HelpdeskMembers } from './helpdesk/escalations.js';
import { HandoffService } from './helpdesk/handoffs.js';
import { HelpdeskGraph } from './helpdesk/helpdesk-graph.js';
import { PassService } from './helpdesk/passes.js';
import { ticketSinks } from './helpdesk/tickets.js';
import { undeliveredNoticeListener } from './helpdesk/undelivered-notices.js';
import { createVerifiedIdClient } from './helpdesk/verified-id.js';
import { InflightTracker } from './http/inflight.js';
import { buildServer } from './http/server.js';
import { SlackBindings } from './identity/slack-bindings.js';
import type { Logger } from './logging.js';
import type { EmailSender, SmsSender } from './messaging/senders.js';
import { Metrics } from './metrics/metrics.js';
import { routeFetchThroughProxy } from './net/outbound-proxy.js';
import { SlackBindingNotices } from './notify/slack-binding-notices.js';
import { e164Of } from './phone/phone-number.js';
import { RETENTION } from './retention.js';
import { createFlowRunner } from './runner/create-flow-runner.js';
import type { FlowEventListener } from './runner/flow-presenter.js';
import type { FlowRunner } from './runner/flow-runner.js';
import type { SweepResult } from './runner/flow-sweeper.js';
import { createStorage } from './storage/create-storage.js';
import { DeliveryDedupe } from './storage/dedupe.js';
import type { ProofupStorage } from './storage/store.js';

export interface AppOverrides {
  /** Outbound credentials; production uses botbuilder's configuration factory. Tests pass an offline one. */
  credentialsFactory?: ServiceClientCredentialsFactory;
  storage?: ProofupStorage;
  /** One more CA for the identity and Graph endpoints (the sandbox's self-signed certificate); TLS stays verified. */
  extraCaPem?: string;
  /** SMS and e-mail provider; production uses Azure Communication Services. The sandbox passes its outbox. */
  messaging?: SmsSender & EmailSender;
}

export interface App {
  server: Server;
  storage: ProofupStorage;
  audit: AuditLog;
  metrics: Metrics;
  runner: FlowRunner;
  /** Ends idle flows (telling their chats), resumes orphaned outboxes, purges old records (also runs on a timer). */
  sweep(): Promise<SweepResult>;
  /** Delivers what flows still owed when a previous process stopped (call once after start). */
  resume(): Promise<void>;
  listen(port: number, host: string): Promise<string>;
  /** Stop accepting, let turns in flight finish (up to the grace period), close storage. */
  close(): Promise<void>;
}

/** Wires the collaborators together. No I/O beyond opening storage; listen() is separate. */
export async function createApp(config: Config, logger: Logger, overrides: AppOverrides = {}): Promise<App> {
  // HTTPS_PROXY and NO_PROXY for every fetch() (Slack, tickets); undone when the app closes.
  const restoreFetch = routeFetchThroughProxy(config.network.proxy);
  const storage = overrides.storage ?? (await createStorage(config.storage));
  const inflight = new InflightTracker();
  const metrics = new Metrics(() => inflight.size);
  const auth = createBotAuthentication(config, overrides.credentialsFactory, {
    logger,
    extraCaPem: overrides.extraCaPem,
  });
  let bot: ProofupBot | undefined;
  const adapter = createAdapter(
    auth,
    logger,
    metrics,
    () => bot && ((context, ref) => bot?.turnErrorReply(context, ref) ?? Promise.resolve(undefined)),
  );
  const cards = new CardBuilder(config.paths.cards);
  const botAppId = config.profile === 'production' ? config.bot.appId : '';
  const replies = new MainReplies({ cards, userState: new UserState(storage), logger, botAppId });
  const slackBindings = new SlackBindings(storage);
  const stepUp = createStepUpService(config, storage, logger, slackBindings, overrides.extraCaPem);
  const gateway = new ConversationGateway(adapter, botAppId);
  const teams = new TeamsPresenter(cards, gateway, logger);
  let handoffs: HandoffService | undefined;
  let undeliveredNotices: FlowEventListener | undefined;
  const slackSide: SlackSide = {};
  const flows = await createFlowRunner(config, {
    storage,
    retained: RETENTION,
    stepUp,
    presenterFor: (channelId) => (channelId === 'slack' && slackSide.presenter ? slackSide.presenter : teams),
    logger,
    extraCaPem: overrides.extraCaPem,
    messaging: overrides.messaging,
    metrics,
    listeners: [
      (event) => metrics.flowEvents.inc({ event: event.name, reason: event.detail ?? '' }),
      (event) => handoffs?.onFlowEvent(event),
      (event) => undeliveredNotices?.(event),
    ],
  });
  const stepUpDialog = new StepUpDialog({
    stepUp,
    cards,
    logger,
    gateway,
    metrics,
    onVerified: (context, grant) => (bot as ProofupBot).onVerified(context, grant),
    slackChats: () =>
      slackSide.bot && {
        verified: (attempt, grant) => (slackSide.bot as SlackBot).verifiedInBrowser(attempt, grant),
        refused: (attempt, err) => (slackSide.bot as SlackBot).refusedInBrowser(attempt, err),
      },
    slackBindingRecords: {
      bound: (attempt, grant) => slackBindingNotices.bound(attempt, grant),
      refused: (attempt) => slackBindingNotices.refused(attempt),
    },
  });
  const slackBindingNotices = new SlackBindingNotices({
    audit: flows.audit,
    notifier: flows.notifier,
    bindings: slackBindings,
    logger,
  });
  const members = new HelpdeskMembers(flows.graph, config.helpdesk.groupId, logger);
  const helpdeskGraph = new HelpdeskGraph(flows.graph, config.helpdesk.teamsAppId ?? '');
  handoffs = new HandoffService({
    storage,
    graph: helpdeskGraph,
    audit: flows.audit,
    presenter: handoffPresenterByChat(new TeamsHandoffPresenter(cards, gateway), () => slackSide.helpdesk?.handoffs),
    slackChat: async (person) => slackSide.helpdesk?.chatOf(person),
    logger,
  });
  const personalChats = teamsPersonalChats(handoffs, stepUp, gateway);
  const escalations = new EscalationService({
    storage,
    audit: flows.audit,
    sinks: ticketSinks(config.helpdesk),
    members,
    channel: helpdeskChannelByChat(
      new TeamsHelpdeskChannel(cards, gateway, config.helpdesk.lang, config.helpdesk.timeZone),
      () => slackSide.helpdesk?.channel,
    ),
    ...(config.slack?.helpdeskChannel ? { slackChannelId: config.slack.helpdeskChannel } : {}),
    logger,
    count: (reason, outcome) => metrics.escalations.inc({ reason, outcome }),
    ...(config.helpdesk.channelId ? { channelId: config.helpdesk.channelId } : {}),
    ...(config.helpdesk.firstChannelIsHelpdesk ? { firstChannelIsHelpdesk: true } : {}),
  });
  undeliveredNotices = undeliveredNoticeListener({ escalations, graph: helpdeskGraph, logger });
  const helpdesk = new HelpdeskDialog({
    cards,
    escalations,
    audit: flows.audit,
    liveGrant: (context) => stepUpDialog.liveGrant(context),
    helpdeskContact: config.helpdeskContact,
    logger,
    handoffs,
    personalChats,
    signIn: (context, wish) => stepUpDialog.start(context, wish),
    limits: flows.limits,
  });
  const handoff = new HandoffDialog({
    cards,
    handoffs,
    graph: helpdeskGraph,
    members,
    audit: flows.audit,
    gateway,
    liveGrant: (context) => stepUpDialog.liveGrant(context),
    signIn: (context, wish) => stepUpDialog.start(context, wish),
    beginChange: (context, wish) => (bot as ProofupBot).beginChange(context, wish),
    recentRequesters: () => escalations.recentRequesters(),
    helpdeskContact: config.helpdeskContact,
    logger,
  });
  const verifiedId = createVerifiedIdClient(config, { extraCaPem: overrides.extraCaPem, logger });
  const passes = new PassService({
    storage,
    graph: helpdeskGraph,
    audit: flows.audit,
    presenter: passPresenterByChat(
      new TeamsPassPresenter(cards, gateway, config.helpdesk.lang, config.helpdesk.timeZone),
      () => slackSide.helpdesk?.passes,
    ),
    notify: async (request, repeatable) => {
      const info = await flows.graph.securityInfo(request.user.oid).catch(() => undefined);
      // Phones that can take a text (an office line cannot).
      const phones = [info?.phones.mobile, info?.phones.alternateMobile]
        .filter((p): p is string => Boolean(p))
        .map(e164Of);
      return flows.notifier.passIssued(
        {
          email: request.user.upn,
          name: request.user.name,
          agent: request.agent.name,
          phones: [...new Set(phones)],
          at: new Date(repeatable.firstSentAt),
          lang: config.helpdesk.lang,
        },
        repeatable,
      );
    },
    helpdeskChannel: (request) => escalations.channelFor(request.agentRef?.channelId),
    lifetimeMinutes: config.helpdesk.tap.lifetimeMinutes,
    secondAgent: config.helpdesk.tap.secondAgent,
    isAgent: (oid) => members.isAgent(oid),
    // Past every retry of one Graph call; settling earlier would still be safe (fenced), only noisier.
    settleAfterMs: 2 * config.graph.timeoutMs + 30_000,
    verification: config.helpdesk.tap.verification,
    count: (event) => metrics.helpdeskEvents.inc({ event }),
    // Their Teams chat as last seen, else their Slack DM (through the Slack user bound to them).
    personalChatOf: async (oid) => (await handoffs?.personalChatOf(oid)) ?? slackSide.helpdesk?.chatOf({ oid }),
    ...(verifiedId ? { verifiedId: { client: verifiedId, publicBaseUrl: config.stepUp.publicBaseUrl } } : {}),
    logger,
  });
  const passDialog = new PassDialog({
    cards,
    passes,
    graph: helpdeskGraph,
    gateway,
    members,
    audit: flows.audit,
    logger,
    ...(config.helpdesk.authContext ? { authContext: config.helpdesk.authContext } : {}),
    liveGrant: (context) => stepUpDialog.liveGrant(context),
    personalChats,
    signIn: (context, wish) => stepUpDialog.start(context, wish),
  });
  const flowOptions = {
    voice: Boolean(flows.calls),
    officePolicy: config.officePhonePolicy,
    readiness: config.readiness,
    deliveryRetryMs: config.deliveryRetryMs,
  };
  const readiness = createReadinessWiring(config, {
    storage,
    graph: flows.graph,
    helpdeskGraph,
    cards,
    gateway,
    members,
    audit: flows.audit,
    metrics,
    logger,
    liveGrant: (context) => stepUpDialog.liveGrant(context),
    signIn: (context, wish) => stepUpDialog.start(context, wish),
    seenChat: async (oid) => handoffs?.personalChatOf(oid),
    slack: () => slackSide.helpdesk,
    slackReminders: () => slackSide.helpdesk?.reminders,
  });
  bot = new ProofupBot(
    replies,
    stepUpDialog,
    flows.runner,
    logger,
    flows.audit,
    helpdesk,
    handoff,
    passDialog,
    flowOptions,
    readiness.readinessDialog,
    readiness.campaignDialog,
  );
  const dedupe = new DeliveryDedupe(storage);
  const slack = await startSlack(config, slackSide, {
    dedupe,
    stepUp,
    runner: flows.runner,
    logger,
    flowOptions,
    helpdeskContact: config.helpdeskContact,
    unlink: (slackUser) => slackBindingNotices.unlink(slackUser),
    escalations,
    handoffs,
    bindings: slackBindings,
    storage,
    limits: flows.limits,
    passes,
    graph: helpdeskGraph,
    audit: flows.audit,
    campaigns: readiness.campaigns,
    campaignPresenter: readiness.campaignPresenter,
    reports: readiness.reports,
    timeZone: config.helpdesk.timeZone,
    ...(config.helpdesk.authContext ? { authContext: config.helpdesk.authContext } : {}),
  });
  let shuttingDown = false;
  const sweep = async () => {
    const result = await flows.sweeper.sweep();
    await (handoffs as HandoffService)
      .expireDue()
      .catch((err) => logger.warn({ err }, 'expiring handoffs failed; the next sweep tries again'));
    await passes.sweep().catch((err) => logger.warn({ err }, 'sweeping passes failed; the next sweep tries again'));
    return result;
  };
  const sweeper = setInterval(() => {
    sweep().catch((err) => logger.warn({ err }, 'flow sweep failed'));
  }, config.sweepIntervalMs);
  sweeper.unref();
  const server = buildServer({
    adapter,
    bot,
    dedupe,
    ...(slack?.handle ? { slack: slack.handle } : {}),
    ...(slack?.installs ? { slackInstalls: { installer: slack.installs.installer, admit: slack.installs.admit } } : {}),
    stepUp,
    stepUpDialog,
    inflight,
    storage,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    authRateLimit: config.authRateLimit,
    ...(passes.page ? { passPage: passes.page } : {}),
    ...(config.profile === 'sandbox' && config.helpdesk.tap.verifiedId
      ? { sandboxWalletUrl: (id: string) => `${config.helpdesk.tap.verifiedId?.endpoint}/wallet/${id}` }
      : {}),
    isShuttingDown: () => shuttingDown,
    metrics,
    runner: flows.runner,
    ...(flows.calls ? { calls: flows.calls } : {}),
    // The sandbox listens on loopback only: its metrics need no token.
    metricsToken: config.profile === 'production' ? config.metricsToken : '',
  });

  return {
    server,
    metrics,
    storage,
    audit: flows.audit,
    runner: flows.runner,
    sweep,
    async resume() {
      try {
        // One instance per SQLite file (it holds the lock): any lease left in it belongs to a process that is gone.
        const resumed = await flows.runner.resumeAll(config.storage.kind === 'sqlite');
        if (resumed) logger.warn({ resumed }, 'delivered what flows owed from a previous run');
      } catch (err) {
        // They stay queued and the sweep retries; the bot still serves users.
        logger.error({ err }, 'could not resume flows left by a previous run');
      }
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          resolve(`http://${address.address}:${address.port}`);
        });
      });
    },
    async close() {
      if (shuttingDown) return;
      // 1. /readyz turns 503 and new requests are answered 503 (not reset) while the listener stays open: the load
      //    balancer sees it (SHUTDOWN_READY_DELAY_MS) and turns in flight finish (up to SHUTDOWN_GRACE_MS).
      shuttingDown = true;
      clearInterval(sweeper);
      readiness.stop();
      await slack?.stop().catch((err) => logger.warn({ err }, 'Slack Socket Mode did not stop cleanly'));
      const http = server.server as HttpServer;
      const started = Date.now();
      const drained = await inflight.drain(config.shutdownGraceMs);
      if (!drained) logger.warn({ inflight: inflight.size }, 'shutdown grace period ended with turns still running');
      const rest = config.shutdownReadyDelayMs - (Date.now() - started);
      if (rest > 0) await new Promise((r) => setTimeout(r, rest));
      // 2. Then the listener closes and the remaining (idle or refused) connections go.
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      http.closeIdleConnections();
      await Promise.race([stopped, new Promise((r) => setTimeout(r, 1000))]);
      http.closeAllConnections();
      await storage.close();
      restoreFetch();
      await flows.audit.close();
    },
  };
}
