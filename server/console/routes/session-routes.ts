/** Signing in (password, then a second factor) and out. */
import { Router, type Response } from 'express';
import { dayOf } from '../../clock';
import { AppError } from '../../errors';
import { limiter } from '../../http/rate-limit';
import { parseInput } from '../../http/validate';
import type { AccountRecord } from '../../storage/accounts-repository';
import { lockedUntil } from '../auth/lockout';
import { hashPassword, verifyPassword } from '../auth/password';
import { hashRecoveryCode } from '../auth/recovery-codes';
import { requireSession, sessionOf, type ConsoleLocals, type ConsoleSession } from '../auth/sessions';
import { matchTotp } from '../auth/totp';
import { authenticationOptions, verifyAuthentication } from '../auth/webauthn';
import { codeSchema, signInSchema, webAuthnResponseSchema } from '../schemas';
import { sessionView } from '../session-view';
import type { ConsoleRouteDeps } from './deps';

const wrongCredentials = () => new AppError('unauthorized', 'The user name or password is wrong.');

export function sessionRouter({ storage, clock, sessions, relyingParty }: ConsoleRouteDeps): Router {
  const router = Router();
  // Compared against when the user name is unknown, so both cases take the same scrypt time.
  const unknownUserHash = hashPassword('no account has this password');
  const perUser = limiter(60_000, 10, (req) => `sign-in:${String((req.body as { username?: unknown } | undefined)?.username ?? '')}`);
  const overall = limiter(60_000, 100, () => 'sign-in');

  function refuseIfLocked(account: AccountRecord): void {
    const now = clock.now().getTime();
    if (account.lockedUntil !== null && account.lockedUntil > now) {
      const seconds = Math.ceil((account.lockedUntil - now) / 1000);
      throw new AppError('rate-limited', `Too many failed attempts. Try again in ${seconds} seconds.`, { details: [`retry-after: ${seconds}`] });
    }
  }

  function recordFailure(account: AccountRecord, step: string): void {
    const now = clock.now();
    storage.db.transaction(() => {
      storage.accounts.recordFailure(account.id, (failures) => lockedUntil(failures, now.getTime()));
      storage.audit.append({ actor: account.username, action: 'session.sign-in-failed', details: { step } }, now);
    })();
  }

  function complete(res: Response<unknown, ConsoleLocals>, session: ConsoleSession, factor: string): void {
    const now = clock.now();
    storage.db.transaction(() => {
      storage.accounts.recordSuccess(session.accountId);
      storage.audit.append({ actor: session.account.username, action: 'session.signed-in', details: { factor } }, now);
    })();
    res.json(sessionView(storage, sessions.start(res, session.accountId, 'complete', session)));
  }

  router.get('/session', requireSession('password'), (_req, res: Response<unknown, ConsoleLocals>) => {
    res.json(sessionView(storage, sessionOf(res)));
  });

  router.post('/session', overall, perUser, async (req, res: Response<unknown, ConsoleLocals>) => {
    const { username, password } = parseInput(signInSchema, req.body, 'sign-in');
    const account = storage.accounts.findByUsername(username.trim().toLowerCase());
    if (account !== undefined) refuseIfLocked(account);
    const matches = await verifyPassword(password, account?.passwordHash ?? (await unknownUserHash));
    if (account === undefined || account.disabledOn !== null || !matches) {
      if (account !== undefined) recordFailure(account, 'password');
      throw wrongCredentials();
    }
    // Failures are reset only once the second factor is right too, so a known password does not
    // buy fresh attempts at the code.
    res.json(sessionView(storage, sessions.start(res, account.id, 'password', res.locals.session)));
  });

  router.post('/session/totp', requireSession('password'), (req, res: Response<unknown, ConsoleLocals>) => {
    const session = sessionOf(res);
    const { code } = parseInput(codeSchema, req.body, 'code');
    const { account } = session;
    refuseIfLocked(account);
    const step = account.totpSecret === null ? null : matchTotp(account.totpSecret, code.replace(/\s/g, ''), clock.now(), account.totpLastStep);
    if (step === null || !storage.accounts.consumeTotpStep(account.id, step)) {
      recordFailure(account, 'totp');
      throw new AppError('unauthorized', 'The code is wrong, or it was used already.');
    }
    complete(res, session, 'totp');
  });

  router.post('/session/recovery-code', requireSession('password'), (req, res: Response<unknown, ConsoleLocals>) => {
    const session = sessionOf(res);
    const { code } = parseInput(codeSchema, req.body, 'recovery code');
    refuseIfLocked(session.account);
    const now = clock.now();
    if (!storage.accounts.useRecoveryCode(session.accountId, hashRecoveryCode(code), dayOf(now))) {
      recordFailure(session.account, 'recovery-code');
      throw new AppError('unauthorized', 'This recovery code is wrong, or it was used already.');
    }
    storage.audit.append({ actor: session.account.username, action: 'account.recovery-code-used', details: { left: storage.accounts.recoveryCodesLeft(session.accountId) } }, now);
    complete(res, session, 'recovery-code');
  });

  router.post('/session/webauthn/options', requireSession('password'), async (_req, res: Response<unknown, ConsoleLocals>) => {
    const session = sessionOf(res);
    const credentials = storage.accounts.webAuthnCredentials(session.accountId);
    if (credentials.length === 0) throw new AppError('conflict', 'This account has no security key.');
    const options = await authenticationOptions(relyingParty, credentials);
    storage.sessions.setWebAuthnChallenge(session.idHash, options.challenge);
    res.json(options);
  });

  router.post('/session/webauthn', requireSession('password'), async (req, res: Response<unknown, ConsoleLocals>) => {
    const session = sessionOf(res);
    const { response } = parseInput(webAuthnResponseSchema, req.body, 'security key answer');
    refuseIfLocked(session.account);
    const challenge = session.webauthnChallenge;
    storage.sessions.setWebAuthnChallenge(session.idHash, null);
    if (challenge === null) throw new AppError('conflict', 'Ask for the security key challenge first.');
    let verified: Awaited<ReturnType<typeof verifyAuthentication>>;
    try {
      verified = await verifyAuthentication(relyingParty, response, challenge, storage.accounts.webAuthnCredentials(session.accountId));
    } catch (error) {
      recordFailure(session.account, 'webauthn');
      throw error;
    }
    storage.accounts.updateWebAuthnCounter(verified.credentialId, verified.newCounter);
    complete(res, session, 'webauthn');
  });

  router.delete('/session', requireSession('password'), (_req, res: Response<unknown, ConsoleLocals>) => {
    const session = sessionOf(res);
    storage.audit.append({ actor: session.account.username, action: 'session.signed-out' }, clock.now());
    sessions.end(res, session);
    res.status(204).end();
  });

  return router;
}
