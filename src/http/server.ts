import restify, { type Server } from 'restify';
import type { Logger } from '../logging.js';
import { setRequestLogger } from './request-log.js';
import { type AuthRouteDeps, authCallbackHandler, authStartHandler, teamsScriptHandlers } from './routes/auth.js';
import { type HealthDeps, livenessHandler, readinessHandler } from './routes/health.js';
import { type MessagesRouteDeps, messagesHandler } from './routes/messages.js';

export interface ServerDeps extends MessagesRouteDeps, HealthDeps, AuthRouteDeps {
  logger: Logger;
  maxBodyBytes: number;
}

/** Builds the HTTP server with every route; does not listen (tests and index.ts decide where). */
export function buildServer(deps: ServerDeps): Server {
  const server = restify.createServer({ name: 'proofup', handleUncaughtExceptions: false });

  server.pre((req, res, next) => {
    const reqId = req.getId();
    setRequestLogger(req, deps.logger.child({ reqId }));
    res.setHeader('x-request-id', reqId);
    if (deps.isShuttingDown()) res.setHeader('connection', 'close');
    return next();
  });
  server.use(restify.plugins.bodyParser({ maxBodySize: deps.maxBodyBytes, mapParams: false }));

  server.post('/api/messages', messagesHandler(deps));
  // The Agents Playground (and some probes) check the endpoint with HEAD before sending activities.
  server.head('/api/messages', async (_req, res) => {
    res.send(204);
  });
  server.get('/auth/start', authStartHandler(deps));
  server.get('/auth/callback', authCallbackHandler(deps));
  const scripts = teamsScriptHandlers();
  server.get('/auth/teams-js.js', scripts.teamsJs);
  server.get('/auth/teams-complete.js', scripts.complete);
  server.get('/healthz', livenessHandler());
  server.get('/readyz', readinessHandler(deps));

  server.on('restifyError', (req, _res, err, callback) => {
    // 4xx from restify itself (body too large, unsupported media type, unknown route): log without the body.
    deps.logger.child({ reqId: req.getId() }).warn({ status: err.statusCode, reason: err.message }, 'request refused');
    return callback();
  });
  return server;
}
