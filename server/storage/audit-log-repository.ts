/**
 * The review console's audit log: who did what, to which body and case, and when; append-only (the
 * schema's triggers refuse UPDATE and DELETE) and hash-chained, so that editing or deleting history
 * with direct access to the database file is detected by `verify`. The hashed encoding is specified
 * in docs/protocol.md §16 so that an auditor can re-check the chain with other tools.
 */
import { z } from 'zod';
import { createSha256, utf8Encode, type Hex } from '../../crypto/index';
import { AUDIT_ACTIONS, type AuditAction } from '../../protocol/console-api/admin';
import { parseInput } from '../http/validate';
import { statementCache, type Db } from './database';

// The list is the console API's: the console names each action, so one list serves both sides.
export { AUDIT_ACTIONS, type AuditAction } from '../../protocol/console-api/admin';

/** Identifiers and workflow values only: never content of a report, note or reply, never a secret. */
export type AuditDetails = Readonly<Record<string, string | number | boolean | null>>;

export interface NewAuditEntry {
  /** The acting account's username, or `(command line)` for the admin CLI. */
  readonly actor: string;
  readonly action: AuditAction;
  readonly bodyId?: string;
  readonly caseId?: string;
  readonly details?: AuditDetails;
}

export interface AuditEntry {
  readonly seq: number;
  /** ISO 8601 in UTC with milliseconds, as `Date.prototype.toISOString` writes it. */
  readonly at: string;
  readonly actor: string;
  readonly action: AuditAction;
  readonly bodyId: string | null;
  readonly caseId: string | null;
  readonly details: AuditDetails;
  readonly prevHash: Hex;
  readonly hash: Hex;
}

/** Where a chain stops holding: an entry's own hash, its link to the one before, or a missing entry. */
export type AuditBreak = 'hash-mismatch' | 'chain-broken' | 'sequence-gap';

export type AuditVerification =
  | { readonly intact: true; readonly entries: number; readonly headHash: Hex }
  | {
      readonly intact: false;
      /** Rows in the log, including those after the break. */
      readonly entries: number;
      /** The first entry that does not hold; for a gap, the first missing sequence number. */
      readonly firstBrokenSeq: number;
      readonly reason: AuditBreak;
    };

export interface AuditListOptions {
  readonly bodyId?: string;
  readonly caseId?: string;
  /** Entries strictly older than this one: the next page of a newest-first listing. */
  readonly beforeSeq?: number;
  readonly limit: number;
}

/** The label that versions the hashed encoding; a new encoding gets a new label. */
export const AUDIT_ENTRY_LABEL = 'candor/v1/audit-entry';
export const AUDIT_GENESIS_HASH = '0'.repeat(64) as Hex;
export const AUDIT_LIST_MAX = 500;

// Restricted so that the canonical JSON below is the same in every language's JSON library: ASCII
// keys sort the same everywhere, integers print the same everywhere, and well-formed text encodes.
const detailKey = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a detail key is 1 to 64 ASCII letters, digits, "_", "." or "-"');
const wellFormedText = (max: number) =>
  z.string().max(max).refine((text) => !/\p{Surrogate}/u.test(text), 'text must be well-formed Unicode');
const detailValue = z.union([wellFormedText(1000), z.int(), z.boolean(), z.null()]);

const newEntrySchema = z
  .object({
    actor: wellFormedText(200).min(1),
    action: z.enum(AUDIT_ACTIONS),
    bodyId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a body id is a lower-case slug').optional(),
    caseId: z.string().regex(/^[0-9a-f]{64}$/, 'a case id is 64 lower-case hex characters').optional(),
    details: z.record(detailKey, detailValue).refine((details) => Object.keys(details).length <= 32, 'at most 32 details').optional(),
  })
  .strict();

const listSchema = z
  .object({
    bodyId: z.string().min(1).optional(),
    caseId: z.string().min(1).optional(),
    beforeSeq: z.int().min(1).optional(),
    limit: z.int().min(1).max(AUDIT_LIST_MAX),
  })
  .strict();

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  body_id: string | null;
  case_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** Keys sorted, no whitespace: RFC 8785 (JCS) for the values the schema above allows. */
function canonicalDetails(details: AuditDetails): string {
  const members = Object.keys(details)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${JSON.stringify(details[key])}`);
  return `{${members.join(',')}}`;
}

/**
 * SHA-256 of the canonical JSON array of a row (docs/protocol.md §16). `details` is the stored text,
 * which is already canonical, so any change to its bytes changes the hash.
 */
export function auditEntryHash(row: Omit<AuditRow, 'hash'>): Hex {
  const encoded = [
    JSON.stringify(AUDIT_ENTRY_LABEL),
    String(row.seq),
    JSON.stringify(row.at),
    JSON.stringify(row.actor),
    JSON.stringify(row.action),
    JSON.stringify(row.body_id),
    JSON.stringify(row.case_id),
    row.details,
    JSON.stringify(row.prev_hash),
  ].join(',');
  const hasher = createSha256();
  hasher.update(utf8Encode(`[${encoded}]`));
  return hasher.digestHex();
}

const toEntry = (row: AuditRow): AuditEntry => ({
  seq: row.seq,
  at: row.at,
  actor: row.actor,
  action: row.action as AuditAction,
  bodyId: row.body_id,
  caseId: row.case_id,
  details: JSON.parse(row.details) as AuditDetails,
  prevHash: row.prev_hash as Hex,
  hash: row.hash as Hex,
});

export class AuditLogRepository {
  private readonly sql: ReturnType<typeof statementCache>;
  private readonly appendTransaction: (entry: z.output<typeof newEntrySchema>, at: Date) => AuditEntry;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
    const transaction = db.transaction((entry: z.output<typeof newEntrySchema>, at: Date) => this.appendNow(entry, at));
    // IMMEDIATE takes the write lock before the head is read: with a deferred transaction, a second
    // connection appending between our read and our write would make the commit fail (SQLITE_BUSY)
    // instead of waiting. Inside a caller's transaction this becomes a savepoint of it.
    this.appendTransaction = (entry, at) => transaction.immediate(entry, at);
  }

  /**
   * Appends an entry after the current head. Call it inside the transaction that makes the change it
   * records, so that the change and its entry are stored together or not at all.
   */
  append(entry: NewAuditEntry, at: Date): AuditEntry {
    const parsed = parseInput(newEntrySchema, entry, 'audit entry');
    if (Number.isNaN(at.getTime())) throw new RangeError('An audit entry needs a valid time.');
    return this.appendTransaction(parsed, at);
  }

  private appendNow(entry: z.output<typeof newEntrySchema>, at: Date): AuditEntry {
    const head = this.sql('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    const unhashed = {
      seq: (head?.seq ?? 0) + 1,
      at: at.toISOString(),
      actor: entry.actor,
      action: entry.action,
      body_id: entry.bodyId ?? null,
      case_id: entry.caseId ?? null,
      details: canonicalDetails(entry.details ?? {}),
      prev_hash: head?.hash ?? AUDIT_GENESIS_HASH,
    };
    const row: AuditRow = { ...unhashed, hash: auditEntryHash(unhashed) };
    this.sql(
      `INSERT INTO audit_log (seq, at, actor, action, body_id, case_id, details, prev_hash, hash)
       VALUES (@seq, @at, @actor, @action, @body_id, @case_id, @details, @prev_hash, @hash)`,
    ).run(row);
    return toEntry(row);
  }

  /**
   * Walks the whole log in order, one row in memory at a time, and reports the first entry that does
   * not hold. A chain cannot show that its newest entries were removed: keep the head hash elsewhere.
   */
  verify(): AuditVerification {
    // One read transaction: appends that commit meanwhile are not half seen.
    return this.db.transaction(() => {
      let entries = 0;
      let previous = { seq: 0, hash: AUDIT_GENESIS_HASH as string };
      let broken: { seq: number; reason: AuditBreak } | undefined;
      for (const row of this.sql('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
        entries++;
        if (broken !== undefined) continue;
        if (row.seq !== previous.seq + 1) broken = { seq: previous.seq + 1, reason: 'sequence-gap' };
        else if (row.prev_hash !== previous.hash) broken = { seq: row.seq, reason: 'chain-broken' };
        else if (auditEntryHash(row) !== row.hash) broken = { seq: row.seq, reason: 'hash-mismatch' };
        previous = row;
      }
      return broken === undefined
        ? { intact: true as const, entries, headHash: previous.hash as Hex }
        : { intact: false as const, entries, firstBrokenSeq: broken.seq, reason: broken.reason };
    })();
  }

  /** Newest first, for the console's audit view; page on with `beforeSeq` = the last seq shown. */
  list(options: AuditListOptions): AuditEntry[] {
    const { bodyId, caseId, beforeSeq, limit } = parseInput(listSchema, options, 'audit query');
    // Only the conditions given, so that SQLite can use the by-case and by-body indexes.
    const where = [caseId === undefined ? '' : 'case_id = @caseId', bodyId === undefined ? '' : 'body_id = @bodyId', beforeSeq === undefined ? '' : 'seq < @beforeSeq'].filter(Boolean);
    const rows = this.sql(`SELECT * FROM audit_log ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit`).all({
      ...(bodyId === undefined ? {} : { bodyId }),
      ...(caseId === undefined ? {} : { caseId }),
      ...(beforeSeq === undefined ? {} : { beforeSeq }),
      limit,
    }) as AuditRow[];
    return rows.map(toEntry);
  }
}
