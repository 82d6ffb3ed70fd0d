// Wiring only: configuration, logger, app, listen, sandbox helpers, clean shutdown.

import type { AppOverrides } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { ErrorCodes, isAppError } from './errors.js';
import { createLogger } from './logging.js';
import { installProcessGuards } from './process-guard.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Proofup cannot start. ${err.message}\nSee .env.example for every variable.\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel, pretty: config.profile === 'sandbox' });
  // Opened first: a second Proofup on the same SQLite file must stop here, before it binds any port.
  const { createStorage } = await import('./storage/create-storage.js');
  let storage: Awaited<ReturnType<typeof createStorage>>;
  try {
    storage = await createStorage(config.storage);
  } catch (err) {
    if (isAppError(err, ErrorCodes.STORAGE_LOCKED)) {
      process.stderr.write(`Proofup cannot start: ${err.code}: ${err.message}\n`);
      process.exit(73); // EX_CANTCREAT
    }
    throw err;
  }
  const stops: (() => Promise<void>)[] = [];
  // Loaded only in the sandbox profile: production never imports src/sandbox.
  const sandbox = config.profile === 'sandbox' ? await import('./sandbox/start-sandbox.js') : undefined;
  let overrides: AppOverrides = { storage };
  if (sandbox && config.profile === 'sandbox') {
    const services = await sandbox.startSandboxServices(config, logger);
    overrides = { storage, extraCaPem: services.caPem, messaging: services.outbox };
    stops.push(services.stop);
  }

  // Imported after the configuration is known good, so a bad configuration fails fast (no botbuilder load).
  const { createApp } = await import('./app.js');
  const app = await createApp(config, logger, overrides);
  installProcessGuards(logger, (kind) => app.metrics.unhandledErrors.inc({ kind }));
  await app.resume();
  const url = await app.listen(config.port, config.host);
  logger.info({ profile: config.profile, url }, `Proofup bot listening on ${url}/api/messages`);
  if (sandbox && config.profile === 'sandbox') {
    stops.push(await sandbox.startSandboxPlayground(config, `${url}/api/messages`, logger));
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    for (const stop of stops) await stop().catch((err) => logger.warn({ err }, 'sandbox stop failed'));
    await app.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`Proofup failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
