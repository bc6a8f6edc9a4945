/** Rate limits for both apps. Behind Tor every request comes from tor's own address, so limits are keyed by what a request is about, never by address. */
import type { NextFunction, Request, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { AppError } from '../errors';

const rateLimited = () => new AppError('rate-limited', 'Too many requests. Wait a minute and try again.');

export interface LimiterOptions {
  /** Requests this answers true for are neither counted nor refused. */
  readonly skip?: (req: Request, res: Response) => boolean;
}

export function limiter(windowMs: number, limit: number, key: (req: Request, res: Response) => string, options: LimiterOptions = {}) {
  return rateLimit({
    windowMs,
    limit,
    keyGenerator: key,
    ...(options.skip === undefined ? {} : { skip: options.skip }),
    // Draft 7's headers: draft 8 adds `pk`, a hash of the limiter's key (a case id, a user name), a
    // stable value about the requester in every answer, which nobody needs.
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    validate: { ip: false, trustProxy: false, xForwardedForHeader: false, keyGeneratorIpFallback: false },
    handler: (_req, _res, next) => next(rateLimited()),
  });
}

/**
 * At most `max` requests about one key at a time; one more is refused at once (429). The count goes
 * down when a request's answer is finished or its connection closes, so the map holds only keys
 * with requests under way.
 */
export function concurrencyLimit(max: number, key: (req: Request, res: Response) => string) {
  const underWay = new Map<string, number>();
  return (req: Request, res: Response, next: NextFunction): void => {
    const name = key(req, res);
    const count = underWay.get(name) ?? 0;
    if (count >= max) {
      next(new AppError('rate-limited', 'Too many requests at once. Send them one after another.'));
      return;
    }
    underWay.set(name, count + 1);
    res.once('close', () => {
      const left = (underWay.get(name) ?? 1) - 1;
      if (left === 0) underWay.delete(name);
      else underWay.set(name, left);
    });
    next();
  };
}
