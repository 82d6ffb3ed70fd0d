// The net under every request: an unhandled rejection or an uncaught exception is logged with its code and counted;
// nothing rethrows, so the process keeps running. (The Slack integration test shows the bodies that used to end it
// are now refused before Bolt sees them.)
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging.js';
import { processGuards, UNCAUGHT_EXCEPTION, UNHANDLED_REJECTION } from '../../src/process-guard.js';

describe('process guards', () => {
  it('log a rejection and an exception with their codes, count them, and do not throw', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      pretty: false,
      destination: { write: (l: string) => lines.push(l) > 0 } as unknown as NodeJS.WritableStream,
    });
    const counted: string[] = [];
    const guards = processGuards(logger, (kind) => counted.push(kind));
    expect(() => guards.rejection(new TypeError("Cannot read properties of null (reading 'ssl_check')"))).not.toThrow();
    expect(() => guards.exception(new Error('boom'))).not.toThrow();
    expect(counted).toEqual(['rejection', 'exception']);
    expect(lines.some((l) => l.includes(UNHANDLED_REJECTION) && l.includes('ssl_check'))).toBe(true);
    expect(lines.some((l) => l.includes(UNCAUGHT_EXCEPTION))).toBe(true);
  });

  it('installed in a real process, an unhandled rejection no longer ends it', () => {
    const script = `
      import { installProcessGuards } from './src/process-guard.ts';
      import { createLogger } from './src/logging.ts';
      installProcessGuards(createLogger({ level: 'info', pretty: false }));
      (async () => { throw new TypeError('from a request handler'); })();
      setTimeout(() => { process.stdout.write('still running\\n'); process.exit(0); }, 100);
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('../..', import.meta.url).pathname,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.stdout).toContain('still running');
    expect(run.stdout).toContain(UNHANDLED_REJECTION);
    expect(run.status).toBe(0);
  });
});
