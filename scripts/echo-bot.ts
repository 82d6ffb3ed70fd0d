// The yardstick for `npm run bench`: a bare botbuilder 4.23 + restify 11 bot (CloudAdapter, no Proofup code) with the
// SAME inbound JWT checks, outbound credentials and connector as Proofup's bench; answers every message with one
// text. Not product code.
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import restify from 'restify';
import { loadConfig } from '../src/config.js';
import { OfflineCredentialsFactory } from '../test/helpers/offline-credentials.js';

// Only the configuration loader is Proofup's (same variables, same local issuer); the bot is botbuilder's own.
const config = loadConfig(process.env, { loopbackChannelForTests: true }); // the bench's local issuer is http
if (config.profile !== 'production') throw new Error('the echo bot runs the production profile');
const adapter = new CloudAdapter(
  new ConfigurationBotFrameworkAuthentication(
    config.bot.frameworkSettings,
    await OfflineCredentialsFactory.create(config.bot.appId),
  ),
);
const bot = new ActivityHandler();
bot.onMessage(async (context, next) => {
  await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
  await next();
});
const server = restify.createServer();
server.use(restify.plugins.bodyParser({ mapParams: false }));
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, (context) => bot.run(context));
});
server.listen(config.port, '127.0.0.1', () => process.stdout.write(`READY http://127.0.0.1:${config.port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
