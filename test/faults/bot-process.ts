// One real Proofup process for the fault suite: the production app (createApp, production profile, real storage,
// real ACS senders) with only two test seams — outbound Bot Framework credentials signed offline (no Entra for the
// channel), and one more trusted CA for the simulated Entra ID and Graph. It can be killed with SIGKILL at any time.
import { readFileSync } from 'node:fs';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logging.js';
import { OfflineCredentialsFactory } from '../helpers/offline-credentials.js';

// A machine whose clock is off (FAULT_CLOCK_OFFSET_MS): every Date.now() of this process, as an NTP-less VM would.
const offset = Number(process.env.FAULT_CLOCK_OFFSET_MS ?? 0);
if (offset) {
  const realNow = Date.now.bind(Date);
  Date.now = () => realNow() + offset;
}

const config = loadConfig(process.env, { loopbackChannelForTests: true }); // the local test issuer is http
if (config.profile !== 'production') throw new Error('the fault suite runs the production profile');
const logger = createLogger({ level: config.logLevel, pretty: false });
const app = await createApp(config, logger, {
  credentialsFactory: await OfflineCredentialsFactory.create(config.bot.appId),
  extraCaPem: readFileSync(process.env.FAULT_CA_FILE ?? '', 'utf8'),
});
await app.resume();
const url = await app.listen(config.port, '127.0.0.1');
process.stdout.write(`READY ${url}\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
