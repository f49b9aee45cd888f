import type { RequestHandler } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Metrics } from '../observability/metrics.js';
import { ErrorCode } from '../graphql/error-code.js';

export const METRICS_PATH = '/metrics';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * GET /metrics in Prometheus's text format, for a scraper that sends `Authorization: Bearer
 * <METRICS_TOKEN>`. Without a token configured nothing is mounted (404): metrics tell a stranger
 * how busy the service is and which operations its clients run.
 */
export function metricsEndpoint(metrics: Metrics, token: string | undefined): RequestHandler {
  const expected = token === undefined ? undefined : digest(`Bearer ${token}`);
  return (req, res, next) => {
    if (expected === undefined || req.path !== METRICS_PATH || req.method !== 'GET') return next();
    // Digests are compared, in constant time: a length mismatch tells nothing either.
    if (!timingSafeEqual(digest(req.headers.authorization ?? ''), expected)) {
      res
        .status(401)
        .set('www-authenticate', 'Bearer realm="metrics"')
        .json({
          errors: [{ message: 'A valid metrics token is required', extensions: { code: ErrorCode.UNAUTHENTICATED } }],
        });
      return;
    }
    metrics.exposition().then((text) => res.type(metrics.contentType).send(text), next);
  };
}
