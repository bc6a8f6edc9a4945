/**
 * Browsers that completed a sign-in of an account (device cookies, server/console/auth/sign-in-guard.ts):
 * only a hash of each token is stored, with the device's own count of failed attempts.
 */
import { statementCache, type Db } from './database';

export class TrustedDevicesRepository {
  private readonly sql: ReturnType<typeof statementCache>;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  /**
   * A browser that completed a sign-in: the account lock does not apply to it (only its own count
   * does). Browsers whose trust ran out before `expiredBefore` are forgotten at the same time, so
   * the table does not grow with every cookie Tor Browser throws away.
   */
  trust(tokenHash: string, accountId: string, at: number, expiredBefore: number): void {
    this.db.transaction(() => {
      this.sql('DELETE FROM trusted_devices WHERE created_at <= ?').run(expiredBefore);
      this.sql('INSERT INTO trusted_devices (token_hash, account_id, created_at) VALUES (?, ?, ?)').run(tokenHash, accountId, at);
    })();
  }

  /** The trusted device's failure count, or undefined when the token is not this account's or too old. */
  find(tokenHash: string, accountId: string, createdAfter: number): { failedLogins: number } | undefined {
    const row = this.sql('SELECT failed_logins FROM trusted_devices WHERE token_hash = ? AND account_id = ? AND created_at > ?').get(tokenHash, accountId, createdAfter) as { failed_logins: number } | undefined;
    return row && { failedLogins: row.failed_logins };
  }

  /**
   * Counts an attempt from a trusted device as failed before it is checked, in one statement, so
   * that parallel attempts cannot all pass while the first is checked. False when the token is not
   * this account's, too old, or has `limit` attempts counted already: then it is trusted no more.
   */
  reserveAttempt(tokenHash: string, accountId: string, createdAfter: number, limit: number): boolean {
    return this.sql('UPDATE trusted_devices SET failed_logins = failed_logins + 1 WHERE token_hash = ? AND account_id = ? AND created_at > ? AND failed_logins < ? RETURNING failed_logins')
      .get(tokenHash, accountId, createdAfter, limit) !== undefined;
  }

  /** A right answer from a trusted device: the attempt counted in advance is given back. */
  refundAttempt(tokenHash: string): void {
    this.sql('UPDATE trusted_devices SET failed_logins = max(failed_logins - 1, 0) WHERE token_hash = ?').run(tokenHash);
  }

  /** A wrong answer from a trusted device (already counted): with `limit` failures it is trusted no more. */
  settleFailure(tokenHash: string, limit: number): void {
    this.sql('DELETE FROM trusted_devices WHERE token_hash = ? AND failed_logins >= ?').run(tokenHash, limit);
  }

  /** A complete sign-in from a trusted device: its count starts again and its trust runs from `at`. False if it is gone. */
  renew(tokenHash: string, at: number): boolean {
    return this.sql('UPDATE trusted_devices SET failed_logins = 0, created_at = ? WHERE token_hash = ?').run(at, tokenHash).changes === 1;
  }

  /** Ends the trust of the account's devices, but for the one named by `keepTokenHash`. */
  deleteForAccount(accountId: string, keepTokenHash?: string): void {
    this.sql('DELETE FROM trusted_devices WHERE account_id = ? AND token_hash IS NOT ?').run(accountId, keepTokenHash ?? null);
  }
}
