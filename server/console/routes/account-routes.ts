/** The signed-in account: enrolling second factors, changing the password, OpenPGP keys, e-mail alerts. */
import { Router, type Request, type Response } from 'express';
import { AppError } from '../../errors';
import { limiter } from '../../http/rate-limit';
import { parseInput } from '../../http/validate';
import { FREE_ATTEMPTS } from '../auth/lockout';
import { verifyPassword } from '../auth/password';
import { requirePasswordChanged, requireRole, requireSession, sessionOf, type ConsoleLocals, type ConsoleSession } from '../auth/sessions';
import { trustedDeviceOf, type Attempt } from '../auth/sign-in-guard';
import { newKeyRequestSchema, notificationSettingsRequestSchema, passwordChangeRequestSchema, type AccountKeysAnswer, type NewKeyAnswer, type PasswordChangeAnswer } from '../../../protocol/console-api/account';
import { totpEnrollRequestSchema, webAuthnRegistrationRequestSchema, type EnrollmentAnswer } from '../../../protocol/console-api/session';
import { completeSignIn } from './session-routes';
import type { ConsoleRouteDeps } from './deps';

type Res = Response<unknown, ConsoleLocals>;

export function accountRouter(deps: ConsoleRouteDeps): Router {
  const { accounts, sessions, relyingParty, guard } = deps;
  const router = Router();
  const signedIn = [requireSession('complete'), requirePasswordChanged];
  // A stolen or unattended session must not turn these routes into a guessing machine: besides the
  // counts of the sign-in guard, at most the free attempts a minute per account. Only requests that
  // give a password to check are counted (enrolling at stage `password` checks none).
  const passwordRechecks = limiter(60_000, FREE_ATTEMPTS, (_req, res: Res) => `current-password:${sessionOf(res).accountId}`, {
    skip: (req, res: Res) => sessionOf(res).stage !== 'complete' || typeof (req.body as { currentPassword?: unknown } | undefined)?.currentPassword !== 'string',
  });

  /**
   * The session that adds a second factor: one at the password stage of an account without any (see
   * AccountService.checkMayEnroll), or a complete one that gives the password again: a borrowed
   * session alone cannot plant a factor of its own.
   */
  async function enrollingSession(req: Request, res: Res, currentPassword: string | undefined): Promise<ConsoleSession> {
    const session = sessionOf(res);
    accounts.checkMayEnroll(session);
    if (session.stage !== 'complete') return session;
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

  /** After a factor is added: a first enrollment completes the sign-in; either way the session gets a new id. */
  function afterEnrollment(res: Res, session: ConsoleSession, factor: string, recoveryCodes: string[]): EnrollmentAnswer {
    // The password was checked at this session's first step; the new factor is the second.
    if (session.stage !== 'complete') return { recoveryCodes, session: accounts.sessionView(completeSignIn(deps, res, session, { by: 'account' }, factor)) };
    return { recoveryCodes, session: accounts.sessionView(sessions.start(res, session.accountId, 'complete', session)) };
  }

  router.get('/account/totp/secret', requireSession('password'), (_req, res: Res) => {
    res.json(accounts.proposeTotp(sessionOf(res)));
  });

  router.post('/account/totp', requireSession('password'), passwordRechecks, async (req, res: Res) => {
    const { secret, code, currentPassword } = parseInput(totpEnrollRequestSchema, req.body, 'authenticator setup');
    const session = await enrollingSession(req, res, currentPassword);
    const recoveryCodes = accounts.enrollTotp(session, secret, code);
    res.json(afterEnrollment(res, session, 'totp-enrollment', recoveryCodes));
  });

  router.post('/account/webauthn/options', requireSession('password'), async (_req, res: Res) => {
    res.json(await accounts.webAuthnRegistrationOptions(sessionOf(res), relyingParty));
  });

  router.post('/account/webauthn', requireSession('password'), passwordRechecks, async (req, res: Res) => {
    const { response, currentPassword } = parseInput(webAuthnRegistrationRequestSchema, req.body, 'security key answer');
    const session = await enrollingSession(req, res, currentPassword);
    const recoveryCodes = await accounts.registerWebAuthn(session, response, relyingParty);
    res.status(201).json(afterEnrollment(res, session, 'webauthn-enrollment', recoveryCodes));
  });

  router.post('/account/password', requireSession('complete'), passwordRechecks, async (req, res: Res) => {
    const session = sessionOf(res);
    const change = parseInput(passwordChangeRequestSchema, req.body, 'password change');
    const attempt = await checkCurrentPassword(req, session, change.currentPassword);
    await accounts.changePassword(session, change, trustedDeviceOf(attempt));
    res.json({ session: accounts.sessionView(sessions.start(res, session.accountId, 'complete', session)) } satisfies PasswordChangeAnswer);
  });

  router.get('/account/keys', ...signedIn, (_req, res: Res) => {
    res.json({ keys: accounts.keysOf(sessionOf(res).accountId) } satisfies AccountKeysAnswer);
  });

  router.post('/account/keys', ...signedIn, requireRole('investigator'), async (req, res: Res) => {
    const fingerprint = await accounts.addKey(sessionOf(res).account, parseInput(newKeyRequestSchema, req.body, 'key'));
    res.status(201).json({ fingerprint } satisfies NewKeyAnswer);
  });

  // Alerts are about the cases of an investigator's bodies; each account reads and sets only its own.
  router.get('/account/notifications', ...signedIn, requireRole('investigator'), (_req, res: Res) => {
    res.json(accounts.notificationSettings(sessionOf(res).accountId, deps.config.notifications));
  });

  router.post('/account/notifications', ...signedIn, requireRole('investigator'), (req, res: Res) => {
    const settings = parseInput(notificationSettingsRequestSchema, req.body, 'alert settings');
    res.json(accounts.saveNotificationSettings(sessionOf(res).account, settings, deps.config.notifications));
  });

  return router;
}
