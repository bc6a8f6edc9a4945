/**
 * How much the intake stores and takes in, for the storage budgets. The counters are kept by the
 * schema's triggers (migration 5), so reading them costs one row whatever the size of the data.
 */
import type { Day } from '../clock';
import { statementCache, type Db } from './database';

export interface UnfinishedUploads {
  readonly count: number;
  /** At their declared sizes, as they count against the budgets. */
  readonly bytes: number;
}

export class UsageRepository {
  private readonly sql: ReturnType<typeof statementCache>;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  /** Bytes of every case: objects' ciphertext, attachments, and unfinished uploads at their declared size. */
  totalBytes(): number {
    return this.sql('SELECT total_bytes FROM storage_usage WHERE id = 1').pluck().get() as number;
  }

  /** Bytes reporters sent on this day: reports, their copies, follow-ups, and uploads started. */
  intakeBytesOn(day: Day): number {
    return this.sql('SELECT coalesce((SELECT bytes FROM intake_days WHERE day = ?), 0)').pluck().get(day) as number;
  }

  /** Forgets the days before `day`; the counts of past days serve no budget. Returns how many went. */
  pruneIntakeDaysBefore(day: Day): number {
    return this.sql('DELETE FROM intake_days WHERE day < ?').run(day).changes;
  }

  unfinishedUploads(): UnfinishedUploads {
    return this.sql('SELECT count(*) AS count, coalesce(sum(declared_size), 0) AS bytes FROM uploads').get() as UnfinishedUploads;
  }
}
