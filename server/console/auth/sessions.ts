/**
 * Console sessions: a random id in an HttpOnly, SameSite=Strict cookie, only its hash in the
 * database; replaced at every change of privilege; ended by idle and absolute timeouts.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { parseCookie } from 'cookie';
import type { NextFunction, Request, Response } from 'express';
import type { CandorConfig } from '../../../config/schema';
import type { Clock } from '../../clock';
import { AppError } from '../../errors';
import type { AccountRecord, AccountRole } from '../../storage/accounts-repository';
import type { SessionRecord, SessionStage } from '../../storage/sessions-repository';
import type { Storage } from '../../storage/index';

export const SESSION_COOKIE = 'candor_console';
export const CSRF_HEADER = 'x-candor-csrf';

export interface ConsoleSession extends SessionRecord {
  readonly account: AccountRecord;
  /** Minutes without a request after which the session ends; the console locks itself after as many idle minutes. */
  readonly idleMinutes: number;
}

export interface ConsoleLocals {
  session?: ConsoleSession;
}

const hashId = (id: string) => createHash('sha256').update(id).digest('hex');

/**
 * The value of the request's first cookie called `name`, exactly as sent: ours are base64url and
 * never percent-encoded, so a percent-encoded spelling of one is taken as it stands (and refused).
 */
export function cookieValue(req: Request, name: string): string | undefined {
  return parseCookie(req.headers.cookie ?? '', { decode: (value) => value })[name];
}

export class SessionManager {
  private readonly idleMs: number;
  private readonly maxMs: number;
  private readonly secure: boolean;

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    config: CandorConfig['console'],
  ) {
    this.idleMs = config.sessionIdleMinutes * 60_000;
    this.maxMs = config.sessionMaxHours * 3_600_000;
    this.secure = config.origin.startsWith('https:');
  }

  /** Starts a session for the account at `stage`, replacing the request's session if it had one. */
  start(res: Response, accountId: string, stage: SessionStage, replacing?: ConsoleSession): ConsoleSession {
    if (replacing !== undefined) this.storage.sessions.delete(replacing.idHash);
    const id = randomBytes(32).toString('base64url');
    const now = this.clock.now().getTime();
    // The absolute timeout counts from the password step, so climbing stages does not extend it.
    const createdAt = replacing?.accountId === accountId ? replacing.createdAt : now;
    const record = { idHash: hashId(id), accountId, stage, csrfToken: randomBytes(32).toString('base64url'), createdAt, lastSeenAt: now };
    this.storage.sessions.create(record);
    res.cookie(SESSION_COOKIE, id, { httpOnly: true, sameSite: 'strict', secure: this.secure, path: '/' });
    const account = this.storage.accounts.find(accountId);
    if (account === undefined) throw new AppError('unauthorized', 'Sign in first.');
    return { ...record, webauthnChallenge: null, account, idleMinutes: this.idleMs / 60_000 };
  }

  end(res: Response, session: ConsoleSession | undefined): void {
    if (session !== undefined) this.storage.sessions.delete(session.idHash);
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: this.secure, path: '/' });
  }

  /** The live session of a request, or undefined; touching it restarts the idle timer. */
  resolve(req: Request): ConsoleSession | undefined {
    const id = cookieValue(req, SESSION_COOKIE);
    if (id === undefined || !/^[\w-]{43}$/.test(id)) return undefined;
    const now = this.clock.now().getTime();
    this.storage.sessions.deleteExpired(now - this.idleMs, now - this.maxMs);
    const record = this.storage.sessions.find(hashId(id));
    if (record === undefined) return undefined;
    const account = this.storage.accounts.find(record.accountId);
    if (account === undefined || account.disabledOn !== null) {
      this.storage.sessions.delete(record.idHash);
      return undefined;
    }
    this.storage.sessions.touch(record.idHash, now);
    return { ...record, lastSeenAt: now, account, idleMinutes: this.idleMs / 60_000 };
  }

  /** Express middleware: puts the live session, if any, in `res.locals.session`. */
  load() {
    return (req: Request, res: Response<unknown, ConsoleLocals>, next: NextFunction): void => {
      const session = this.resolve(req);
      if (session !== undefined) res.locals.session = session;
      next();
    };
  }
}

export function sessionOf(res: Response<unknown, ConsoleLocals>): ConsoleSession {
  const session = res.locals.session;
  // The detail tells a client at the second step that its session ended, not that the code was wrong.
  if (session === undefined) throw new AppError('unauthorized', 'Sign in first.', { details: ['no-session'] });
  return session;
}

/** Needs a session at `stage` or beyond (a complete session also passes a `password` check). */
export function requireSession(stage: SessionStage) {
  return (_req: Request, res: Response<unknown, ConsoleLocals>, next: NextFunction): void => {
    const session = sessionOf(res);
    if (stage === 'complete' && session.stage !== 'complete') throw new AppError('unauthorized', 'Confirm your sign-in with your second factor first.');
    next();
  };
}

/** A one-time password must be replaced before the account does anything else. */
export function requirePasswordChanged(_req: Request, res: Response<unknown, ConsoleLocals>, next: NextFunction): void {
  if (sessionOf(res).account.mustChangePassword) {
    throw new AppError('forbidden', 'Choose your own password first.', { details: ['password-change-required'] });
  }
  next();
}

export function requireRole(role: AccountRole) {
  return (_req: Request, res: Response<unknown, ConsoleLocals>, next: NextFunction): void => {
    if (sessionOf(res).account.role !== role) throw new AppError('forbidden', `Only ${role === 'admin' ? 'administrators' : 'investigators'} may do this.`, { details: ['role'] });
    next();
  };
}

/**
 * Every state-changing request carries the session's CSRF token in a header, and JSON bodies only.
 * A cross-site page can neither read the token nor send a JSON body without a CORS preflight.
 */
export function requireCsrf(req: Request, res: Response<unknown, ConsoleLocals>, next: NextFunction): void {
  if (req.method === 'GET' || req.method === 'HEAD') {
    next();
    return;
  }
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json')) throw new AppError('forbidden', 'Requests must send JSON.', { details: ['csrf'] });
  const session = res.locals.session;
  if (session === undefined) {
    next();
    return;
  }
  const sent = Buffer.from(req.get(CSRF_HEADER) ?? '');
  const expected = Buffer.from(session.csrfToken);
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
    throw new AppError('forbidden', 'The request lacks the session’s CSRF token. Reload the page.', { details: ['csrf'] });
  }
  next();
}
