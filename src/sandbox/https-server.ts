import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TlsMaterial } from './entra/tls.js';

export interface LoopbackHttpsServer {
  url: string;
  stop(): Promise<void>;
}

/** An HTTPS server on 127.0.0.1 with the sandbox certificate (port 0 = any free port). */
export async function listenHttps(
  tls: TlsMaterial,
  port: number,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<LoopbackHttpsServer> {
  const server = createServer({ key: tls.key, cert: tls.cert }, handler);
  // A port that is taken (EADDRINUSE) rejects here instead of crashing the process with an unhandled 'error'.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
