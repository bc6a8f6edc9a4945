/**
 * Investigators' e-mail alerts (server/notifications/): each account's settings, the events the
 * intake's triggers record (migration 7), the deadlines already alerted, and the one digest per
 * account waiting to be sent. The e-mail address is read only by its own account and by the sender.
 */
import type { Day } from '../clock';
import type { CaseStatus } from '../../protocol/case-workflow';
import { statementCache, type Db } from './database';

export interface NotificationSettingsRecord {
  readonly email: string;
  readonly enabled: boolean;
  readonly encrypt: boolean;
  readonly showCaseIds: boolean;
}

/** What a trigger recorded: a case with news since the last digest. */
export type IntakeEventKind = 'new-case' | 'followup' | 'file';

export interface IntakeEvent {
  readonly caseId: string;
  readonly bodyId: string;
  readonly kind: IntakeEventKind;
}

/** An active investigator who wants alerts, with the bodies they work for. */
export interface NotificationRecipient {
  readonly accountId: string;
  readonly bodyIds: readonly string[];
}

/** An open case's facts the deadlines depend on (server/domain/deadlines.ts). */
export interface OpenCaseFacts {
  readonly id: string;
  readonly bodyId: string;
  readonly status: CaseStatus;
  readonly receivedOn: Day;
  readonly acknowledgedOn: Day | null;
  readonly feedbackOn: Day | null;
}

export type DeadlineName = 'acknowledgment' | 'feedback';
export type DeadlineStage = 'soon' | 'passed';

export interface DeadlineAlert {
  readonly accountId: string;
  readonly caseId: string;
  readonly deadline: DeadlineName;
  readonly dueOn: Day;
  readonly stage: DeadlineStage;
}

export interface OutboxEntry {
  readonly accountId: string;
  /** The digest as the sender stored it (versioned JSON, server/notifications/digest.ts). */
  readonly digest: string;
  readonly attempts: number;
  readonly nextAttemptAt: number;
}

interface SettingsRow {
  email: string;
  enabled: number;
  encrypt: number;
  show_case_ids: number;
}

export class NotificationsRepository {
  private readonly sql: ReturnType<typeof statementCache>;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  settingsOf(accountId: string): NotificationSettingsRecord | undefined {
    const row = this.sql('SELECT email, enabled, encrypt, show_case_ids FROM notification_settings WHERE account_id = ?').get(accountId) as SettingsRow | undefined;
    return row && { email: row.email, enabled: row.enabled === 1, encrypt: row.encrypt === 1, showCaseIds: row.show_case_ids === 1 };
  }

  saveSettings(accountId: string, settings: NotificationSettingsRecord, updatedOn: Day): void {
    this.sql(
        `INSERT INTO notification_settings (account_id, email, enabled, encrypt, show_case_ids, updated_on) VALUES (@accountId, @email, @enabled, @encrypt, @showCaseIds, @updatedOn)
         ON CONFLICT (account_id) DO UPDATE SET email = excluded.email, enabled = excluded.enabled, encrypt = excluded.encrypt, show_case_ids = excluded.show_case_ids, updated_on = excluded.updated_on`,
      )
      .run({ accountId, email: settings.email, enabled: Number(settings.enabled), encrypt: Number(settings.encrypt), showCaseIds: Number(settings.showCaseIds), updatedOn });
    // Alerts turned off: whatever waited for this account goes at once.
    if (!settings.enabled) this.deleteOutbox(accountId);
  }

  deleteSettings(accountId: string): void {
    this.db.transaction(() => {
      this.sql('DELETE FROM notification_settings WHERE account_id = ?').run(accountId);
      this.deleteOutbox(accountId);
    })();
  }

  /**
   * Whether the triggers record events. A server without SMTP settings turns them off, and what
   * waited is deleted: it would never be sent, and it is metadata the database need not hold.
   */
  setActive(active: boolean): void {
    this.db.transaction(() => {
      this.sql('UPDATE notification_sender SET active = ? WHERE id = 1').run(Number(active));
      if (!active) {
        this.sql('DELETE FROM notification_events').run();
        this.sql('DELETE FROM notification_outbox').run();
      }
    })();
  }

  /** The last interval (its number since 1970, server/notifications/schedule.ts) whose digests were built. */
  lastSlot(): number {
    return (this.sql('SELECT last_slot FROM notification_sender WHERE id = 1').get() as { last_slot: number }).last_slot;
  }

  setLastSlot(slot: number): void {
    this.sql('UPDATE notification_sender SET last_slot = ? WHERE id = 1').run(slot);
  }

  /** Every event recorded since the last digest, removed as they are read (call inside a transaction). */
  takeEvents(): IntakeEvent[] {
    const events = this.sql('SELECT e.case_id AS caseId, c.body_id AS bodyId, e.kind AS kind FROM notification_events e JOIN cases c ON c.id = e.case_id').all() as IntakeEvent[];
    this.sql('DELETE FROM notification_events').run();
    return events;
  }

  /** Investigators whose alerts are on, whose account is active. */
  recipients(): NotificationRecipient[] {
    const rows = this.sql(
        `SELECT s.account_id AS accountId, (SELECT group_concat(body_id, ' ') FROM account_bodies WHERE account_id = s.account_id) AS bodyIds
         FROM notification_settings s JOIN accounts a ON a.id = s.account_id
         WHERE s.enabled = 1 AND a.role = 'investigator' AND a.disabled_on IS NULL ORDER BY s.account_id`,
      )
      .all() as { accountId: string; bodyIds: string | null }[];
    return rows.map((row) => ({ accountId: row.accountId, bodyIds: row.bodyIds === null ? [] : row.bodyIds.split(' ') }));
  }

  /** Whether the account is still one that may receive alerts: active, an investigator, alerts on. */
  isRecipient(accountId: string): boolean {
    return (
      this.sql(`SELECT 1 FROM notification_settings s JOIN accounts a ON a.id = s.account_id WHERE s.account_id = ? AND s.enabled = 1 AND a.role = 'investigator' AND a.disabled_on IS NULL`).get(accountId) !==
      undefined
    );
  }

  /** The open cases of a body whose next deadline may be due: still to be acknowledged, or feedback not yet given. */
  openCases(bodyId: string): OpenCaseFacts[] {
    return this.sql(
        `SELECT id, body_id AS bodyId, status, received_on AS receivedOn, acknowledged_on AS acknowledgedOn, feedback_on AS feedbackOn
         FROM cases WHERE body_id = ? AND status != 'closed' AND (status = 'received' OR feedback_on IS NULL)`,
      )
      .all(bodyId) as OpenCaseFacts[];
  }

  /** Records a deadline alert; false when this one was alerted already. */
  recordDeadlineAlert(alert: DeadlineAlert): boolean {
    return (
      this.sql('INSERT OR IGNORE INTO notification_deadline_alerts (account_id, case_id, deadline, due_on, stage) VALUES (@accountId, @caseId, @deadline, @dueOn, @stage)').run(alert).changes === 1
    );
  }

  outboxOf(accountId: string): OutboxEntry | undefined {
    return this.sql('SELECT account_id AS accountId, digest, attempts, next_attempt_at AS nextAttemptAt FROM notification_outbox WHERE account_id = ?').get(accountId) as OutboxEntry | undefined;
  }

  /** Stores the account's digest to be sent from `nextAttemptAt` on; a digest still waiting is replaced (merged by the caller). */
  putOutbox(accountId: string, digest: string, nextAttemptAt: number): void {
    this.sql(
        `INSERT INTO notification_outbox (account_id, digest, attempts, next_attempt_at) VALUES (?, ?, 0, ?)
         ON CONFLICT (account_id) DO UPDATE SET digest = excluded.digest, next_attempt_at = min(next_attempt_at, excluded.next_attempt_at)`,
      )
      .run(accountId, digest, nextAttemptAt);
  }

  /** Digests whose next attempt is due at `now` (milliseconds since 1970). */
  dueOutbox(now: number): OutboxEntry[] {
    return this.sql('SELECT account_id AS accountId, digest, attempts, next_attempt_at AS nextAttemptAt FROM notification_outbox WHERE next_attempt_at <= ? ORDER BY account_id').all(now) as OutboxEntry[];
  }

  /** Counts an attempt before it is made, with the time of the next one: a crash mid-send retries only then. */
  beginAttempt(accountId: string, nextAttemptAt: number): number {
    const row = this.sql('UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE account_id = ? RETURNING attempts').get(nextAttemptAt, accountId) as { attempts: number } | undefined;
    return row?.attempts ?? 0;
  }

  deleteOutbox(accountId: string): void {
    this.sql('DELETE FROM notification_outbox WHERE account_id = ?').run(accountId);
  }
}
