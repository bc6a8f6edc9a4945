/**
 * The statistics' only reads: which bodies publish, and the workflow days and outcome of their
 * cases. Never ciphertext, sizes, keys, assignees or labels: what is not selected cannot leak.
 */
import type { Day } from '../clock';
import { statementCache, type Db } from '../storage/database';
import type { PublishingBody } from './compute-statistics';
import type { WorkflowRow } from './exact-figures';

interface WorkflowRowRecord {
  body_id: string;
  received_on: string;
  acknowledged_on: string | null;
  feedback_on: string | null;
  closed_on: string | null;
  outcome: string | null;
}

const toWorkflowRow = (row: WorkflowRowRecord): WorkflowRow => ({
  bodyId: row.body_id,
  receivedOn: row.received_on as Day,
  acknowledgedOn: row.acknowledged_on as Day | null,
  feedbackOn: row.feedback_on as Day | null,
  closedOn: row.closed_on as Day | null,
  outcome: row.outcome,
});

export interface PublishingSnapshot {
  readonly bodies: readonly PublishingBody[];
  readonly rows: readonly WorkflowRow[];
}

export class StatisticsRepository {
  private readonly sql: ReturnType<typeof statementCache>;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  /**
   * A mark that changes whenever what the figures are computed from may have changed: every
   * workflow change, purge, deletion and publishing choice writes an audit entry. New cases do not,
   * but they fall in the current period, which no published figure covers yet.
   */
  changeMark(): number {
    return this.sql('SELECT coalesce(max(seq), 0) FROM audit_log').pluck().get() as number;
  }

  /** The publishing bodies and their cases, read in one transaction so the two always agree. */
  snapshot(): PublishingSnapshot {
    return this.db.transaction(() => ({
      bodies: this.sql('SELECT id, name, created_on AS createdOn FROM bodies WHERE publish_statistics = 1 ORDER BY name, id').all() as PublishingBody[],
      rows: (
        this.sql(
          `SELECT c.body_id, c.received_on, c.acknowledged_on, c.feedback_on, c.closed_on, c.outcome
           FROM cases c JOIN bodies b ON b.id = c.body_id
           WHERE b.publish_statistics = 1`,
        ).all() as WorkflowRowRecord[]
      ).map(toWorkflowRow),
    }))();
  }
}
