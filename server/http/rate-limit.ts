/** Rate limits for both apps. Behind Tor every request comes from tor's own address, so limits are keyed by what a request is about, never by address. */
import type { Request, Response } from 'express';
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
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    validate: { ip: false, trustProxy: false, xForwardedForHeader: false, keyGeneratorIpFallback: false },
    handler: (_req, _res, next) => next(rateLimited()),
  });
}
