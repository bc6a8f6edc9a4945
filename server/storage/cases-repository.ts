/** Cases and the encrypted objects in them. Every multi-row change is one transaction. */
import type { Day } from '../clock';
import { acknowledgeDueOn, DUE_SOON_DAYS, feedbackDueOn } from '../domain/deadlines';
import { statementCache, type Db } from './database';
import type { CaseOutcome, CasePriority, CaseStatus } from '../../protocol/case-workflow';

export type CaseObjectKind = 'report' | 'reporter-copy' | 'followup' | 'reply' | 'reply-copy' | 'note';

export { CASE_OUTCOMES, CASE_PRIORITIES, CASE_STATUSES, type CaseOutcome, type CasePriority, type CaseStatus } from '../../protocol/case-workflow';

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
  readonly priority: CasePriority;
  readonly assigneeId: string | null;
  readonly feedbackOn: Day | null;
}

/** What investigators may change; the console's workflow rules decide which changes are allowed. */
export interface WorkflowChange {
  readonly status?: CaseStatus;
  readonly outcome?: CaseOutcome | null;
  readonly priority?: CasePriority;
  readonly assigneeId?: string | null;
  readonly acknowledgedOn?: Day | null;
  readonly feedbackOn?: Day | null;
  readonly closedOn?: Day | null;
}

export interface CaseListFilter {
  readonly bodyIds: readonly string[];
  readonly status?: CaseStatus;
  readonly priority?: CasePriority;
  /** `null` lists unassigned cases. */
  readonly assigneeId?: string | null;
  readonly label?: string;
  /** Cases with an acknowledgment or feedback due before `today` (overdue) or within DUE_SOON_DAYS (soon). */
  readonly due?: { readonly kind: 'overdue' | 'soon'; readonly today: Day };
  /** Keyset cursor: list cases older than this one (received_on, id) in the order of the list. */
  readonly after?: { readonly receivedOn: Day; readonly id: string };
  readonly limit: number;
}

export interface CaseObject {
  readonly seq: number;
  readonly kind: CaseObjectKind;
  readonly createdOn: Day;
  readonly ciphertext: Uint8Array;
}

/** An object without its ciphertext: what an index of a case lists, at the same cost for any object size. */
export interface CaseObjectInfo<Kind extends CaseObjectKind = CaseObjectKind> {
  readonly seq: number;
  readonly kind: Kind;
  readonly createdOn: Day;
  /** Bytes of the stored ciphertext. */
  readonly size: number;
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
  priority: string;
  assignee_id: string | null;
  feedback_on: string | null;
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
  priority: row.priority as CasePriority,
  assigneeId: row.assignee_id,
  feedbackOn: row.feedback_on as Day | null,
});

const WORKFLOW_COLUMNS: Readonly<Record<keyof WorkflowChange, string>> = {
  status: 'status',
  outcome: 'outcome',
  priority: 'priority',
  assigneeId: 'assignee_id',
  acknowledgedOn: 'acknowledged_on',
  feedbackOn: 'feedback_on',
  closedOn: 'closed_on',
};

/** Days as the deadlines module computes them, so SQL filters and answers never disagree. */
function registerDeadlineFunctions(db: Db): void {
  db.function('candor_acknowledge_due', { deterministic: true }, (receivedOn: unknown) => acknowledgeDueOn(receivedOn as Day));
  db.function('candor_feedback_due', { deterministic: true }, (receivedOn: unknown, acknowledgedOn: unknown) =>
    feedbackDueOn(receivedOn as Day, (acknowledgedOn ?? null) as Day | null),
  );
}

/** The next deadline of an open case, as nextDueOn: acknowledgment until one is sent, then feedback until given. */
const NEXT_DUE_SQL = `CASE
  WHEN status = 'closed' THEN NULL
  WHEN acknowledged_on IS NULL AND feedback_on IS NULL THEN candor_acknowledge_due(received_on)
  WHEN feedback_on IS NULL THEN candor_feedback_due(received_on, acknowledged_on)
  ELSE NULL END`;

const toObject = (row: ObjectRow): CaseObject => ({
  seq: row.seq,
  kind: row.kind as CaseObjectKind,
  createdOn: row.created_on as Day,
  // A view of the bytes SQLite handed over, not a copy: objects are up to megabytes.
  ciphertext: new Uint8Array(row.ciphertext.buffer, row.ciphertext.byteOffset, row.ciphertext.byteLength),
});

export class CasesRepository {
  private readonly sql: ReturnType<typeof statementCache>;

  constructor(private readonly db: Db) {
    registerDeadlineFunctions(db);
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

  /**
   * The case's objects of these kinds, in order, without their ciphertexts (SQLite reads a blob's
   * length from its record header); optionally only those after seq `after`, at most `limit` of them.
   * Every reporter's status check runs this, so it is written not to be compiled again on each run
   * (see statementCache in database.ts): the case id compared COLLATE BINARY, the limit in the text.
   */
  objectIndex<Kind extends CaseObjectKind>(caseId: string, kinds: readonly Kind[], page: { readonly after: number; readonly limit: number } = { after: 0, limit: -1 }): CaseObjectInfo<Kind>[] {
    if (!Number.isSafeInteger(page.limit)) throw new RangeError('A page limit is a whole number.');
    const placeholders = kinds.map(() => '?').join(', ');
    return this.sql(
        `SELECT seq, kind, created_on AS createdOn, length(ciphertext) AS size FROM case_objects
         WHERE case_id = ? COLLATE BINARY AND kind IN (${placeholders}) AND seq > ? ORDER BY seq LIMIT ${page.limit}`,
      )
      .all(caseId, ...kinds, page.after) as CaseObjectInfo<Kind>[];
  }

  /** Follow-ups of the case and their reporter copies: how many follow-ups, and the bytes of both. */
  followupUsage(caseId: string): { count: number; bytes: number } {
    // Objects 1 and 2 are the report and its reporter copy, stored with the case (create above).
    return this.sql(
        `SELECT coalesce(sum(kind = 'followup'), 0) AS count, coalesce(sum(length(ciphertext)), 0) AS bytes FROM case_objects
         WHERE case_id = ? AND seq > 2 AND kind IN ('followup', 'reporter-copy')`,
      )
      .get(caseId) as { count: number; bytes: number };
  }

  /** One object, if the case has one with this number and it is of one of these kinds. */
  findObject(caseId: string, seq: number, kinds: readonly CaseObjectKind[]): CaseObject | undefined {
    const placeholders = kinds.map(() => '?').join(', ');
    const row = this.sql(`SELECT seq, kind, created_on, ciphertext FROM case_objects WHERE case_id = ? AND seq = ? AND kind IN (${placeholders})`)
      .get(caseId, seq, ...kinds) as ObjectRow | undefined;
    return row && toObject(row);
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

  labels(caseId: string): string[] {
    return this.sql('SELECT label FROM case_labels WHERE case_id = ? ORDER BY label').pluck().all(caseId) as string[];
  }

  /** Applies the change and, when given, replaces the labels, in one transaction. */
  updateWorkflow(caseId: string, change: WorkflowChange, labels?: readonly string[]): void {
    this.db.transaction(() => {
      const entries = (Object.keys(WORKFLOW_COLUMNS) as (keyof WorkflowChange)[]).filter((key) => change[key] !== undefined);
      if (entries.length > 0) {
        const assignments = entries.map((key) => `${WORKFLOW_COLUMNS[key]} = @${key}`).join(', ');
        this.sql(`UPDATE cases SET ${assignments} WHERE id = @caseId`).run({ caseId, ...Object.fromEntries(entries.map((key) => [key, change[key]])) });
      }
      if (labels !== undefined) {
        this.sql('DELETE FROM case_labels WHERE case_id = ?').run(caseId);
        for (const label of labels) this.sql('INSERT INTO case_labels (case_id, label) VALUES (?, ?)').run(caseId, label);
      }
    })();
  }

  /** One page of a body-restricted, filtered list, newest first (keyset paging: fast at any depth). */
  list(filter: CaseListFilter): CaseRecord[] {
    if (filter.bodyIds.length === 0) return [];
    const where = [`body_id IN (${filter.bodyIds.map((_, i) => `@body${i}`).join(', ')})`];
    const params: Record<string, unknown> = Object.fromEntries(filter.bodyIds.map((id, i) => [`body${i}`, id]));
    if (filter.status !== undefined) {
      where.push('status = @status');
      params.status = filter.status;
    }
    if (filter.priority !== undefined) {
      where.push('priority = @priority');
      params.priority = filter.priority;
    }
    if (filter.assigneeId === null) where.push('assignee_id IS NULL');
    else if (filter.assigneeId !== undefined) {
      where.push('assignee_id = @assigneeId');
      params.assigneeId = filter.assigneeId;
    }
    if (filter.label !== undefined) {
      where.push('id IN (SELECT case_id FROM case_labels WHERE label = @label)');
      params.label = filter.label;
    }
    if (filter.due !== undefined) {
      params.today = filter.due.today;
      where.push(filter.due.kind === 'overdue' ? `(${NEXT_DUE_SQL}) < @today` : `(${NEXT_DUE_SQL}) BETWEEN @today AND date(@today, '+${DUE_SOON_DAYS} days')`);
    }
    if (filter.after !== undefined) {
      where.push('(received_on < @afterDay OR (received_on = @afterDay AND id < @afterId))');
      params.afterDay = filter.after.receivedOn;
      params.afterId = filter.after.id;
    }
    params.limit = filter.limit;
    const rows = this.sql(`SELECT * FROM cases WHERE ${where.join(' AND ')} ORDER BY received_on DESC, id DESC LIMIT @limit`).all(params) as CaseRow[];
    return rows.map(toCase);
  }

  /** Labels of many cases at once, for a list page. */
  labelsOf(caseIds: readonly string[]): Map<string, string[]> {
    const result = new Map<string, string[]>(caseIds.map((id) => [id, []]));
    if (caseIds.length === 0) return result;
    const rows = this.db
      .prepare(`SELECT case_id AS caseId, label FROM case_labels WHERE case_id IN (${caseIds.map(() => '?').join(', ')}) ORDER BY label`)
      .all(...caseIds) as { caseId: string; label: string }[];
    for (const { caseId, label } of rows) result.get(caseId)?.push(label);
    return result;
  }
}
