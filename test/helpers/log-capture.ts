import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logging.js';

/** Every line captured in this test file; test/setup/leak-guard.ts scans them after the file's tests. */
export const allCapturedLines: string[] = [];

/** A real pino logger whose JSON lines are kept in memory, so tests can assert on them (and scan them for leaks). */
export function captureLogs(level = 'debug'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      const added = chunk.toString().split('\n').filter(Boolean);
      lines.push(...added);
      allCapturedLines.push(...added);
      callback();
    },
  });
  return { logger: createLogger({ level, pretty: false, destination }), lines };
}
