import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logging.js';

/** A real pino logger whose JSON lines are kept in memory, so tests can assert on them (and scan them for leaks). */
export function captureLogs(level = 'debug'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      callback();
    },
  });
  return { logger: createLogger({ level, pretty: false, destination }), lines };
}
