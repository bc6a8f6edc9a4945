/** Creating and administering console accounts: shared by the admin routes and the admin CLI. */
import { randomBytes } from 'node:crypto';
import { dayOf, type Clock } from '../clock';
import { AppError } from '../errors';
import type { AccountRole } from '../storage/accounts-repository';
import type { Storage } from '../storage/index';
import { hashPassword, newOneTimePassword } from './auth/password';

export interface NewAccount {
  readonly username: string;
  readonly role: AccountRole;
  readonly bodyIds: readonly string[];
  /** Who creates it, for the audit log: an admin's user name, or `cli`. */
  readonly actor: string;
}

const isConstraintFailure = (error: unknown) => String((error as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_CONSTRAINT');

/** Creates an account with a one-time password that must be replaced at first sign-in. */
export async function createAccount(storage: Storage, clock: Clock, account: NewAccount): Promise<{ id: string; oneTimePassword: string }> {
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
  const now = clock.now();
  try {
    storage.db.transaction(() => {
      storage.accounts.create({ id, username: account.username, role: account.role, passwordHash, mustChangePassword: true, createdOn: dayOf(now), bodyIds });
      storage.audit.append({ actor: account.actor, action: 'account.created', details: { username: account.username, role: account.role, bodies: bodyIds.join(' ') } }, now);
    })();
  } catch (error) {
    // The check above ran before the slow password hash: a creation of the same name may have
    // finished meanwhile. The name now being there tells that case from any other constraint.
    if (isConstraintFailure(error) && storage.accounts.findByUsername(account.username) !== undefined) throw new AppError('conflict', `The user name ${account.username} is taken.`, { cause: error });
    throw error;
  }
  return { id, oneTimePassword };
}

function existing(storage: Storage, accountId: string) {
  const account = storage.accounts.find(accountId);
  if (account === undefined) throw new AppError('not-found', 'There is no such account.');
  return account;
}

/** Disabling twice is refused: the first day and its one audit entry stay the record of it. */
export function disableAccount(storage: Storage, clock: Clock, accountId: string, actor: string): void {
  const now = clock.now();
  // Immediate: the read and the change are one step even against another process (the CLI).
  storage.db.transaction(() => {
    const account = existing(storage, accountId);
    if (!storage.accounts.disable(accountId, dayOf(now))) throw new AppError('conflict', `The account ${account.username} is already disabled (since ${account.disabledOn}).`);
    storage.sessions.deleteForAccount(accountId);
    storage.audit.append({ actor, action: 'account.disabled', details: { username: account.username } }, now);
  }).immediate();
}

/** For a lost phone or key: every second factor goes, and a new one-time password is issued. */
export async function resetSecondFactor(storage: Storage, clock: Clock, accountId: string, actor: string): Promise<{ oneTimePassword: string }> {
  const account = existing(storage, accountId);
  const oneTimePassword = newOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  const now = clock.now();
  storage.db.transaction(() => {
    storage.accounts.clearSecondFactors(accountId);
    storage.accounts.setPassword(accountId, passwordHash, true);
    storage.accounts.recordSuccess(accountId);
    storage.sessions.deleteForAccount(accountId);
    storage.audit.append({ actor, action: 'account.second-factor-reset', details: { username: account.username } }, now);
  })();
  return { oneTimePassword };
}

export function secondFactorsOf(storage: Storage, accountId: string) {
  const account = existing(storage, accountId);
  return {
    totp: account.totpSecret !== null,
    webauthn: storage.accounts.webAuthnCredentials(accountId).length,
    recoveryCodesLeft: storage.accounts.recoveryCodesLeft(accountId),
  };
}

export function hasSecondFactor(storage: Storage, accountId: string): boolean {
  const factors = secondFactorsOf(storage, accountId);
  return factors.totp || factors.webauthn > 0;
}
