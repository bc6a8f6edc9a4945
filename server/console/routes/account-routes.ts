/** The signed-in account: enrolling second factors, changing the password, OpenPGP keys. */
import { Router, type Response } from 'express';
import { checkLockedPrivateKey, checkRecipientKey, isCryptoError } from '../../../crypto/index';
import { dayOf } from '../../clock';
import { AppError } from '../../errors';
import { parseInput } from '../../http/validate';
import { hasSecondFactor } from '../accounts-service';
import { hashPassword, passwordProblem, verifyPassword } from '../auth/password';
import { hashRecoveryCode, newRecoveryCode, RECOVERY_CODE_COUNT } from '../auth/recovery-codes';
import { requirePasswordChanged, requireRole, requireSession, sessionOf, type ConsoleLocals, type ConsoleSession } from '../auth/sessions';
import { base32Decode, matchTotp, newTotpSecret, otpauthUri } from '../auth/totp';
import { registrationOptions, verifyRegistration } from '../auth/webauthn';
import { newKeySchema, passwordChangeSchema, totpEnrollSchema, webAuthnResponseSchema } from '../schemas';
import { sessionView } from '../session-view';
import type { ConsoleRouteDeps } from './deps';

type Res = Response<unknown, ConsoleLocals>;

export function accountRouter({ storage, clock, sessions, relyingParty }: ConsoleRouteDeps): Router {
  const router = Router();
  const signedIn = [requireSession('complete'), requirePasswordChanged];

  /**
   * A second factor may be added by a complete session, or at the password stage by an account that
   * has none yet (its first sign-in): that is what lets a one-time password lead to enrollment.
   */
  function enrollingSession(res: Res): ConsoleSession {
    const session = sessionOf(res);
    if (session.stage !== 'complete' && hasSecondFactor(storage, session.accountId)) {
      throw new AppError('unauthorized', 'Confirm your sign-in with your second factor first.');
    }
    return session;
  }

  /** Issues recovery codes when the account has none left; the plain codes are shown once. */
  function ensureRecoveryCodes(accountId: string): string[] {
    if (storage.accounts.recoveryCodesLeft(accountId) > 0) return [];
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    storage.accounts.replaceRecoveryCodes(accountId, codes.map(hashRecoveryCode));
    return codes;
  }

  function afterEnrollment(res: Res, session: ConsoleSession, recoveryCodes: string[]) {
    const next = sessions.start(res, session.accountId, 'complete', session);
    return { recoveryCodes, session: sessionView(storage, next) };
  }

  router.get('/account/totp/secret', requireSession('password'), (_req, res: Res) => {
    const session = enrollingSession(res);
    const secret = newTotpSecret();
    res.json({ secret, otpauthUri: otpauthUri(secret, session.account.username, 'Candor') });
  });

  router.post('/account/totp', requireSession('password'), (req, res: Res) => {
    const session = enrollingSession(res);
    const { secret, code } = parseInput(totpEnrollSchema, req.body, 'authenticator setup');
    const bytes = base32Decode(secret);
    const now = clock.now();
    const step = bytes === null ? null : matchTotp(bytes, code, now, null);
    if (bytes === null || step === null) throw new AppError('bad-request', 'The code does not match this secret. Check the time on the phone and try the next code.', { details: ['code: does not match'] });
    const recoveryCodes = storage.db.transaction(() => {
      storage.accounts.setTotp(session.accountId, bytes, step);
      storage.audit.append({ actor: session.account.username, action: 'account.totp-enrolled' }, now);
      return ensureRecoveryCodes(session.accountId);
    })();
    res.json(afterEnrollment(res, session, recoveryCodes));
  });

  router.post('/account/webauthn/options', requireSession('password'), async (_req, res: Res) => {
    const session = enrollingSession(res);
    const options = await registrationOptions(relyingParty, session.account, storage.accounts.webAuthnCredentials(session.accountId));
    storage.sessions.setWebAuthnChallenge(session.idHash, options.challenge);
    res.json(options);
  });

  router.post('/account/webauthn', requireSession('password'), async (req, res: Res) => {
    const session = enrollingSession(res);
    const { response } = parseInput(webAuthnResponseSchema, req.body, 'security key answer');
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
    res.status(201).json(afterEnrollment(res, session, recoveryCodes));
  });

  router.post('/account/password', requireSession('complete'), async (req, res: Res) => {
    const session = sessionOf(res);
    const { currentPassword, newPassword } = parseInput(passwordChangeSchema, req.body, 'password change');
    if (!(await verifyPassword(currentPassword, session.account.passwordHash))) throw new AppError('unauthorized', 'The current password is wrong.');
    const problem = passwordProblem(newPassword, session.account.username);
    if (problem !== null) throw new AppError('bad-request', problem, { details: [`newPassword: ${problem}`] });
    if (newPassword === currentPassword) throw new AppError('bad-request', 'Choose a password other than the current one.', { details: ['newPassword: same as the current one'] });
    const hash = await hashPassword(newPassword);
    storage.db.transaction(() => {
      storage.accounts.setPassword(session.accountId, hash, false);
      storage.sessions.deleteForAccount(session.accountId, session.idHash);
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
    if (storage.accounts.keys(session.accountId).some((key) => key.fingerprint === fingerprint)) throw new AppError('conflict', 'This key is stored already.');
    const previous = storage.accounts.keys(session.accountId).filter((key) => key.retiredOn === null);
    try {
      storage.db.transaction(() => {
        storage.accounts.addKey({ fingerprint, accountId: session.accountId, publicKey, lockedPrivateKey, createdOn: dayOf(now) });
        for (const key of previous) storage.audit.append({ actor: session.account.username, action: 'key.retired', details: { fingerprint: key.fingerprint } }, now);
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
