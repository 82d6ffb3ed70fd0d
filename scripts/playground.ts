// A second Agents Playground against the sandbox that is already running (`npm start`), as another sandbox person:
//   npm run playground -- adele            (Playground on 56151, bot on 3978)
//   PORT=4000 npm run playground -- adele --port 56160
// The Playground 0.2.28 has no user menu, so playing two people (an agent and the person they hand off to) takes two
// Playgrounds. Ctrl+C stops it.
import path from 'node:path';
import { pino } from 'pino';
import { projectRoot } from '../src/paths.js';
import { startPlayground } from '../src/sandbox/playground.js';
import { PLAYGROUND_USERS, playgroundConfigFor } from '../src/sandbox/playground-user.js';

const args = process.argv.slice(2);
const user = (args.find((a) => !a.startsWith('--')) ?? '').toLowerCase();
const portArg = args.indexOf('--port');
if (!PLAYGROUND_USERS.includes(user)) {
  process.stderr.write(`Usage: npm run playground -- <${PLAYGROUND_USERS.join('|')}> [--port 56151]\n`);
  process.exit(2);
}
const root = projectRoot();
const data = path.join(root, 'data');
const port = portArg >= 0 ? Number(args[portArg + 1]) : 56151;
const botEndpoint = `http://127.0.0.1:${process.env.PORT ?? '3978'}/api/messages`;
const logger = pino({ level: 'info' });
const playground = await startPlayground({
  botEndpoint,
  port,
  env: {
    ...process.env,
    TEAMSAPPTESTER_BROWSER: 'none',
    M365_AGENTS_PLAYGROUND_LOGFILE: path.join(data, `playground-${user}.log`),
    M365_AGENTS_PLAYGROUND_CONFIG_PATH: playgroundConfigFor(user, path.join(root, '.m365agentsplayground.yml'), data),
  },
  logger,
});
process.stdout.write(`Open the Agents Playground at ${playground.url} (you are ${user}; the bot is ${botEndpoint})\n`);
const stop = () => void playground.stop().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
