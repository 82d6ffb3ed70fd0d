// Runs `npm start` (the sandbox: bot + Agents Playground) as a user would, on free ports, and finds the URL it prints.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/paths.js';
import { freePort } from './ports.js';

export interface SandboxProcess {
  playgroundUrl: string;
  botUrl: string;
  graphUrl: string;
  outboxUrl: string;
  auditPath: string;
  startupMs: number;
  output(): string;
  /** SIGTERM to the whole process group; resolves with everything printed once every process has let go. */
  stop(): Promise<string>;
}

/** `env`: more settings for this sandbox (e.g. SMS_ALLOWED_COUNTRIES). */
export async function startSandboxProcess(env: Record<string, string> = {}): Promise<SandboxProcess> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'proofup-e2e-'));
  const [port, playgroundPort, entraPort, graphPort, outboxPort, acsPort, verifiedIdPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const started = Date.now();
  const child: ChildProcess = spawn('npm', ['start'], {
    cwd: projectRoot(),
    detached: true, // own process group, so stop() reaches npm, the bot and the Playground
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.tmpdir(),
      PORT: String(port),
      PLAYGROUND_PORT: String(playgroundPort),
      SANDBOX_ENTRA_PORT: String(entraPort),
      SANDBOX_GRAPH_PORT: String(graphPort),
      OUTBOX_PORT: String(outboxPort),
      SANDBOX_ACS_PORT: String(acsPort),
      SANDBOX_VERIFIED_ID_PORT: String(verifiedIdPort),
      AUDIT_SQLITE_PATH: path.join(dataDir, 'audit.db'),
      SQLITE_PATH: path.join(dataDir, 'proofup.db'),
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const playgroundUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start printed no Playground URL in 90 s:\n${output}`)),
      90_000,
    );
    const poll = setInterval(() => {
      const url = /Open the Agents Playground at (http:\/\/\S+?)\s/.exec(output)?.[1];
      if (url) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(url);
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });

  return {
    playgroundUrl,
    botUrl: `http://127.0.0.1:${port}`,
    graphUrl: `https://127.0.0.1:${graphPort}`,
    outboxUrl: `http://127.0.0.1:${outboxPort}/`,
    auditPath: path.join(dataDir, 'audit.db'),
    startupMs: Date.now() - started,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(output);
        const force = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 10_000);
        // 'close' waits for the pipes: npm may die of the signal before the bot has finished shutting down.
        child.once('close', () => {
          clearTimeout(force);
          rmSync(dataDir, { recursive: true, force: true });
          resolve(output);
        });
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
      }),
  };
}
