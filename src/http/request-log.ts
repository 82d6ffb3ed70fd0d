import type { Request } from 'restify';
import type { Logger } from '../logging.js';

const loggers = new WeakMap<Request, Logger>();

/** The per-request child logger (it carries reqId). Set once by the server's first handler. */
export function setRequestLogger(req: Request, logger: Logger): void {
  loggers.set(req, logger);
}

export function requestLogger(req: Request, fallback?: Logger): Logger {
  const log = loggers.get(req) ?? fallback;
  if (!log) throw new Error('request logger was not set: is the server built with buildServer()?');
  return log;
}
