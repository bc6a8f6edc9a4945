/** The signed-in account: enrolling second factors, changing the password, OpenPGP keys. */
import { Router, type Request, type Response } from 'express';
import { checkLockedPrivateKey, checkRecipientKey, isCryptoError } from '../../../crypto/index';
import { dayOf } from '../../clock';
import { AppError } from '../../errors';
import { limiter } from '../../http/rate-limit';
import { parseInput } from '../../http/validate';
import { hasSecondFactor } from '../accounts-service';
import { FREE_ATTEMPTS } from '../auth/lockout';
import { hashPassword, passwordProblem, verifyPassword } from '../auth/password';
import { hashRecoveryCode, newRecoveryCode, RECOVERY_CODE_COUNT } from '../auth/recovery-codes';
import { requirePasswordChanged, requireRole, requireSession, sessionOf, type ConsoleLocals, type ConsoleSession } from '../auth/sessions';
import type { Attempt } from '../auth/sign-in-guard';
import { base32Decode, matchTotp, newTotpSecret, otpauthUri } from '../auth/totp';
import { registrationOptions, verifyRegistration } from '../auth/webauthn';
import { newKeySchema, passwordChangeSchema, totpEnrollSchema, webAuthnRegistrationSchema } from '../schemas';
import { sessionView } from '../session-view';
import { completeSignIn } from './session-routes';
import type { ConsoleRouteDeps } from './deps';

type Res = Response<unknown, ConsoleLocals>;

export function accountRouter(deps: ConsoleRouteDeps): Router {
  const { storage, clock, sessions, relyingParty, guard } = deps;
  const router = Router();
  const signedIn = [requireSession('complete'), requirePasswordChanged];
  // A stolen or unattended session must not turn these routes into a guessing machine: besides the
  // counts of the sign-in guard, at most the free attempts a minute per account. Only requests that
  // give a password to check are counted (enrolling at stage `password` checks none).
  const passwordRechecks = limiter(60_000, FREE_ATTEMPTS, (_req, res: Res) => `current-password:${sessionOf(res).accountId}`, {
    skip: (req, res: Res) => sessionOf(res).stage !== 'complete' || typeof (req.body as { currentPassword?: unknown } | undefined)?.currentPassword !== 'string',
  });

  /**
   * A second factor may be added at the password stage by an account that has none yet (its first
   * sign-in: that is what lets a one-time password lead to enrollment), or by a complete session that
   * gives the password again: a borrowed session alone cannot plant a factor of its own.
   */
  async function enrollingSession(req: Request, res: Res, currentPassword: string | undefined): Promise<ConsoleSession> {
    const session = sessionOf(res);
    if (session.stage !== 'complete') {
      if (hasSecondFactor(storage, session.accountId)) throw new AppError('unauthorized', 'Confirm your sign-in with your second factor first.');
      return session;
    }
    if (currentPassword === undefined) throw new AppError('unauthorized', 'Give your password to add a second factor.', { details: ['currentPassword: required'] });
    await checkCurrentPassword(req, session, currentPassword);
    return session;
  }

  /** The current password, checked like any sign-in secret: counted in advance, locked, audited. */
  async function checkCurrentPassword(req: Request, session: ConsoleSession, password: string): Promise<Attempt> {
    const attempt = guard.begin(req, session.account);
    if (!(await verifyPassword(password, session.account.passwordHash))) {
      guard.failed(session.account, attempt, 'current-password');
      throw new AppError('unauthorized', 'The current password is wrong.');
    }
    guard.passed(session.account, attempt);
    return attempt;
  }

  /** Issues recovery codes when the account has none left; the plain codes are shown once. */
  function ensureRecoveryCodes(accountId: string): string[] {
    if (storage.accounts.recoveryCodesLeft(accountId) > 0) return [];
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    storage.accounts.replaceRecoveryCodes(accountId, codes.map(hashRecoveryCode));
    return codes;
  }

  /**
   * After a factor is added: a first enrollment completes the sign-in; a later one ends the
   * account's other sessions. Either way the session gets a new id.
   */
  function afterEnrollment(res: Res, session: ConsoleSession, factor: string, recoveryCodes: string[]) {
    // The password was checked at this session's first step; the new factor is the second.
    if (session.stage !== 'complete') return { recoveryCodes, session: sessionView(storage, completeSignIn(deps, res, session, { by: 'account' }, factor)) };
    storage.sessions.deleteForAccount(session.accountId, session.idHash);
    return { recoveryCodes, session: sessionView(storage, sessions.start(res, session.accountId, 'complete', session)) };
  }

  router.get('/account/totp/secret', requireSession('password'), (_req, res: Res) => {
    const session = sessionOf(res);
    if (session.stage !== 'complete' && hasSecondFactor(storage, session.accountId)) throw new AppError('unauthorized', 'Confirm your sign-in with your second factor first.');
    const secret = newTotpSecret();
    res.json({ secret, otpauthUri: otpauthUri(secret, session.account.username, 'Candor') });
  });

  router.post('/account/totp', requireSession('password'), passwordRechecks, async (req, res: Res) => {
    const { secret, code, currentPassword } = parseInput(totpEnrollSchema, req.body, 'authenticator setup');
    const session = await enrollingSession(req, res, currentPassword);
    const bytes = base32Decode(secret);
    const now = clock.now();
    const step = bytes === null ? null : matchTotp(bytes, code, now, null);
    if (bytes === null || step === null) throw new AppError('bad-request', 'The code does not match this secret. Check the time on the phone and try the next code.', { details: ['code: does not match'] });
    const recoveryCodes = storage.db.transaction(() => {
      storage.accounts.setTotp(session.accountId, bytes, step);
      storage.audit.append({ actor: session.account.username, action: 'account.totp-enrolled' }, now);
      return ensureRecoveryCodes(session.accountId);
    })();
    res.json(afterEnrollment(res, session, 'totp-enrollment', recoveryCodes));
  });

  router.post('/account/webauthn/options', requireSession('password'), async (_req, res: Res) => {
    const session = sessionOf(res);
    if (session.stage !== 'complete' && hasSecondFactor(storage, session.accountId)) throw new AppError('unauthorized', 'Confirm your sign-in with your second factor first.');
    const options = await registrationOptions(relyingParty, session.account, storage.accounts.webAuthnCredentials(session.accountId));
    storage.sessions.setWebAuthnChallenge(session.idHash, options.challenge);
    res.json(options);
  });

  router.post('/account/webauthn', requireSession('password'), passwordRechecks, async (req, res: Res) => {
    const { response, currentPassword } = parseInput(webAuthnRegistrationSchema, req.body, 'security key answer');
    const session = await enrollingSession(req, res, currentPassword);
    const challenge = session.webauthnChallenge;
    storage.sessions.setWebAuthnChallenge(session.idHash, null);
    if (challenge === null) throw new AppError('conflict', 'Ask for the security key challenge first.');
    const credential = await verifyRegistration(relyingParty, response, challenge);
    const now = clock.now();
    const recoveryCodes = storage.db.transaction(() => {
      storage.accounts.addWebAuthnCredential({ ...credential, accountId: session.accountId }, dayOf(now));
      storage.audit.append({ actor: session.account.username, action: 'account.webauthn-registered' }, now);
      return ensureRecoveryCodes(session.accountId);
    })();
    res.status(201).json(afterEnrollment(res, session, 'webauthn-enrollment', recoveryCodes));
  });

  router.post('/account/password', requireSession('complete'), passwordRechecks, async (req, res: Res) => {
    const session = sessionOf(res);
    const { currentPassword, newPassword } = parseInput(passwordChangeSchema, req.body, 'password change');
    const attempt = await checkCurrentPassword(req, session, currentPassword);
    const problem = passwordProblem(newPassword, session.account.username);
    if (problem !== null) throw new AppError('bad-request', problem, { details: [`newPassword: ${problem}`] });
    if (newPassword === currentPassword) throw new AppError('bad-request', 'Choose a password other than the current one.', { details: ['newPassword: same as the current one'] });
    const hash = await hashPassword(newPassword);
    storage.db.transaction(() => {
      storage.accounts.setPassword(session.accountId, hash, false);
      storage.sessions.deleteForAccount(session.accountId, session.idHash);
      guard.passwordChanged(session.account, attempt);
      storage.audit.append({ actor: session.account.username, action: 'account.password-changed' }, clock.now());
    })();
    res.json({ session: sessionView(storage, sessions.start(res, session.accountId, 'complete', session)) });
  });

  router.get('/account/keys', ...signedIn, (_req, res: Res) => {
    const keys = storage.accounts.keys(sessionOf(res).accountId);
    res.json({ keys: keys.map(({ fingerprint, publicKey, lockedPrivateKey, createdOn, retiredOn }) => ({ fingerprint, publicKey, lockedPrivateKey, createdOn, retiredOn })) });
  });

  router.post('/account/keys', ...signedIn, requireRole('investigator'), async (req, res: Res) => {
    const session = sessionOf(res);
    const { publicKey, lockedPrivateKey } = parseInput(newKeySchema, req.body, 'key');
    const now = clock.now();
    let fingerprint: string;
    try {
      const recipient = await checkRecipientKey(publicKey, now);
      await checkLockedPrivateKey(lockedPrivateKey, recipient);
      fingerprint = recipient.fingerprint;
    } catch (error) {
      if (isCryptoError(error)) throw new AppError('bad-request', error.message, { details: [`key: ${error.code}`] });
      throw error;
    }
    try {
      storage.db.transaction(() => {
        const stored = storage.accounts.keys(session.accountId);
        if (stored.some((key) => key.fingerprint === fingerprint)) throw new AppError('conflict', 'This key is stored already.');
        storage.accounts.addKey({ fingerprint, accountId: session.accountId, publicKey, lockedPrivateKey, createdOn: dayOf(now) });
        for (const key of stored.filter((candidate) => candidate.retiredOn === null)) {
          storage.audit.append({ actor: session.account.username, action: 'key.retired', details: { fingerprint: key.fingerprint } }, now);
        }
        storage.audit.append({ actor: session.account.username, action: 'key.added', details: { fingerprint } }, now);
      })();
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new AppError('conflict', 'This key belongs to another account.');
      throw error;
    }
    res.status(201).json({ fingerprint });
  });

  return router;
}
