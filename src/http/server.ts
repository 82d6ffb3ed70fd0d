import restify, { type Server } from 'restify';
import type { Logger } from '../logging.js';
import { SLACK_CONFIRM_PATH } from './auth-pages.js';
import { RateLimiter } from './rate-limit.js';
import { setRequestLogger } from './request-log.js';
import {
  type AuthRouteDeps,
  authCallbackHandler,
  authSlackCallbackHandler,
  authSlackConfirmHandler,
  authStartHandler,
  teamsScriptHandlers,
} from './routes/auth.js';
import { type CallRouteDeps, callEventsHandler } from './routes/calls.js';
import { type HealthDeps, livenessHandler, readinessHandler } from './routes/health.js';
import { type MessagesRouteDeps, messagesHandler } from './routes/messages.js';
import { metricsHandler } from './routes/metrics.js';
import { type SlackInstallRoutes, slackInstallHandlers } from './routes/slack-install.js';
import { type VerifyRouteDeps, verifyRoutes } from './routes/verify.js';

export interface ServerDeps extends MessagesRouteDeps, HealthDeps, AuthRouteDeps, CallRouteDeps, VerifyRouteDeps {
  /** Bolt's listener for POST /api/slack/events (Slack on, HTTP mode). */
  slack?: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void;
  /** OAuth installs of the Slack app: GET /slack/install and /slack/oauth_redirect. */
  slackInstalls?: Omit<SlackInstallRoutes, 'logger'>;
  logger: Logger;
  maxBodyBytes: number;
  authRateLimit: number;
  /** Bearer token for GET /metrics; '' = open (sandbox, loopback only); undefined = no /metrics route. */
  metricsToken?: string;
}

/** Builds the HTTP server with every route; does not listen (tests and index.ts decide where). */
export function buildServer(deps: ServerDeps): Server {
  const server = restify.createServer({ name: 'proofup', handleUncaughtExceptions: false });

  server.pre((req, res, next) => {
    const reqId = req.getId();
    setRequestLogger(req, deps.logger.child({ reqId }));
    res.setHeader('x-request-id', reqId);
    if (deps.isShuttingDown()) {
      res.setHeader('connection', 'close');
      // Draining: turns already running finish; anything new is refused cleanly (never reset), so the channel or
      // the load balancer sends it to another instance. /readyz says 503 too; /healthz stays 200 (alive).
      if (req.path() !== '/healthz' && req.path() !== '/readyz') {
        if (req.path() === '/api/messages')
          deps.metrics.turns.inc({ channel: 'other', outcome: 'refused_shutting_down' });
        res.setHeader('retry-after', '5');
        res.send(503, { error: 'ShuttingDown', message: 'This instance is shutting down. Retry shortly.' });
        return next(false);
      }
    }
    return next();
  });
  server.use(restify.plugins.bodyParser({ maxBodySize: deps.maxBodyBytes, mapParams: false }));

  server.post('/api/messages', messagesHandler(deps));
  // The Agents Playground (and some probes) check the endpoint with HEAD before sending activities.
  server.head('/api/messages', async (_req, res) => {
    res.send(204);
  });
  // Per client address and instance. A sign-in takes 2 requests; the default (300 per 5 minutes) leaves room for an
  // office behind one NAT address and still stops scripted hammering.
  const authLimiter = new RateLimiter(deps.authRateLimit, 5 * 60_000);
  const limitAuth: restify.RequestHandler = (req, res, next) => {
    const verdict = authLimiter.take(req.socket.remoteAddress ?? 'unknown');
    if (verdict.ok) return next();
    deps.logger
      .child({ reqId: req.getId() })
      .warn({ code: 'PROOFUP_RATE_LIMITED', path: req.path() }, 'sign-in requests rate-limited');
    res.setHeader('retry-after', String(verdict.retryAfterSeconds));
    res.send(429, {
      error: 'TooManyRequests',
      message: 'Too many sign-in requests from this address. Try again in a few minutes.',
    });
    return next(false);
  };
  // Call Automation's webhook: only ACS-signed events are read (401 otherwise).
  server.post('/api/calls/events', callEventsHandler(deps));
  server.get('/auth/start', limitAuth, authStartHandler(deps));
  server.get('/auth/callback', limitAuth, authCallbackHandler(deps));
  server.get('/auth/slack/callback', limitAuth, authSlackCallbackHandler(deps));
  server.post(SLACK_CONFIRM_PATH, limitAuth, authSlackConfirmHandler(deps));
  const scripts = teamsScriptHandlers();
  server.get('/auth/teams-js.js', scripts.teamsJs);
  server.get('/auth/teams-complete.js', scripts.complete);
  // The pass page of the Verified ID way and Verified ID's callback (api-key of the presentation, else 401).
  const verify = verifyRoutes(deps);
  server.get('/verify/page.js', verify.script);
  server.get('/verify/:id', limitAuth, verify.page);
  server.get('/verify/:id/status', verify.status);
  server.post('/api/verifiedid/callback', verify.callback);
  server.get('/healthz', livenessHandler());
  server.get('/readyz', readinessHandler(deps));
  if (deps.metricsToken !== undefined) server.get('/metrics', metricsHandler(deps.metrics, deps.metricsToken));

  if (deps.slack) routeSlackAroundRestify(server, deps.slack, deps.isShuttingDown);
  if (deps.slackInstalls) {
    const install = slackInstallHandlers({ ...deps.slackInstalls, logger: deps.logger });
    server.get('/slack/install', limitAuth, async (req, res) => {
      await install.start(req, res);
    });
    server.get('/slack/oauth_redirect', limitAuth, async (req, res) => {
      await install.callback(req, res);
    });
  }

  server.on('restifyError', (req, _res, err, callback) => {
    // 4xx from restify itself (body too large, unsupported media type, unknown route): log without the body.
    deps.logger.child({ reqId: req.getId() }).warn({ status: err.statusCode, reason: err.message }, 'request refused');
    return callback();
  });
  return server;
}

/**
 * POST /api/slack/events goes to Bolt's own listener, around restify: the signature is over the raw body (no body
 * parser may read it first) and Bolt answers asynchronously (restify would close the request with a 500). While
 * shutting down it goes through restify like everything else (503).
 */
function routeSlackAroundRestify(
  server: Server,
  slack: NonNullable<ServerDeps['slack']>,
  isShuttingDown: () => boolean,
): void {
  const http = server.server;
  const restifyListeners = http.listeners('request') as ((req: unknown, res: unknown) => void)[];
  http.removeAllListeners('request');
  http.on('request', (req, res) => {
    if (req.method === 'POST' && req.url?.split('?')[0] === '/api/slack/events' && !isShuttingDown())
      return slack(req, res);
    for (const listener of restifyListeners) listener.call(http, req, res);
  });
}
