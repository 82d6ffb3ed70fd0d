// The readiness report for a large directory: the simulated Entra ID and Graph (the sandbox's, in-process), Graph
// listing 10,000 generated people (100 per page, as Graph does), Proofup's own Graph client and report reader. Prints
// the time to read and count every page (HTTPS round trips on loopback included), the same again from the cache, and
// the heap the report held. Numbers, no pass/fail.
import pino from 'pino';
import { AppTokenProvider, appTokenOptions } from '../src/graph/app-token.js';
import { AuthMethodsClient } from '../src/graph/auth-methods-client.js';
import { ReadinessReports } from '../src/helpdesk/readiness-reports.js';
import { HttpsClient } from '../src/identity/https-client.js';
import { generateWorkforce } from '../src/sandbox/graph/registration-endpoints.js';
import { startTestBot } from '../test/helpers/test-bot.js';

export async function benchReadiness(people: number): Promise<string> {
  const bot = await startTestBot({ profile: 'sandbox', env: { LOG_LEVEL: 'warn' } });
  try {
    const workforce = bot.graph.registrations.workforce;
    workforce.splice(0, workforce.length, ...generateWorkforce(people));
    const logger = pino({ level: 'silent' });
    const http = new HttpsClient({ extraCaPem: bot.caPem });
    const tokens = new AppTokenProvider(appTokenOptions(bot.config.stepUp, bot.config.graph.baseUrl), http, logger);
    const graph = new AuthMethodsClient({ baseUrl: bot.config.graph.baseUrl, http, token: tokens.token, logger });
    const reports = new ReadinessReports(graph);
    await tokens.token(); // the token is not what is measured
    globalThis.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const result = await reports.report();
    const fresh = performance.now() - t0;
    const heapAfter = process.memoryUsage().heapUsed;
    const t1 = performance.now();
    await reports.report();
    const cached = performance.now() - t1;
    const pages = bot.graph.requests.filter((r) => r.path.includes('userRegistrationDetails')).length;
    const total = result.ok ? result.summary.total : 0;
    return `readiness report, ${total} people, ${pages} pages: ${fresh.toFixed(0)} ms to read and count (simulated Graph on loopback HTTPS), ${cached.toFixed(1)} ms from the cache; heap +${((heapAfter - heapBefore) / 1_048_576).toFixed(1)} MB held by the report\n`;
  } finally {
    await bot.close();
  }
}
