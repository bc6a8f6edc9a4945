/**
 * How much the intake stores and takes in, for the storage budgets. The counters are kept by the
 * schema's triggers (migration 5), so reading them costs one row whatever the size of the data.
 */
import type { Day } from '../clock';
import { statementCache, type Db } from './database';

export interface UnfinishedUploads {
  readonly count: number;
  /** What they received so far: what counts against the budgets. */
  readonly bytes: number;
  /** What they declared they would hold at most. */
  readonly declaredBytes: number;
}

export class UsageRepository {
  private readonly sql: ReturnType<typeof statementCache>;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  /** Bytes of every case: objects' ciphertext, attachments, and what unfinished uploads received. */
  totalBytes(): number {
    return this.sql('SELECT total_bytes FROM storage_usage WHERE id = 1').pluck().get() as number;
  }

  /** Bytes reporters sent on this day: follow-ups, their copies, and file bytes (new reports are not counted). */
  intakeBytesOn(day: Day): number {
    return this.sql('SELECT coalesce((SELECT bytes FROM intake_days WHERE day = ?), 0)').pluck().get(day) as number;
  }

  /** Forgets the days before `day`; the counts of past days serve no budget. Returns how many went. */
  pruneIntakeDaysBefore(day: Day): number {
    return this.sql('DELETE FROM intake_days WHERE day < ?').run(day).changes;
  }

  unfinishedUploads(): UnfinishedUploads {
    return this.sql('SELECT count(*) AS count, coalesce(sum(received_bytes), 0) AS bytes, coalesce(sum(declared_size), 0) AS declaredBytes FROM uploads').get() as UnfinishedUploads;
  }
}
