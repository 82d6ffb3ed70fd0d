import type { SandboxConfig } from '../config.js';
import type { Logger } from '../logging.js';
import { EntraSimulator } from './entra/entra-simulator.js';
import { ensureSandboxCertificate } from './entra/tls.js';
import { startPlayground } from './playground.js';

export interface SandboxIdentity {
  /** The sandbox certificate, trusted by the bot's identity client as an extra CA. */
  caPem: string;
  stop(): Promise<void>;
}

/** The simulated Entra ID on loopback HTTPS, registered with the bot's sandbox client id, secret and redirect URI. */
export async function startSandboxEntra(config: SandboxConfig, logger: Logger): Promise<SandboxIdentity> {
  const tls = await ensureSandboxCertificate(config.sandboxEntra.tlsDir);
  const simulator = new EntraSimulator(
    tls,
    {
      clientId: config.stepUp.clientId,
      clientSecret: config.stepUp.clientSecret,
      redirectUris: [`${config.stepUp.publicBaseUrl}/auth/callback`],
    },
    { tenantId: config.stepUp.tenantId },
  );
  const url = await simulator.start(config.sandboxEntra.port);
  logger.info({ url }, `Sandbox Entra ID (simulated sign-in) on ${url}`);
  return { caPem: tls.cert, stop: () => simulator.stop() };
}

/** The Agents Playground next to the bot. Returns its stop function. */
export async function startSandboxPlayground(
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
