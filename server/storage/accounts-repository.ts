/**
 * Console accounts (admins, investigators), the bodies an investigator works for, their second
 * factors and their OpenPGP keys. Private keys are stored only passphrase-locked (checked before
 * they get here, by crypto's checkLockedPrivateKey).
 */
import type { Day } from '../clock';
import { statementCache, type Db } from './database';

export type AccountRole = 'admin' | 'investigator';

export interface AccountRecord {
  readonly id: string;
  readonly username: string;
  readonly role: AccountRole;
  readonly passwordHash: string;
  readonly mustChangePassword: boolean;
  readonly totpSecret: Uint8Array | null;
  readonly totpLastStep: number | null;
  readonly failedLogins: number;
  readonly lockedUntil: number | null;
  readonly createdOn: Day;
  readonly disabledOn: Day | null;
  readonly bodyIds: readonly string[];
}

export interface WebAuthnCredentialRecord {
  readonly id: string;
  readonly accountId: string;
  readonly publicKey: Uint8Array;
  readonly counter: number;
  readonly transports: readonly string[];
}

export interface InvestigatorKeyRecord {
  readonly fingerprint: string;
  readonly accountId: string;
  readonly publicKey: string;
  readonly lockedPrivateKey: string;
  readonly createdOn: Day;
  readonly retiredOn: Day | null;
}

/** What counting an attempt in advance changed, so that a right answer can undo exactly that. */
export interface AttemptReservation {
  readonly previousLockedUntil: number | null;
  readonly lockedUntil: number | null;
}

/** An investigator's current key, as the body's directory should list it. */
export interface ActiveRecipient {
  readonly accountId: string;
  readonly username: string;
  readonly fingerprint: string;
  readonly publicKey: string;
}

interface AccountRow {
  id: string;
  username: string;
  role: string;
  password_hash: string;
  must_change_password: number;
  totp_secret: Buffer | null;
  totp_last_step: number | null;
  failed_logins: number;
  locked_until: number | null;
  created_on: string;
  disabled_on: string | null;
  body_ids: string | null;
}

const ACCOUNT_SELECT = `SELECT a.*, (SELECT group_concat(body_id, ' ') FROM account_bodies WHERE account_id = a.id) AS body_ids FROM accounts a`;

const toAccount = (row: AccountRow): AccountRecord => ({
  id: row.id,
  username: row.username,
  role: row.role as AccountRole,
  passwordHash: row.password_hash,
  mustChangePassword: row.must_change_password === 1,
  totpSecret: row.totp_secret === null ? null : new Uint8Array(row.totp_secret),
  totpLastStep: row.totp_last_step,
  failedLogins: row.failed_logins,
  lockedUntil: row.locked_until,
  createdOn: row.created_on as Day,
  disabledOn: row.disabled_on as Day | null,
  bodyIds: row.body_ids === null ? [] : row.body_ids.split(' ').sort(),
});

export class AccountsRepository {
  private readonly sql: ReturnType<typeof statementCache>;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  create(account: { id: string; username: string; role: AccountRole; passwordHash: string; mustChangePassword: boolean; createdOn: Day; bodyIds: readonly string[] }): void {
    this.db.transaction(() => {
      this.sql('INSERT INTO accounts (id, username, role, password_hash, must_change_password, created_on) VALUES (?, ?, ?, ?, ?, ?)')
        .run(account.id, account.username, account.role, account.passwordHash, account.mustChangePassword ? 1 : 0, account.createdOn);
      for (const bodyId of account.bodyIds) this.sql('INSERT INTO account_bodies (account_id, body_id) VALUES (?, ?)').run(account.id, bodyId);
    })();
  }

  find(id: string): AccountRecord | undefined {
    const row = this.sql(`${ACCOUNT_SELECT} WHERE a.id = ?`).get(id) as AccountRow | undefined;
    return row && toAccount(row);
  }

  findByUsername(username: string): AccountRecord | undefined {
    const row = this.sql(`${ACCOUNT_SELECT} WHERE a.username = ?`).get(username) as AccountRow | undefined;
    return row && toAccount(row);
  }

  list(): AccountRecord[] {
    return (this.sql(`${ACCOUNT_SELECT} ORDER BY a.username`).all() as AccountRow[]).map(toAccount);
  }

  /** Active investigators of a body, for assignment. */
  investigatorsOf(bodyId: string): AccountRecord[] {
    return (
      this.sql(`${ACCOUNT_SELECT} JOIN account_bodies ab ON ab.account_id = a.id WHERE ab.body_id = ? AND a.role = 'investigator' AND a.disabled_on IS NULL ORDER BY a.username`)
        .all(bodyId) as AccountRow[]
    ).map(toAccount);
  }

  /**
   * Counts an attempt as failed before it is checked, unless the account is locked at `now`: so
   * attempts sent in parallel cannot all pass the lock while the first is still being checked.
   * Returns null when locked, else what `refundAttempt` needs to give the attempt back.
   */
  reserveAttempt(id: string, now: number, lockedUntil: (failures: number) => number | null): AttemptReservation | null {
    return this.db.transaction(() => {
      const before = this.sql('SELECT locked_until FROM accounts WHERE id = ? AND (locked_until IS NULL OR locked_until <= ?)').get(id, now) as { locked_until: number | null } | undefined;
      if (before === undefined) return null;
      const { failed_logins: failures } = this.sql('UPDATE accounts SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins').get(id) as { failed_logins: number };
      const set = lockedUntil(failures);
      this.sql('UPDATE accounts SET locked_until = ? WHERE id = ?').run(set, id);
      return { previousLockedUntil: before.locked_until, lockedUntil: set };
    })();
  }

  /** A right answer: the count goes back down, and the lock back to what it was unless a failure since set another. */
  refundAttempt(id: string, reservation: AttemptReservation): void {
    this.sql(
        `UPDATE accounts SET failed_logins = max(failed_logins - 1, 0),
           locked_until = CASE WHEN locked_until IS @lockedUntil THEN @previousLockedUntil ELSE locked_until END
         WHERE id = @id`,
      )
      .run({ id, ...reservation });
  }

  recordSuccess(id: string): void {
    this.sql('UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = ?').run(id);
  }

  /**
   * A browser that completed a sign-in: the account lock does not apply to it (only its own count
   * does). Browsers whose trust ran out before `expiredBefore` are forgotten at the same time, so
   * the table does not grow with every cookie Tor Browser throws away.
   */
  trustDevice(tokenHash: string, accountId: string, at: number, expiredBefore: number): void {
    this.db.transaction(() => {
      this.sql('DELETE FROM trusted_devices WHERE created_at <= ?').run(expiredBefore);
      this.sql('INSERT INTO trusted_devices (token_hash, account_id, created_at) VALUES (?, ?, ?)').run(tokenHash, accountId, at);
    })();
  }

  /** The trusted device's failure count, or undefined when the token is not this account's or too old. */
  trustedDevice(tokenHash: string, accountId: string, createdAfter: number): { failedLogins: number } | undefined {
    const row = this.sql('SELECT failed_logins FROM trusted_devices WHERE token_hash = ? AND account_id = ? AND created_at > ?').get(tokenHash, accountId, createdAfter) as { failed_logins: number } | undefined;
    return row && { failedLogins: row.failed_logins };
  }

  /**
   * Counts an attempt from a trusted device as failed before it is checked, in one statement, so
   * that parallel attempts cannot all pass while the first is checked. False when the token is not
   * this account's, too old, or has `limit` attempts counted already: then it is trusted no more.
   */
  reserveDeviceAttempt(tokenHash: string, accountId: string, createdAfter: number, limit: number): boolean {
    return this.sql('UPDATE trusted_devices SET failed_logins = failed_logins + 1 WHERE token_hash = ? AND account_id = ? AND created_at > ? AND failed_logins < ? RETURNING failed_logins')
      .get(tokenHash, accountId, createdAfter, limit) !== undefined;
  }

  /** A right answer from a trusted device: the attempt counted in advance is given back. */
  refundDeviceAttempt(tokenHash: string): void {
    this.sql('UPDATE trusted_devices SET failed_logins = max(failed_logins - 1, 0) WHERE token_hash = ?').run(tokenHash);
  }

  /** A wrong answer from a trusted device (already counted): with `limit` failures it is trusted no more. */
  settleDeviceFailure(tokenHash: string, limit: number): void {
    this.sql('DELETE FROM trusted_devices WHERE token_hash = ? AND failed_logins >= ?').run(tokenHash, limit);
  }

  /** A complete sign-in from a trusted device: its count starts again and its trust runs from `at`. False if it is gone. */
  renewDevice(tokenHash: string, at: number): boolean {
    return this.sql('UPDATE trusted_devices SET failed_logins = 0, created_at = ? WHERE token_hash = ?').run(at, tokenHash).changes === 1;
  }

  /** Ends the trust of the account's devices, but for the one named by `keepTokenHash`. */
  forgetDevices(accountId: string, keepTokenHash?: string): void {
    this.sql('DELETE FROM trusted_devices WHERE account_id = ? AND token_hash IS NOT ?').run(accountId, keepTokenHash ?? null);
  }

  setPassword(id: string, passwordHash: string, mustChangePassword: boolean): void {
    this.sql('UPDATE accounts SET password_hash = ?, must_change_password = ? WHERE id = ?').run(passwordHash, mustChangePassword ? 1 : 0, id);
  }

  setTotp(id: string, secret: Uint8Array, lastStep: number): void {
    this.sql('UPDATE accounts SET totp_secret = ?, totp_last_step = ? WHERE id = ?').run(Buffer.from(secret), lastStep, id);
  }

  /** Records the step of a code just used; false if another request used it (or a later one) first. */
  consumeTotpStep(id: string, step: number): boolean {
    return this.sql('UPDATE accounts SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)').run(step, id, step).changes === 1;
  }

  /** Disables an active account and ends the trust of its devices; false when it was disabled already (its first day stays). */
  disable(id: string, on: Day): boolean {
    return this.db.transaction(() => {
      if (this.sql('UPDATE accounts SET disabled_on = ? WHERE id = ? AND disabled_on IS NULL').run(on, id).changes === 0) return false;
      this.forgetDevices(id);
      return true;
    })();
  }

  /** Removes every second factor: TOTP, security keys, recovery codes; and the devices trusted with them. */
  clearSecondFactors(id: string): void {
    this.db.transaction(() => {
      this.forgetDevices(id);
      this.sql('UPDATE accounts SET totp_secret = NULL, totp_last_step = NULL WHERE id = ?').run(id);
      this.sql('DELETE FROM webauthn_credentials WHERE account_id = ?').run(id);
      this.sql('DELETE FROM recovery_codes WHERE account_id = ?').run(id);
    })();
  }

  replaceRecoveryCodes(id: string, codeHashes: readonly string[]): void {
    this.db.transaction(() => {
      this.sql('DELETE FROM recovery_codes WHERE account_id = ?').run(id);
      for (const hash of codeHashes) this.sql('INSERT INTO recovery_codes (account_id, code_hash) VALUES (?, ?)').run(id, hash);
    })();
  }

  /** Marks an unused code used; false if it is unknown or was used before. */
  useRecoveryCode(id: string, codeHash: string, on: Day): boolean {
    return this.sql('UPDATE recovery_codes SET used_on = ? WHERE account_id = ? AND code_hash = ? AND used_on IS NULL').run(on, id, codeHash).changes === 1;
  }

  recoveryCodesLeft(id: string): number {
    return (this.sql('SELECT count(*) AS n FROM recovery_codes WHERE account_id = ? AND used_on IS NULL').get(id) as { n: number }).n;
  }

  addWebAuthnCredential(credential: WebAuthnCredentialRecord, on: Day): void {
    this.sql('INSERT INTO webauthn_credentials (id, account_id, public_key, counter, transports, created_on) VALUES (?, ?, ?, ?, ?, ?)')
      .run(credential.id, credential.accountId, Buffer.from(credential.publicKey), credential.counter, JSON.stringify(credential.transports), on);
  }

  webAuthnCredentials(accountId: string): WebAuthnCredentialRecord[] {
    const rows = this.sql('SELECT * FROM webauthn_credentials WHERE account_id = ? ORDER BY created_on, id').all(accountId) as {
      id: string;
      account_id: string;
      public_key: Buffer;
      counter: number;
      transports: string;
    }[];
    return rows.map((row) => ({
      id: row.id,
      accountId: row.account_id,
      publicKey: new Uint8Array(row.public_key),
      counter: row.counter,
      transports: JSON.parse(row.transports) as string[],
    }));
  }

  updateWebAuthnCounter(id: string, counter: number): void {
    this.sql('UPDATE webauthn_credentials SET counter = ? WHERE id = ?').run(counter, id);
  }

  /** Adds a key and retires the account's previous ones (rotation: they stay, for old cases). */
  addKey(key: Omit<InvestigatorKeyRecord, 'retiredOn'>): void {
    this.db.transaction(() => {
      this.sql('UPDATE investigator_keys SET retired_on = ? WHERE account_id = ? AND retired_on IS NULL').run(key.createdOn, key.accountId);
      this.sql('INSERT INTO investigator_keys (fingerprint, account_id, public_key, locked_private_key, created_on) VALUES (?, ?, ?, ?, ?)')
        .run(key.fingerprint, key.accountId, key.publicKey, key.lockedPrivateKey, key.createdOn);
    })();
  }

  keys(accountId: string): InvestigatorKeyRecord[] {
    const rows = this.sql('SELECT * FROM investigator_keys WHERE account_id = ? ORDER BY created_on DESC, rowid DESC').all(accountId) as {
      fingerprint: string;
      account_id: string;
      public_key: string;
      locked_private_key: string;
      created_on: string;
      retired_on: string | null;
    }[];
    return rows.map((row) => ({
      fingerprint: row.fingerprint,
      accountId: row.account_id,
      publicKey: row.public_key,
      lockedPrivateKey: row.locked_private_key,
      createdOn: row.created_on as Day,
      retiredOn: row.retired_on as Day | null,
    }));
  }

  /** The current key of every active investigator of the body: what its directory should list. */
  activeRecipients(bodyId: string): ActiveRecipient[] {
    return this.sql(
        `SELECT a.id AS accountId, a.username, k.fingerprint, k.public_key AS publicKey
           FROM accounts a JOIN account_bodies ab ON ab.account_id = a.id
           JOIN investigator_keys k ON k.account_id = a.id AND k.retired_on IS NULL
          WHERE ab.body_id = ? AND a.role = 'investigator' AND a.disabled_on IS NULL
          ORDER BY a.username`,
      )
      .all(bodyId) as ActiveRecipient[];
  }
}
