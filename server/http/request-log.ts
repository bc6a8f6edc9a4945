/** Logs each request as metadata only: method, route pattern, status and a duration bucket. */
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger';

const BUCKETS_MS = [10, 100, 1000, 10_000];

export function durationBucket(milliseconds: number): string {
  const bound = BUCKETS_MS.find((limit) => milliseconds < limit);
  return bound === undefined ? `>=${BUCKETS_MS.at(-1)}ms` : `<${bound}ms`;
}

export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    res.on('finish', () => {
      // The pattern (`/api/v1/case/uploads/:uploadId`), never the concrete path with its ids.
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      logger.info('request', {
        method: req.method,
        route,
        status: res.statusCode,
        duration: durationBucket(performance.now() - started),
      });
    });
    next();
  };
}
