/** Rate limits for both apps. Behind Tor every request comes from tor's own address, so limits are keyed by what a request is about, never by address. */
import type { Request } from 'express';
import { rateLimit } from 'express-rate-limit';
import { AppError } from '../errors';

const rateLimited = () => new AppError('rate-limited', 'Too many requests. Wait a minute and try again.');

export function limiter(windowMs: number, limit: number, key: (req: Request) => string) {
  return rateLimit({
    windowMs,
    limit,
    keyGenerator: key,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    validate: { ip: false, trustProxy: false, xForwardedForHeader: false, keyGeneratorIpFallback: false },
    handler: (_req, _res, next) => next(rateLimited()),
  });
}
