import type { Request, Response } from 'restify';
import { ErrorCodes } from '../../errors.js';
import type { ProofupStorage } from '../../storage/store.js';
import { requestLogger } from '../request-log.js';

export interface HealthDeps {
  storage: ProofupStorage;
  isShuttingDown: () => boolean;
  readinessTimeoutMs?: number;
}

/** GET /healthz: the process is alive and serving HTTP. */
export function livenessHandler() {
  return async (_req: Request, res: Response): Promise<void> => {
    res.send(200, { status: 'ok' });
  };
}

/** GET /readyz: storage answers and we are not shutting down; otherwise 503 so the load balancer stops sending. */
export function readinessHandler(deps: HealthDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    if (deps.isShuttingDown()) {
      res.send(503, { status: 'shutting-down' });
      return;
    }
    const timeoutMs = deps.readinessTimeoutMs ?? 2000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        deps.storage.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`storage did not answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      res.send(200, { status: 'ready' });
    } catch (err) {
      requestLogger(req).warn(
        { code: ErrorCodes.STORAGE_UNAVAILABLE, reason: (err as Error).message },
        'readiness check failed',
      );
      res.send(503, { status: 'unavailable', code: ErrorCodes.STORAGE_UNAVAILABLE });
    } finally {
      clearTimeout(timer);
    }
  };
}
