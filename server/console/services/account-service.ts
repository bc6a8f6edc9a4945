/**
 * Console accounts: what admins and the command line do to them (create, disable, reset a second
 * factor), what an account does to itself (second factors, password, OpenPGP keys), and the checks of
 * its second factors at sign-in. Every change is one transaction with its audit entry. Counting and
 * locking the attempts is the sign-in guard's job (auth/sign-in-guard.ts), which the routes run first.
 */
import { randomBytes } from 'node:crypto';
import { checkLockedPrivateKey, checkRecipientKey, isCryptoError } from '../../../crypto/index';
import { dayOf, type Clock } from '../../clock';
import { AppError } from '../../errors';
import type { AccountRecord, AccountRole } from '../../storage/accounts-repository';
import type { Storage } from '../../storage/index';
import { hashPassword, newOneTimePassword, passwordProblem } from '../auth/password';
import { hashRecoveryCode, newRecoveryCode, RECOVERY_CODE_COUNT } from '../auth/recovery-codes';
import type { ConsoleSession } from '../auth/sessions';
import { base32Decode, matchTotp, newTotpSecret, otpauthUri } from '../auth/totp';
import { authenticationOptions, registrationOptions, verifyAuthentication, verifyRegistration, type RelyingParty } from '../auth/webauthn';
import type { Actor } from './actor';
import type { NotificationsConfig } from '../../../config/schema';
import type { AccountKey, NotificationSettingsAnswer, NotificationSettingsRequest } from '../../../protocol/console-api/account';
import type { AccountCreatedAnswer, AdminAccount, SecondFactorResetAnswer } from '../../../protocol/console-api/admin';
import type { SecondFactors } from '../../../protocol/console-api/common';
import type { SessionAnswer, TotpSecretAnswer, WebAuthnRegistrationOptions, WebAuthnSignInOptions } from '../../../protocol/console-api/session';

export interface NewAccount {
  readonly username: string;
  readonly role: AccountRole;
  readonly bodyIds: readonly string[];
}

export interface PasswordChange {
  readonly currentPassword: string;
  readonly newPassword: string;
}

/** An investigator's key pair; the private key locked with their passphrase in their browser. */
export interface NewKey {
  readonly publicKey: string;
  readonly lockedPrivateKey: string;
}

const isConstraintFailure = (error: unknown) => String((error as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_CONSTRAINT');
const secondFactorFirst = () => new AppError('unauthorized', 'Confirm your sign-in with your second factor first.');

export class AccountService {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {}

  /** Creates an account with a one-time password that must be replaced at first sign-in. */
  async create(account: NewAccount, actor: Actor): Promise<AccountCreatedAnswer> {
    const { storage } = this;
    if (storage.accounts.findByUsername(account.username) !== undefined) throw new AppError('conflict', `The user name ${account.username} is taken.`);
    if (account.role === 'investigator' && account.bodyIds.length === 0) throw new AppError('bad-request', 'An investigator works for at least one body.', { details: ['bodies: at least one'] });
    if (account.role === 'admin' && account.bodyIds.length > 0) throw new AppError('bad-request', 'Administrators do not read cases, so they belong to no body.', { details: ['bodies: must be empty for an admin'] });
    for (const bodyId of account.bodyIds) {
      if (storage.bodies.find(bodyId) === undefined) throw new AppError('bad-request', `There is no body ${bodyId}.`, { details: [`bodies: unknown ${bodyId}`] });
    }
    const bodyIds = [...new Set(account.bodyIds)];
    const id = randomBytes(16).toString('base64url');
    const oneTimePassword = newOneTimePassword();
    const passwordHash = await hashPassword(oneTimePassword);
    const now = this.clock.now();
    try {
      storage.transaction(() => {
        storage.accounts.create({ id, username: account.username, role: account.role, passwordHash, mustChangePassword: true, createdOn: dayOf(now), bodyIds });
        storage.audit.append({ actor: actor.username, action: 'account.created', details: { username: account.username, role: account.role, bodies: bodyIds.join(' ') } }, now);
      });
    } catch (error) {
      // The check above ran before the slow password hash: a creation of the same name may have
      // finished meanwhile. The name now being there tells that case from any other constraint.
      if (isConstraintFailure(error) && storage.accounts.findByUsername(account.username) !== undefined) throw new AppError('conflict', `The user name ${account.username} is taken.`, { cause: error });
      throw error;
    }
    return { id, oneTimePassword };
  }

  /** Every account with its second factors, for the admin page. */
  list(): AdminAccount[] {
    return this.storage.accounts.list().map((account) => ({
      id: account.id,
      username: account.username,
      role: account.role,
      bodies: [...account.bodyIds],
      disabledOn: account.disabledOn,
      secondFactors: this.secondFactorsOf(account.id),
    }));
  }

  /** The account with this user name, for the command line, which names accounts that way. */
  byUsername(username: string): AccountRecord {
    const account = this.storage.accounts.findByUsername(username);
    if (account === undefined) throw new AppError('not-found', `There is no account ${username}.`);
    return account;
  }

  /** Disabling twice is refused: the first day and its one audit entry stay the record of it. */
  disable(accountId: string, actor: Actor): void {
    if (accountId === actor.id) throw new AppError('conflict', 'You cannot disable your own account.');
    const now = this.clock.now();
    // Immediate: the read and the change are one step even against another process (the CLI).
    this.storage.transaction(() => {
      const account = this.existing(accountId);
      if (!this.storage.accounts.disable(accountId, dayOf(now))) throw new AppError('conflict', `The account ${account.username} is already disabled (since ${account.disabledOn}).`);
      this.storage.sessions.deleteForAccount(accountId);
      this.storage.audit.append({ actor: actor.username, action: 'account.disabled', details: { username: account.username } }, now);
    }, 'immediate');
  }

  /** For a lost phone or key: every second factor goes, and a new one-time password is issued. */
  async resetSecondFactor(accountId: string, actor: Actor): Promise<SecondFactorResetAnswer> {
    if (accountId === actor.id) throw new AppError('conflict', 'Another administrator must reset your second factor.');
    const account = this.existing(accountId);
    const oneTimePassword = newOneTimePassword();
    const passwordHash = await hashPassword(oneTimePassword);
    const now = this.clock.now();
    this.storage.transaction(() => {
      this.storage.secondFactors.clear(accountId);
      this.storage.accounts.setPassword(accountId, passwordHash, true);
      this.storage.accounts.recordSuccess(accountId);
      this.storage.sessions.deleteForAccount(accountId);
      this.storage.audit.append({ actor: actor.username, action: 'account.second-factor-reset', details: { username: account.username } }, now);
    });
    return { oneTimePassword };
  }

  secondFactorsOf(accountId: string): SecondFactors {
    const account = this.existing(accountId);
    return {
      totp: account.totpSecret !== null,
      webauthn: this.storage.secondFactors.webAuthnCredentials(accountId).length,
      recoveryCodesLeft: this.storage.secondFactors.recoveryCodesLeft(accountId),
    };
  }

  /** The session answer the console client builds its state from (docs/console-api.md, GET /session). */
  sessionView(session: ConsoleSession): SessionAnswer {
    const { account } = session;
    return {
      stage: session.stage,
      csrfToken: session.csrfToken,
      idleMinutes: session.idleMinutes,
      account: {
        id: account.id,
        username: account.username,
        role: account.role,
        bodies: account.bodyIds.map((id) => ({ id, name: this.storage.bodies.find(id)?.name ?? id })),
        mustChangePassword: account.mustChangePassword,
        secondFactors: this.secondFactorsOf(account.id),
      },
    };
  }

  /** For the sign-in form: the account with this user name, if there is one. */
  findForSignIn(username: string): AccountRecord | undefined {
    return this.storage.accounts.findByUsername(username);
  }

  /** Whether the code is the account's current TOTP code and unused; a right code spends its time step. */
  useTotpCode(account: AccountRecord, code: string): boolean {
    const step = account.totpSecret === null ? null : matchTotp(account.totpSecret, code.replace(/\s/g, ''), this.clock.now(), account.totpLastStep);
    return step !== null && this.storage.secondFactors.consumeTotpStep(account.id, step);
  }

  /** Whether the code is one of the account's unused recovery codes; a right code is used up, and audited. */
  useRecoveryCode(account: AccountRecord, code: string): boolean {
    const now = this.clock.now();
    return this.storage.transaction(() => {
      if (!this.storage.secondFactors.useRecoveryCode(account.id, hashRecoveryCode(code), dayOf(now))) return false;
      this.storage.audit.append({ actor: account.username, action: 'account.recovery-code-used', details: { left: this.storage.secondFactors.recoveryCodesLeft(account.id) } }, now);
      return true;
    });
  }

  /** The challenge for signing in with one of the account's security keys; the session keeps it for one answer. */
  async webAuthnSignInOptions(session: ConsoleSession, relyingParty: RelyingParty): Promise<WebAuthnSignInOptions> {
    const credentials = this.storage.secondFactors.webAuthnCredentials(session.accountId);
    if (credentials.length === 0) throw new AppError('conflict', 'This account has no security key.');
    const options = await authenticationOptions(relyingParty, credentials);
    this.storage.sessions.setWebAuthnChallenge(session.idHash, options.challenge);
    return options;
  }

  /** The challenge the session was given, taken from it: each challenge can be answered once. */
  takeWebAuthnChallenge(session: ConsoleSession): string {
    const challenge = session.webauthnChallenge;
    this.storage.sessions.setWebAuthnChallenge(session.idHash, null);
    if (challenge === null) throw new AppError('conflict', 'Ask for the security key challenge first.');
    return challenge;
  }

  /** Checks a security key's answer to `challenge` (an `unauthorized` AppError if wrong) and records its new counter. */
  async verifyWebAuthnSignIn(session: ConsoleSession, response: unknown, challenge: string, relyingParty: RelyingParty): Promise<void> {
    const verified = await verifyAuthentication(relyingParty, response, challenge, this.storage.secondFactors.webAuthnCredentials(session.accountId));
    this.storage.secondFactors.updateWebAuthnCounter(verified.credentialId, verified.newCounter);
  }

  /** Records the end of a session the account ended itself. */
  signedOut(account: AccountRecord): void {
    this.storage.audit.append({ actor: account.username, action: 'session.signed-out' }, this.clock.now());
  }

  /**
   * A second factor may be added at the password stage only by an account that has none yet (its
   * first sign-in: that is what lets a one-time password lead to enrollment); otherwise the session
   * must be complete, and the routes ask for the password again.
   */
  checkMayEnroll(session: ConsoleSession): void {
    if (session.stage !== 'complete' && this.hasSecondFactor(session.accountId)) throw secondFactorFirst();
  }

  /** A new authenticator secret to show; nothing is stored until a code from it is confirmed (enrollTotp). */
  proposeTotp(session: ConsoleSession): TotpSecretAnswer {
    this.checkMayEnroll(session);
    const secret = newTotpSecret();
    return { secret, otpauthUri: otpauthUri(secret, session.account.username, 'Candor') };
  }

  /** Enrolls an authenticator once a code matches its secret; returns the recovery codes issued, if any (see afterEnrollment). */
  enrollTotp(session: ConsoleSession, secret: string, code: string): string[] {
    const bytes = base32Decode(secret);
    const now = this.clock.now();
    const step = bytes === null ? null : matchTotp(bytes, code, now, null);
    if (bytes === null || step === null) throw new AppError('bad-request', 'The code does not match this secret. Check the time on the phone and try the next code.', { details: ['code: does not match'] });
    return this.storage.transaction(() => {
      this.storage.secondFactors.setTotp(session.accountId, bytes, step);
      this.storage.audit.append({ actor: session.account.username, action: 'account.totp-enrolled' }, now);
      return this.afterEnrollment(session);
    });
  }

  /** The challenge for registering a new security key; the session keeps it for one answer. */
  async webAuthnRegistrationOptions(session: ConsoleSession, relyingParty: RelyingParty): Promise<WebAuthnRegistrationOptions> {
    this.checkMayEnroll(session);
    const options = await registrationOptions(relyingParty, session.account, this.storage.secondFactors.webAuthnCredentials(session.accountId));
    this.storage.sessions.setWebAuthnChallenge(session.idHash, options.challenge);
    return options;
  }

  /** Registers a security key from its answer to the session's challenge; returns the recovery codes issued, if any. */
  async registerWebAuthn(session: ConsoleSession, response: unknown, relyingParty: RelyingParty): Promise<string[]> {
    const challenge = this.takeWebAuthnChallenge(session);
    const credential = await verifyRegistration(relyingParty, response, challenge);
    const now = this.clock.now();
    return this.storage.transaction(() => {
      this.storage.secondFactors.addWebAuthnCredential({ ...credential, accountId: session.accountId }, dayOf(now));
      this.storage.audit.append({ actor: session.account.username, action: 'account.webauthn-registered' }, now);
      return this.afterEnrollment(session);
    });
  }

  /**
   * Replaces the password; the current one was checked by the sign-in guard. The account's other
   * sessions end and its other browsers are trusted no more: `keepDevice` is this browser's, if trusted.
   */
  async changePassword(session: ConsoleSession, change: PasswordChange, keepDevice: string | undefined): Promise<void> {
    const { accountId, account } = session;
    const problem = passwordProblem(change.newPassword, account.username);
    if (problem !== null) throw new AppError('bad-request', problem, { details: [`newPassword: ${problem}`] });
    if (change.newPassword === change.currentPassword) throw new AppError('bad-request', 'Choose a password other than the current one.', { details: ['newPassword: same as the current one'] });
    const hash = await hashPassword(change.newPassword);
    this.storage.transaction(() => {
      this.storage.accounts.setPassword(accountId, hash, false);
      this.storage.sessions.deleteForAccount(accountId, session.idHash);
      this.storage.trustedDevices.deleteForAccount(accountId, keepDevice);
      this.storage.audit.append({ actor: account.username, action: 'account.password-changed' }, this.clock.now());
    });
  }

  /** The account's keys, the current one first; private keys only ever locked. */
  keysOf(accountId: string): AccountKey[] {
    return this.storage.investigatorKeys.list(accountId).map(({ fingerprint, publicKey, lockedPrivateKey, createdOn, retiredOn }) => ({ fingerprint, publicKey, lockedPrivateKey, createdOn, retiredOn }));
  }

  /**
   * Adds an investigator's key once it passes the key policy and its private half is locked, and
   * retires their previous keys (they stay, for old cases). Returns the key's fingerprint.
   */
  async addKey(account: AccountRecord, key: NewKey): Promise<string> {
    const now = this.clock.now();
    let fingerprint: string;
    try {
      const recipient = await checkRecipientKey(key.publicKey, now);
      await checkLockedPrivateKey(key.lockedPrivateKey, recipient);
      fingerprint = recipient.fingerprint;
    } catch (error) {
      if (isCryptoError(error)) throw new AppError('bad-request', error.message, { details: [`key: ${error.code}`] });
      throw error;
    }
    try {
      this.storage.transaction(() => {
        const stored = this.storage.investigatorKeys.list(account.id);
        if (stored.some((candidate) => candidate.fingerprint === fingerprint)) throw new AppError('conflict', 'This key is stored already.');
        this.storage.investigatorKeys.add({ fingerprint, accountId: account.id, publicKey: key.publicKey, lockedPrivateKey: key.lockedPrivateKey, createdOn: dayOf(now) });
        for (const retired of stored.filter((candidate) => candidate.retiredOn === null)) {
          this.storage.audit.append({ actor: account.username, action: 'key.retired', details: { fingerprint: retired.fingerprint } }, now);
        }
        this.storage.audit.append({ actor: account.username, action: 'key.added', details: { fingerprint } }, now);
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new AppError('conflict', 'This key belongs to another account.');
      throw error;
    }
    return fingerprint;
  }

  /**
   * The account's own e-mail alert settings. Only the account itself reads them (the routes take no
   * account id, and no admin answer carries the address: it is personal data). Encryption is
   * suggested whenever the account has a key.
   */
  notificationSettings(accountId: string, notifications: NotificationsConfig | null): NotificationSettingsAnswer {
    const hasKey = this.hasCurrentKey(accountId);
    const stored = this.storage.notifications.settingsOf(accountId);
    return {
      available: notifications !== null,
      hasKey,
      intervalMinutes: notifications?.intervalMinutes ?? null,
      daysBeforeDeadline: notifications?.daysBeforeDeadline ?? null,
      settings: stored === undefined ? null : { ...stored },
      suggested: { enabled: true, encrypt: hasKey, showCaseIds: false },
    };
  }

  /** Saves the account's alert settings; encryption needs a current key. */
  saveNotificationSettings(account: AccountRecord, settings: NotificationSettingsRequest, notifications: NotificationsConfig | null): NotificationSettingsAnswer {
    if (settings.encrypt && !this.hasCurrentKey(account.id)) {
      throw new AppError('bad-request', 'You have no key to encrypt alerts to: set up your key first, or turn encryption off.', { details: ['encrypt: no current key'] });
    }
    this.storage.notifications.saveSettings(account.id, settings, dayOf(this.clock.now()));
    return this.notificationSettings(account.id, notifications);
  }

  private hasCurrentKey(accountId: string): boolean {
    return this.storage.investigatorKeys.list(accountId).some((key) => key.retiredOn === null);
  }

  private hasSecondFactor(accountId: string): boolean {
    const factors = this.secondFactorsOf(accountId);
    return factors.totp || factors.webauthn > 0;
  }

  private existing(accountId: string): AccountRecord {
    const account = this.storage.accounts.find(accountId);
    if (account === undefined) throw new AppError('not-found', 'There is no such account.');
    return account;
  }

  /**
   * In the transaction that adds a factor: a later factor, added by a complete session, ends the
   * account's other sessions; and recovery codes are issued when the account has none left. Returns
   * the plain codes, to be shown once.
   */
  private afterEnrollment(session: ConsoleSession): string[] {
    if (session.stage === 'complete') this.storage.sessions.deleteForAccount(session.accountId, session.idHash);
    if (this.storage.secondFactors.recoveryCodesLeft(session.accountId) > 0) return [];
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    this.storage.secondFactors.replaceRecoveryCodes(session.accountId, codes.map(hashRecoveryCode));
    return codes;
  }
}
