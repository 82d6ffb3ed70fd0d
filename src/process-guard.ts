// No single request may end the process. A rejected promise nobody awaited (a library's async request handler that
// throws, as Bolt 5.1's HTTPReceiver did on a JSON `null` body) or an exception thrown from a callback is logged
// with a stable code and counted, and the process keeps serving everyone else. Requests Proofup knows to be
// dangerous are refused before they reach such code (channels/slack/slack-request-guard.ts); this is the net under it.
import type { Logger } from './logging.js';

export const UNHANDLED_REJECTION = 'PROOFUP_UNHANDLED_REJECTION';
export const UNCAUGHT_EXCEPTION = 'PROOFUP_UNCAUGHT_EXCEPTION';

export interface ProcessGuards {
  rejection: (reason: unknown) => void;
  exception: (err: Error) => void;
}

export function processGuards(logger: Logger, count: (kind: 'rejection' | 'exception') => void = () => {}) {
  return {
    rejection: (reason: unknown) => {
      count('rejection');
      logger.error(
        { err: reason, code: UNHANDLED_REJECTION },
        'unhandled promise rejection; the process keeps running',
      );
    },
    exception: (err: Error) => {
      count('exception');
      logger.error({ err, code: UNCAUGHT_EXCEPTION }, 'uncaught exception; the process keeps running');
    },
  } satisfies ProcessGuards;
}

/** Installs the guards on this process (once, at start). */
export function installProcessGuards(logger: Logger, count?: (kind: 'rejection' | 'exception') => void): void {
  const guards = processGuards(logger, count);
  process.on('unhandledRejection', guards.rejection);
  process.on('uncaughtException', guards.exception);
}
