import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { AppError, ErrorCodes } from '../errors.js';
import type { Logger } from '../logging.js';

export interface PlaygroundOptions {
  botEndpoint: string;
  port: number;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  startTimeoutMs?: number;
}

export interface RunningPlayground {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the Microsoft 365 Agents Playground (a local Teams-like client) as a child process, offline: no browser
 * auto-open, telemetry off. Resolves with the URL it really listens on (it picks another port if ours is taken).
 */
export function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const cli = createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js');
  const args = [cli, '-e', options.botEndpoint, '-c', 'msteams', '--dt', '-p', String(options.port)];
  const child: ChildProcess = spawn(process.execPath, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = options.logger.child({ component: 'playground' });

  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new AppError(ErrorCodes.SANDBOX_START_FAILED, `Agents Playground did not start: ${output.slice(-500)}`));
    }, options.startTimeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /Listening on (\d+)/.exec(output)?.[1];
      if (port) {
        child.stdout?.off('data', onData);
        child.stdout?.on('data', (c: Buffer) => log.debug(c.toString().trim()));
        const url = `http://127.0.0.1:${port}/`;
        // It prints "Listening" before it has read its config; a bad config makes it close again. Ask it.
        waitUntilServing(url, child).then(
          () => {
            clearTimeout(timer);
            resolve({ url, stop: () => stopChild(child) });
          },
          (err: Error) => {
            clearTimeout(timer);
            child.kill('SIGTERM');
            reject(new AppError(ErrorCodes.SANDBOX_START_FAILED, `${err.message} (see ${logFile(options.env)})`));
          },
        );
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => {
      output += c.toString();
      log.debug(c.toString().trim());
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      const reason = lastErrorIn(logFile(options.env)) ?? output.slice(-500);
      reject(new AppError(ErrorCodes.SANDBOX_START_FAILED, `Agents Playground exited (${code}): ${reason}`));
    });
  });
}

/** The Playground writes why it failed to its log file, not to stdout. */
function lastErrorIn(file: string): string | undefined {
  try {
    const lines = readFileSync(file, 'utf8').split('\n');
    return lines.reverse().find((line) => line.startsWith('error Reason:'));
  } catch {
    return undefined; // no log file yet: the caller falls back to stdout
  }
}

function logFile(env: NodeJS.ProcessEnv): string {
  return env.M365_AGENTS_PLAYGROUND_LOGFILE ?? './devTools/m365agentsplayground.log';
}

async function waitUntilServing(url: string, child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Agents Playground exited with code ${child.exitCode}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`Agents Playground does not answer at ${url}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
