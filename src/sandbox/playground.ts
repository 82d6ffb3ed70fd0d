import { type ChildProcess, spawn } from 'node:child_process';
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
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.on('data', (c: Buffer) => log.debug(c.toString().trim()));
        resolve({ url: `http://127.0.0.1:${port}/`, stop: () => stopChild(child) });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => {
      output += c.toString();
      log.debug(c.toString().trim());
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new AppError(ErrorCodes.SANDBOX_START_FAILED, `Agents Playground exited (${code}): ${output.slice(-500)}`),
      );
    });
  });
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
