/**
 * Console accounts (admins, investigators), the bodies an investigator works for, and the failed
 * sign-in count and lock of each. Their second factors, keys and trusted devices have repositories
 * of their own beside this one.
 */
import type { AccountRole } from '../../protocol/console-api/common';
import type { Day } from '../clock';
import { statementCache, type Db } from './database';
import type { TrustedDevicesRepository } from './trusted-devices-repository';

/** The roles are the console API's words (protocol/console-api/common.ts). */
export type { AccountRole };

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

/** What counting an attempt in advance changed, so that a right answer can undo exactly that. */
export interface AttemptReservation {
  readonly previousLockedUntil: number | null;
  readonly lockedUntil: number | null;
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

  constructor(
    private readonly db: Db,
    private readonly devices: TrustedDevicesRepository,
  ) {
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

  setPassword(id: string, passwordHash: string, mustChangePassword: boolean): void {
    this.sql('UPDATE accounts SET password_hash = ?, must_change_password = ? WHERE id = ?').run(passwordHash, mustChangePassword ? 1 : 0, id);
  }

  /** Disables an active account and ends the trust of its devices; false when it was disabled already (its first day stays). */
  disable(id: string, on: Day): boolean {
    return this.db.transaction(() => {
      if (this.sql('UPDATE accounts SET disabled_on = ? WHERE id = ? AND disabled_on IS NULL').run(on, id).changes === 0) return false;
      this.devices.deleteForAccount(id);
      return true;
    })();
  }
}
