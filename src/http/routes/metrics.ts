// GET /metrics: Prometheus text format. Behind a bearer token (METRICS_TOKEN) in production; the route does not
// exist without one. Labels hold no user data (see metrics/metrics.ts).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'restify';
import type { Metrics } from '../../metrics/metrics.js';

const digest = (v: string) => createHash('sha256').update(v).digest();

export function metricsHandler(metrics: Metrics, token: string) {
  const expected = digest(`Bearer ${token}`);
  return async (req: Request, res: Response): Promise<void> => {
    if (token && !timingSafeEqual(digest(req.header('authorization') ?? ''), expected)) {
      res.setHeader('www-authenticate', 'Bearer realm="proofup-metrics"');
      res.send(401, { error: 'Unauthorized' });
      return;
    }
    const body = await metrics.text();
    res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
    res.end(body);
  };
}
