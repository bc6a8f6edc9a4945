/**
 * An account's second factors: its TOTP secret, its recovery codes (hashed) and its WebAuthn
 * credentials. The TOTP secret is a column of `accounts`, so AccountRecord carries it for sign-in;
 * it is written only here.
 */
import type { Day } from '../clock';
import { statementCache, type Db } from './database';
import type { TrustedDevicesRepository } from './trusted-devices-repository';

export interface WebAuthnCredentialRecord {
  readonly id: string;
  readonly accountId: string;
  readonly publicKey: Uint8Array;
  readonly counter: number;
  readonly transports: readonly string[];
}

export class SecondFactorsRepository {
  private readonly sql: ReturnType<typeof statementCache>;

  constructor(
    private readonly db: Db,
    private readonly devices: TrustedDevicesRepository,
  ) {
    this.sql = statementCache(db);
  }

  setTotp(accountId: string, secret: Uint8Array, lastStep: number): void {
    this.sql('UPDATE accounts SET totp_secret = ?, totp_last_step = ? WHERE id = ?').run(Buffer.from(secret), lastStep, accountId);
  }

  /** Records the step of a code just used; false if another request used it (or a later one) first. */
  consumeTotpStep(accountId: string, step: number): boolean {
    return this.sql('UPDATE accounts SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)').run(step, accountId, step).changes === 1;
  }

  /** Removes every second factor: TOTP, security keys, recovery codes; and the devices trusted with them. */
  clear(accountId: string): void {
    this.db.transaction(() => {
      this.devices.deleteForAccount(accountId);
      this.sql('UPDATE accounts SET totp_secret = NULL, totp_last_step = NULL WHERE id = ?').run(accountId);
      this.sql('DELETE FROM webauthn_credentials WHERE account_id = ?').run(accountId);
      this.sql('DELETE FROM recovery_codes WHERE account_id = ?').run(accountId);
    })();
  }

  replaceRecoveryCodes(accountId: string, codeHashes: readonly string[]): void {
    this.db.transaction(() => {
      this.sql('DELETE FROM recovery_codes WHERE account_id = ?').run(accountId);
      for (const hash of codeHashes) this.sql('INSERT INTO recovery_codes (account_id, code_hash) VALUES (?, ?)').run(accountId, hash);
    })();
  }

  /** Marks an unused code used; false if it is unknown or was used before. */
  useRecoveryCode(accountId: string, codeHash: string, on: Day): boolean {
    return this.sql('UPDATE recovery_codes SET used_on = ? WHERE account_id = ? AND code_hash = ? AND used_on IS NULL').run(on, accountId, codeHash).changes === 1;
  }

  recoveryCodesLeft(accountId: string): number {
    return (this.sql('SELECT count(*) AS n FROM recovery_codes WHERE account_id = ? AND used_on IS NULL').get(accountId) as { n: number }).n;
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
}
