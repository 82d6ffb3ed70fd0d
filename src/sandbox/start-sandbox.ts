import type { SandboxConfig } from '../config.js';
import type { Logger } from '../logging.js';
import { startPlayground } from './playground.js';

/** Everything the sandbox profile runs next to the bot. Returns one stop function. */
export async function startSandbox(
  config: SandboxConfig,
  botEndpoint: string,
  logger: Logger,
): Promise<() => Promise<void>> {
  if (!config.playground.enabled) {
    logger.info('Agents Playground disabled (PLAYGROUND=off)');
    return async () => {};
  }
  const playground = await startPlayground({
    botEndpoint,
    port: config.playground.port,
    env: config.playground.childEnv,
    logger,
  });
  logger.info({ url: playground.url }, `Open the Agents Playground at ${playground.url} and say "change my MFA phone"`);
  return playground.stop;
}
