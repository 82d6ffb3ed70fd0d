import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserState } from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import type { Server } from 'restify';
import type { AuditLog } from './audit/audit-log.js';
import { createAdapter, createBotAuthentication } from './bot/adapter.js';
import { ProofupBot } from './bot/proofup-bot.js';
import { CardBuilder } from './cards/card-builder.js';
import type { Config } from './config.js';
import { createSecurityInfo } from './dialogs/create-security-info.js';
import { MainReplies } from './dialogs/main-replies.js';
import { StepUpDialog } from './dialogs/step-up-dialog.js';
import { InflightTracker } from './http/inflight.js';
import { buildServer } from './http/server.js';
import { createStepUpService } from './identity/create-step-up.js';
import type { Logger } from './logging.js';
import type { EmailSender, SmsSender } from './messaging/senders.js';
import { createStorage } from './storage/create-storage.js';
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
  /** Ends security-info flows idle for 15 minutes, telling their chats (also runs every minute). */
  sweepIdleFlows(): Promise<number>;
  /** Finishes Graph plans a previous process left half-done (call once after start). */
  resumePlans(): Promise<void>;
  listen(port: number, host: string): Promise<string>;
  /** Stop accepting, let turns in flight finish (up to the grace period), close storage. */
  close(): Promise<void>;
}

/** Wires the collaborators together. No I/O beyond opening storage; listen() is separate. */
export function createApp(config: Config, logger: Logger, overrides: AppOverrides = {}): App {
  const storage = overrides.storage ?? createStorage(config.storage);
  const auth = createBotAuthentication(config, overrides.credentialsFactory);
  const adapter = createAdapter(auth, logger);
  const cards = new CardBuilder(config.paths.cards);
  const botAppId = config.profile === 'production' ? config.bot.appId : '';
  const replies = new MainReplies({ cards, userState: new UserState(storage), logger, botAppId });
  const stepUp = createStepUpService(config, storage, logger, overrides.extraCaPem);
  const securityInfo = createSecurityInfo(config, {
    storage,
    stepUp,
    cards,
    logger,
    extraCaPem: overrides.extraCaPem,
    messaging: overrides.messaging,
  });
  const stepUpDialog = new StepUpDialog({
    stepUp,
    cards,
    logger,
    botAppId,
    adapter,
    onVerified: (context, grant) => securityInfo.dialog.start(context, grant),
  });
  const bot = new ProofupBot(replies, stepUpDialog, securityInfo.dialog);
  const inflight = new InflightTracker();
  let shuttingDown = false;
  const sweepIdleFlows = () =>
    securityInfo.dialog.sweepIdle((reference, text) =>
      adapter.continueConversationAsync(botAppId, reference, async (context) => {
        await context.sendActivity(text);
      }),
    );
  const sweeper = setInterval(() => {
    sweepIdleFlows().catch((err) => logger.warn({ err }, 'idle-flow sweep failed'));
  }, 60_000);
  sweeper.unref();
  const server = buildServer({
    adapter,
    bot,
    stepUp,
    stepUpDialog,
    inflight,
    storage,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    authRateLimit: config.authRateLimit,
    isShuttingDown: () => shuttingDown,
  });

  return {
    server,
    storage,
    audit: securityInfo.audit,
    sweepIdleFlows,
    async resumePlans() {
      try {
        const resumed = await securityInfo.executor.resumeAll();
        if (resumed.length)
          logger.warn(
            { plans: resumed.map((p) => ({ id: p.id, status: p.status })) },
            'finished plans left by a previous run',
          );
      } catch (err) {
        // They stay on the active list and are retried at the next start; the bot still serves users.
        logger.error({ err }, 'could not finish plans left by a previous run');
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
      shuttingDown = true;
      clearInterval(sweeper);
      const http = server.server as HttpServer;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      http.closeIdleConnections(); // keep-alive sockets would otherwise keep accepting requests
      const drained = await inflight.drain(config.shutdownGraceMs);
      if (!drained) logger.warn({ inflight: inflight.size }, 'shutdown grace period ended with turns still running');
      http.closeIdleConnections();
      await Promise.race([stopped, new Promise((r) => setTimeout(r, 1000))]);
      http.closeAllConnections();
      await storage.close();
      await securityInfo.audit.close();
    },
  };
}
