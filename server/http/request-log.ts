/**
 * What the apps log of requests: metadata only (method, route pattern, status, a duration bucket).
 * The console logs a line per request. The intake does not: a line per request, in order, is a
 * timeline of reporters' actions once a log driver stamps the time (issue 13). It counts requests per
 * route and status instead and logs the counts once per interval; server errors still get a line
 * each, from the error middleware (errors.ts), without ids.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger';

const BUCKETS_MS = [10, 100, 1000, 10_000];

export function durationBucket(milliseconds: number): string {
  const bound = BUCKETS_MS.find((limit) => milliseconds < limit);
  return bound === undefined ? `>=${BUCKETS_MS.at(-1)}ms` : `<${bound}ms`;
}

/** Where the app mounts its API, for requests that left it through an error (Express resets their baseUrl). */
export const API_BASE = '/api/v1';

/** The pattern (`/api/v1/case/uploads/:uploadId`), never the concrete path with its ids. */
function routeOf(req: Request): string {
  if (!req.route) return 'unmatched';
  const base = req.baseUrl === '' && req.originalUrl.startsWith(`${API_BASE}/`) ? API_BASE : req.baseUrl;
  return `${base}${String(req.route.path)}`;
}

export type RequestLog = (req: Request, res: Response, next: NextFunction) => void;

/** One line per request: for the console, whose users are investigators. */
export function logEachRequest(logger: Logger): RequestLog {
  return (req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      logger.info('request', { method: req.method, route: routeOf(req), status: res.statusCode, duration: durationBucket(performance.now() - started) });
    });
    next();
  };
}

/** Counts per method, route and status, logged and reset by flush(); start() flushes at fixed times. */
export class RequestCounter {
  private readonly counts = new Map<string, { method: string; route: string; status: number; count: number }>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly logger: Logger) {}

  readonly middleware: RequestLog = (req, res, next) => {
    res.on('finish', () => {
      const route = routeOf(req);
      const key = `${req.method} ${route} ${res.statusCode}`;
      const entry = this.counts.get(key) ?? { method: req.method, route, status: res.statusCode, count: 0 };
      entry.count += 1;
      this.counts.set(key, entry);
    });
    next();
  };

  /** Logs one line per method, route and status seen since the last flush, in a fixed order. */
  flush(): void {
    const entries = [...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b));
    this.counts.clear();
    for (const [, { method, route, status, count }] of entries) this.logger.info('requests', { method, route, status, count });
  }

  /**
   * Flushes at every multiple of `intervalMs` since the epoch: with a day, at 00:00 UTC. Lines at
   * fixed times, not at times the requests chose, so a line dates nothing finer than its interval.
   */
  start(intervalMs: number, now: () => number = Date.now): void {
    this.stop();
    const tick = () => {
      this.flush();
      this.timer = setTimeout(tick, intervalMs - (now() % intervalMs));
      this.timer.unref();
    };
    this.timer = setTimeout(tick, intervalMs - (now() % intervalMs));
    this.timer.unref();
  }

  /**
   * Stops the interval. What was counted since the last flush is dropped, not logged: a line at
   * shutdown would date the requests before it more finely than the interval does.
   */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
