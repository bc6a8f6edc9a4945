/** Cases and the encrypted objects in them. Every multi-row change is one transaction. */
import type { Day } from '../clock';
import { statementCache, type Db } from './database';

export type CaseObjectKind = 'report' | 'reporter-copy' | 'followup' | 'reply' | 'reply-copy' | 'note';

export type CaseStatus = 'received' | 'acknowledged' | 'in-assessment' | 'under-investigation' | 'closed';

export interface CaseRecord {
  readonly id: string;
  readonly bodyId: string;
  readonly authPublicKey: Uint8Array;
  readonly replyPublicKey: Uint8Array;
  readonly receivedOn: Day;
  readonly status: CaseStatus;
  readonly outcome: string | null;
  readonly acknowledgedOn: Day | null;
  readonly closedOn: Day | null;
}

export interface CaseObject {
  readonly seq: number;
  readonly kind: CaseObjectKind;
  readonly createdOn: Day;
  readonly ciphertext: Uint8Array;
}

export interface NewCase {
  readonly id: string;
  readonly bodyId: string;
  readonly authPublicKey: Uint8Array;
  readonly replyPublicKey: Uint8Array;
  readonly receivedOn: Day;
  readonly objects: readonly { readonly kind: CaseObjectKind; readonly ciphertext: Uint8Array }[];
}

interface CaseRow {
  id: string;
  body_id: string;
  auth_public_key: Buffer;
  reply_public_key: Buffer;
  received_on: string;
  status: string;
  outcome: string | null;
  acknowledged_on: string | null;
  closed_on: string | null;
}

interface ObjectRow {
  seq: number;
  kind: string;
  created_on: string;
  ciphertext: Buffer;
}

const toCase = (row: CaseRow): CaseRecord => ({
  id: row.id,
  bodyId: row.body_id,
  authPublicKey: new Uint8Array(row.auth_public_key),
  replyPublicKey: new Uint8Array(row.reply_public_key),
  receivedOn: row.received_on as Day,
  status: row.status as CaseStatus,
  outcome: row.outcome,
  acknowledgedOn: row.acknowledged_on as Day | null,
  closedOn: row.closed_on as Day | null,
});

const toObject = (row: ObjectRow): CaseObject => ({
  seq: row.seq,
  kind: row.kind as CaseObjectKind,
  createdOn: row.created_on as Day,
  ciphertext: new Uint8Array(row.ciphertext),
});

export class CasesRepository {
  private readonly sql: ReturnType<typeof statementCache>;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  /** Inserts the case and its first objects atomically: afterwards the case is whole, or absent. */
  create(newCase: NewCase): void {
    this.db.transaction(() => {
      this.sql(
          `INSERT INTO cases (id, body_id, auth_public_key, reply_public_key, received_on)
           VALUES (?, ?, ?, ?, ?)`,
        )
        .run(newCase.id, newCase.bodyId, Buffer.from(newCase.authPublicKey), Buffer.from(newCase.replyPublicKey), newCase.receivedOn);
      newCase.objects.forEach((object, index) => {
        this.sql('INSERT INTO case_objects (case_id, seq, kind, created_on, ciphertext) VALUES (?, ?, ?, ?, ?)')
          .run(newCase.id, index + 1, object.kind, newCase.receivedOn, Buffer.from(object.ciphertext));
      });
    })();
  }

  find(id: string): CaseRecord | undefined {
    const row = this.sql('SELECT * FROM cases WHERE id = ?').get(id) as CaseRow | undefined;
    return row && toCase(row);
  }

  addObject(caseId: string, kind: CaseObjectKind, ciphertext: Uint8Array, createdOn: Day): number {
    return this.db.transaction(() => {
      const { next } = this.sql('SELECT coalesce(max(seq), 0) + 1 AS next FROM case_objects WHERE case_id = ?')
        .get(caseId) as { next: number };
      this.sql('INSERT INTO case_objects (case_id, seq, kind, created_on, ciphertext) VALUES (?, ?, ?, ?, ?)')
        .run(caseId, next, kind, createdOn, Buffer.from(ciphertext));
      return next;
    })();
  }

  objects(caseId: string, kinds: readonly CaseObjectKind[]): CaseObject[] {
    const placeholders = kinds.map(() => '?').join(', ');
    const rows = this.sql(`SELECT seq, kind, created_on, ciphertext FROM case_objects WHERE case_id = ? AND kind IN (${placeholders}) ORDER BY seq`)
      .all(caseId, ...kinds) as ObjectRow[];
    return rows.map(toObject);
  }

  /** Bytes the case holds: its objects, attachments, and uploads in progress at their declared size. */
  storedBytes(caseId: string): number {
    const row = this.sql(
        `SELECT (SELECT coalesce(sum(length(ciphertext)), 0) FROM case_objects WHERE case_id = @caseId)
              + (SELECT coalesce(sum(size), 0) FROM attachments WHERE case_id = @caseId)
              + (SELECT coalesce(sum(declared_size), 0) FROM uploads WHERE case_id = @caseId) AS total`,
      )
      .get({ caseId }) as { total: number };
    return row.total;
  }
}
