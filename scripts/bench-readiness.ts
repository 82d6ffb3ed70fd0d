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
import { exchange, personal, signInFromLastCard } from '../test/helpers/step-up-flow.js';
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
    return `readiness report, ${total} people, ${pages} pages: ${fresh.toFixed(0)} ms to read and count (simulated Graph on loopback HTTPS), ${cached.toFixed(1)} ms from the cache; heap +${((heapAfter - heapBefore) / 1_048_576).toFixed(1)} MB while reading (the Graph simulator runs in the same process)\n`;
  } finally {
    await bot.close();
  }
}

/**
 * A reminder campaign of `people` through the real bot (sandbox, in-process): an agent signs in, prepares and starts
 * it at REMINDERS_PER_MINUTE=600 (the most the configuration allows); prints the measured send rate.
 */
export async function benchCampaign(people: number): Promise<string> {
  const bot = await startTestBot({ profile: 'sandbox', env: { LOG_LEVEL: 'warn', REMINDERS_PER_MINUTE: '600' } });
  try {
    const workforce = bot.graph.registrations.workforce;
    workforce.splice(
      0,
      workforce.length,
      ...generateWorkforce(people * 6)
        .filter((w) => w.methodsRegistered.every((m) => /Phone$/.test(m)) && w.methodsRegistered.length > 0)
        .slice(0, people),
    );
    const chat = personal('a:bench-campaign');
    await exchange(bot, { ...chat, text: 'remind phone-only users' });
    await signInFromLastCard(bot, chat);
    const card = await bot.connector.waitFor(
      (c) => c.conversationId === chat.conversation.id && /Start reminders/.test(JSON.stringify(c.body)),
    );
    const campaignId = /"campaignId":"([0-9a-f-]{36})"/.exec(JSON.stringify(card.body))?.[1] as string;
    const total = Number(/Ready: (\d+) people/.exec(JSON.stringify(card.body))?.[1]);
    const sent = () =>
      bot.connector.calls.filter((c) => /Your sign-in needs a passkey/.test(JSON.stringify(c.body))).length;
    const t0 = performance.now();
    await bot.send(bot.activity({ ...chat, text: undefined, value: { action: 'campaign.start', campaignId } }));
    while (sent() < total) await new Promise((r) => setTimeout(r, 100));
    const seconds = (performance.now() - t0) / 1000;
    return `reminder campaign, ${total} people at REMINDERS_PER_MINUTE=600: ${seconds.toFixed(1)} s, ${((total / seconds) * 60).toFixed(0)} reminders/min measured (each: Graph install + chat lookup + one message, simulated on loopback)\n`;
  } finally {
    await bot.close();
  }
}
