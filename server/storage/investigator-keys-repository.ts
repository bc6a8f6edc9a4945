/**
 * Investigators' OpenPGP keys, current and retired. Private keys are stored only passphrase-locked
 * (checked before they get here, by crypto's checkLockedPrivateKey).
 */
import type { Day } from '../clock';
import { statementCache, type Db } from './database';

export interface InvestigatorKeyRecord {
  readonly fingerprint: string;
  readonly accountId: string;
  readonly publicKey: string;
  readonly lockedPrivateKey: string;
  readonly createdOn: Day;
  readonly retiredOn: Day | null;
}

/** An investigator's current key, as the body's directory should list it. */
export interface ActiveRecipient {
  readonly accountId: string;
  readonly username: string;
  readonly fingerprint: string;
  readonly publicKey: string;
}

export class InvestigatorKeysRepository {
  private readonly sql: ReturnType<typeof statementCache>;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  /** Adds a key and retires the account's previous ones (rotation: they stay, for old cases). */
  add(key: Omit<InvestigatorKeyRecord, 'retiredOn'>): void {
    this.db.transaction(() => {
      this.sql('UPDATE investigator_keys SET retired_on = ? WHERE account_id = ? AND retired_on IS NULL').run(key.createdOn, key.accountId);
      this.sql('INSERT INTO investigator_keys (fingerprint, account_id, public_key, locked_private_key, created_on) VALUES (?, ?, ?, ?, ?)')
        .run(key.fingerprint, key.accountId, key.publicKey, key.lockedPrivateKey, key.createdOn);
    })();
  }

  /** The account's keys, newest first. */
  list(accountId: string): InvestigatorKeyRecord[] {
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
