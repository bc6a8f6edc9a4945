/** Signing in (password, then a second factor) and out. */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { AppError } from '../../errors';
import { limiter } from '../../http/rate-limit';
import { parseInput } from '../../http/validate';
import type { AccountRecord } from '../../storage/accounts-repository';
import { hashPassword, verifyPassword } from '../auth/password';
import { requireSession, sessionOf, type ConsoleLocals, type ConsoleSession } from '../auth/sessions';
import type { Attempt } from '../auth/sign-in-guard';
import { codeRequestSchema, signInRequestSchema, webAuthnSignInRequestSchema } from '../../../protocol/console-api/session';
import type { ConsoleRouteDeps } from './deps';

type Res = Response<unknown, ConsoleLocals>;

/** A well-formed sign-in request, read once before the limiters. */
interface SignInRequest {
  readonly username: string;
  readonly password: string;
  readonly account: AccountRecord | undefined;
  /** The hash of the browser's device cookie, when the account trusts that device. */
  readonly trustedDevice: string | undefined;
}

const wrongCredentials = () => new AppError('unauthorized', 'The user name or password is wrong.');
const normalUsername = (raw: string) => raw.trim().toLowerCase();

/** Finishes a sign-in: counts reset, the browser trusted, the audit entry; returns the new `complete` session. */
export function completeSignIn({ sessions, guard }: ConsoleRouteDeps, res: Res, session: ConsoleSession, attempt: Attempt, factor: string): ConsoleSession {
  guard.completed(res, session.account, attempt, factor);
  return sessions.start(res, session.accountId, 'complete', session);
}

export function sessionRouter(deps: ConsoleRouteDeps): Router {
  const { accounts, sessions, relyingParty, guard } = deps;
  const router = Router();
  // Compared against when the user name is unknown, so both cases take the same scrypt time.
  const unknownUserHash = hashPassword('no account has this password');

  /**
   * Reads the sign-in before any limiter counts it, so malformed requests (cheap to send, answered
   * 400) use up no allowance, and notes whether the browser is a device this account trusts.
   */
  const signIns = new WeakMap<Request, SignInRequest>();
  const readSignIn = (req: Request, _res: Response, next: NextFunction) => {
    const { username, password } = parseInput(signInRequestSchema, req.body, 'sign-in');
    const normalized = normalUsername(username);
    const account = accounts.findForSignIn(normalized);
    signIns.set(req, { username: normalized, password, account, trustedDevice: account && guard.trustedDevice(req, account) });
    next();
  };
  const signInOf = (req: Request): SignInRequest => {
    const signIn = signIns.get(req);
    if (signIn === undefined) throw new Error('readSignIn must run first.');
    return signIn;
  };
  // Per user name; a device the account trusts has a bucket of its own, so an attacker's tries under
  // the name do not use up the owner's browser's allowance. A cookie that is not such a device is
  // ignored: a made-up one per request must not buy a fresh bucket.
  const perUser = limiter(60_000, 10, (req) => {
    const { username, trustedDevice } = signInOf(req);
    return trustedDevice === undefined ? `sign-in:${username}` : `sign-in-device:${trustedDevice}`;
  });
  // A trusted device is bounded by its own bucket and count, so a flood under many names (which
  // this pool stops) cannot keep the owner's browser out.
  const overall = limiter(60_000, 100, () => 'sign-in', { skip: (req) => signInOf(req).trustedDevice !== undefined });

  router.get('/session', requireSession('password'), (_req, res: Res) => {
    res.json(accounts.sessionView(sessionOf(res)));
  });

  router.post('/session', readSignIn, perUser, overall, async (req: Request, res: Res) => {
    const { password, account } = signInOf(req);
    // Counted before the (slow) check, so parallel guesses cannot all slip past the lock.
    const attempt = account === undefined ? undefined : guard.begin(req, account);
    const matches = await verifyPassword(password, account?.passwordHash ?? (await unknownUserHash));
    if (account === undefined || attempt === undefined || account.disabledOn !== null || !matches) {
      if (account !== undefined && attempt !== undefined) guard.failed(account, attempt, 'password');
      throw wrongCredentials();
    }
    guard.passed(account, attempt);
    res.json(accounts.sessionView(sessions.start(res, account.id, 'password', res.locals.session)));
  });

  router.post('/session/totp', requireSession('password'), (req, res: Res) => {
    const session = sessionOf(res);
    const { code } = parseInput(codeRequestSchema, req.body, 'code');
    const { account } = session;
    const attempt = guard.begin(req, account);
    if (!accounts.useTotpCode(account, code)) {
      guard.failed(account, attempt, 'totp');
      throw new AppError('unauthorized', 'The code is wrong, or it was used already.');
    }
    res.json(accounts.sessionView(completeSignIn(deps, res, session, attempt, 'totp')));
  });

  router.post('/session/recovery-code', requireSession('password'), (req, res: Res) => {
    const session = sessionOf(res);
    const { code } = parseInput(codeRequestSchema, req.body, 'recovery code');
    const attempt = guard.begin(req, session.account);
    if (!accounts.useRecoveryCode(session.account, code)) {
      guard.failed(session.account, attempt, 'recovery-code');
      throw new AppError('unauthorized', 'This recovery code is wrong, or it was used already.');
    }
    res.json(accounts.sessionView(completeSignIn(deps, res, session, attempt, 'recovery-code')));
  });

  router.post('/session/webauthn/options', requireSession('password'), async (_req, res: Res) => {
    res.json(await accounts.webAuthnSignInOptions(sessionOf(res), relyingParty));
  });

  router.post('/session/webauthn', requireSession('password'), async (req, res: Res) => {
    const session = sessionOf(res);
    const { response } = parseInput(webAuthnSignInRequestSchema, req.body, 'security key answer');
    const challenge = accounts.takeWebAuthnChallenge(session);
    const attempt = guard.begin(req, session.account);
    try {
      await accounts.verifyWebAuthnSignIn(session, response, challenge, relyingParty);
    } catch (error) {
      guard.failed(session.account, attempt, 'webauthn');
      throw error;
    }
    res.json(accounts.sessionView(completeSignIn(deps, res, session, attempt, 'webauthn')));
  });

  router.delete('/session', requireSession('password'), (_req, res: Res) => {
    const session = sessionOf(res);
    accounts.signedOut(session.account);
    sessions.end(res, session);
    res.status(204).end();
  });

  return router;
}
