import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserState } from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import type { Server } from 'restify';
import { createAdapter, createBotAuthentication } from './bot/adapter.js';
import { ProofupBot } from './bot/proofup-bot.js';
import { CardBuilder } from './cards/card-builder.js';
import type { Config } from './config.js';
import { MainReplies } from './dialogs/main-replies.js';
import { StepUpDialog } from './dialogs/step-up-dialog.js';
import { InflightTracker } from './http/inflight.js';
import { buildServer } from './http/server.js';
import { createStepUpService } from './identity/create-step-up.js';
import type { Logger } from './logging.js';
import { createStorage } from './storage/create-storage.js';
import type { ProofupStorage } from './storage/store.js';

export interface AppOverrides {
  /** Outbound credentials; production uses botbuilder's configuration factory. Tests pass an offline one. */
  credentialsFactory?: ServiceClientCredentialsFactory;
  storage?: ProofupStorage;
  /** One more CA for the identity endpoints (the sandbox's self-signed certificate); TLS stays verified. */
  extraCaPem?: string;
}

export interface App {
  server: Server;
  storage: ProofupStorage;
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
  const stepUpDialog = new StepUpDialog({ stepUp, cards, logger, botAppId, adapter });
  const bot = new ProofupBot(replies, stepUpDialog);
  const inflight = new InflightTracker();
  let shuttingDown = false;
  const server = buildServer({
    adapter,
    bot,
    stepUp,
    stepUpDialog,
    inflight,
    storage,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    isShuttingDown: () => shuttingDown,
  });

  return {
    server,
    storage,
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
      const http = server.server as HttpServer;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      http.closeIdleConnections(); // keep-alive sockets would otherwise keep accepting requests
      const drained = await inflight.drain(config.shutdownGraceMs);
      if (!drained) logger.warn({ inflight: inflight.size }, 'shutdown grace period ended with turns still running');
      http.closeIdleConnections();
      await Promise.race([stopped, new Promise((r) => setTimeout(r, 1000))]);
      http.closeAllConnections();
      await storage.close();
    },
  };
}
