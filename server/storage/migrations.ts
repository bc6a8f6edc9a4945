/**
 * Versioned schema migrations, applied in order inside one transaction each; the database's
 * `user_version` records the last one applied. Never edit a released migration: add the next one.
 *
 * What a table may hold is limited by design (docs/api.md §Data kept): derived case ids, public keys,
 * ciphertext and its padded size, day-granular dates, workflow fields. Nothing identifying a person.
 */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'bodies, cases, case objects, attachments, uploads',
    sql: `
      CREATE TABLE bodies (
        id TEXT PRIMARY KEY CHECK (id GLOB '[a-z0-9]*'),
        name TEXT NOT NULL,
        signed_directory TEXT NOT NULL,
        questionnaire TEXT NOT NULL,
        updated_on TEXT NOT NULL
      ) STRICT;

      CREATE TABLE cases (
        id TEXT PRIMARY KEY CHECK (length(id) = 64),
        body_id TEXT NOT NULL REFERENCES bodies (id),
        auth_public_key BLOB NOT NULL CHECK (length(auth_public_key) = 32),
        reply_public_key BLOB NOT NULL CHECK (length(reply_public_key) = 32),
        received_on TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'received',
        outcome TEXT,
        acknowledged_on TEXT,
        closed_on TEXT
      ) STRICT;
      CREATE INDEX cases_by_body ON cases (body_id, received_on);

      CREATE TABLE case_objects (
        case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('report', 'reporter-copy', 'followup', 'reply', 'reply-copy', 'note')),
        created_on TEXT NOT NULL,
        ciphertext BLOB NOT NULL,
        PRIMARY KEY (case_id, seq)
      ) STRICT;

      CREATE TABLE attachments (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        created_on TEXT NOT NULL
      ) STRICT;
      CREATE INDEX attachments_by_case ON attachments (case_id);

      CREATE TABLE uploads (
        id TEXT PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        declared_size INTEGER NOT NULL,
        started_on TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    description: 'review console: accounts, second factors, sessions, investigator keys, workflow fields, audit log; per-body retention and statistics',
    sql: `
      ALTER TABLE bodies ADD COLUMN retention_days INTEGER CHECK (retention_days IS NULL OR retention_days >= 0);
      ALTER TABLE bodies ADD COLUMN publish_statistics INTEGER NOT NULL DEFAULT 0 CHECK (publish_statistics IN (0, 1));

      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE CHECK (username GLOB '[a-z0-9]*' AND length(username) BETWEEN 2 AND 64),
        role TEXT NOT NULL CHECK (role IN ('admin', 'investigator')),
        password_hash TEXT NOT NULL,
        must_change_password INTEGER NOT NULL DEFAULT 1 CHECK (must_change_password IN (0, 1)),
        totp_secret BLOB,
        totp_last_step INTEGER,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER,
        created_on TEXT NOT NULL,
        disabled_on TEXT
      ) STRICT;

      CREATE TABLE account_bodies (
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        body_id TEXT NOT NULL REFERENCES bodies (id),
        PRIMARY KEY (account_id, body_id)
      ) STRICT;

      CREATE TABLE recovery_codes (
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        code_hash TEXT NOT NULL,
        used_on TEXT,
        PRIMARY KEY (account_id, code_hash)
      ) STRICT;

      CREATE TABLE webauthn_credentials (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        public_key BLOB NOT NULL,
        counter INTEGER NOT NULL,
        transports TEXT NOT NULL DEFAULT '[]',
        created_on TEXT NOT NULL
      ) STRICT;

      CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        stage TEXT NOT NULL CHECK (stage IN ('password', 'complete')),
        csrf_token TEXT NOT NULL,
        webauthn_challenge TEXT,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX sessions_by_account ON sessions (account_id);

      CREATE TABLE investigator_keys (
        fingerprint TEXT PRIMARY KEY CHECK (fingerprint GLOB '[0-9a-f]*' AND length(fingerprint) = 40),
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        public_key TEXT NOT NULL,
        locked_private_key TEXT NOT NULL,
        created_on TEXT NOT NULL,
        retired_on TEXT
      ) STRICT;
      CREATE INDEX investigator_keys_by_account ON investigator_keys (account_id);

      ALTER TABLE cases ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent'));
      ALTER TABLE cases ADD COLUMN assignee_id TEXT REFERENCES accounts (id) ON DELETE SET NULL;
      ALTER TABLE cases ADD COLUMN feedback_on TEXT;
      CREATE INDEX cases_by_body_status ON cases (body_id, status, received_on);
      CREATE INDEX cases_by_assignee ON cases (assignee_id, received_on);

      CREATE TABLE case_labels (
        case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        label TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 40),
        PRIMARY KEY (case_id, label)
      ) STRICT;
      CREATE INDEX case_labels_by_label ON case_labels (label, case_id);

      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        body_id TEXT,
        case_id TEXT,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
        hash TEXT NOT NULL CHECK (length(hash) = 64)
      ) STRICT;
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    `,
  },
  {
    version: 3,
    description: 'audit log indexes for the per-case and per-body views',
    sql: `
      CREATE INDEX audit_log_by_case ON audit_log (case_id, seq);
      CREATE INDEX audit_log_by_body ON audit_log (body_id, seq);
    `,
  },
  {
    version: 4,
    description: 'trusted devices: browsers that completed a sign-in keep signing in while an attacker keeps the account locked',
    sql: `
      CREATE TABLE trusted_devices (
        token_hash TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX trusted_devices_by_account ON trusted_devices (account_id);
    `,
  },
  {
    version: 5,
    description: 'storage usage counters kept by triggers: total bytes stored, bytes taken in per day; bytes received per upload',
    // Triggers rather than code, so that every writer keeps the counters right: the intake, the
    // console, and the purge or delete-case commands in another process. Unfinished uploads count
    // with the bytes they received, never their declared size: declaring costs nothing, so a budget
    // that counted declarations could be used up without sending a byte (issue 13).
    sql: `
      ALTER TABLE uploads ADD COLUMN received_bytes INTEGER NOT NULL DEFAULT 0 CHECK (received_bytes >= 0);
      ALTER TABLE uploads ADD COLUMN received_on TEXT;

      CREATE TABLE storage_usage (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        total_bytes INTEGER NOT NULL
      ) STRICT;
      INSERT INTO storage_usage (id, total_bytes) VALUES (1,
        (SELECT coalesce(sum(length(ciphertext)), 0) FROM case_objects)
        + (SELECT coalesce(sum(size), 0) FROM attachments));

      CREATE TRIGGER usage_case_objects_insert AFTER INSERT ON case_objects
        BEGIN UPDATE storage_usage SET total_bytes = total_bytes + length(NEW.ciphertext); END;
      CREATE TRIGGER usage_case_objects_delete AFTER DELETE ON case_objects
        BEGIN UPDATE storage_usage SET total_bytes = total_bytes - length(OLD.ciphertext); END;
      CREATE TRIGGER usage_case_objects_update AFTER UPDATE OF ciphertext ON case_objects
        BEGIN UPDATE storage_usage SET total_bytes = total_bytes - length(OLD.ciphertext) + length(NEW.ciphertext); END;
      CREATE TRIGGER usage_attachments_insert AFTER INSERT ON attachments
        BEGIN UPDATE storage_usage SET total_bytes = total_bytes + NEW.size; END;
      CREATE TRIGGER usage_attachments_delete AFTER DELETE ON attachments
        BEGIN UPDATE storage_usage SET total_bytes = total_bytes - OLD.size; END;
      CREATE TRIGGER usage_attachments_update AFTER UPDATE OF size ON attachments
        BEGIN UPDATE storage_usage SET total_bytes = total_bytes - OLD.size + NEW.size; END;
      CREATE TRIGGER usage_uploads_insert AFTER INSERT ON uploads
        BEGIN UPDATE storage_usage SET total_bytes = total_bytes + NEW.received_bytes; END;
      CREATE TRIGGER usage_uploads_delete AFTER DELETE ON uploads
        BEGIN UPDATE storage_usage SET total_bytes = total_bytes - OLD.received_bytes; END;
      CREATE TRIGGER usage_uploads_update AFTER UPDATE OF received_bytes ON uploads
        BEGIN UPDATE storage_usage SET total_bytes = total_bytes - OLD.received_bytes + NEW.received_bytes; END;

      -- A flow, not a stock: the follow-ups (with their reporter copies) and file bytes reporters sent
      -- on each day, never reduced by a deletion; what budgets.dailyIntakeBytes limits. New reports do
      -- not count: they cost work, and must always get through (objects 1 and 2, the report and its
      -- copy, are stored with the case). File bytes count on the day they arrive; an attachment is not
      -- counted again when its upload completes.
      CREATE TABLE intake_days (
        day TEXT PRIMARY KEY,
        bytes INTEGER NOT NULL
      ) STRICT;
      -- Before this migration the bytes of uploads were not recorded: attachments count on the day
      -- they were completed, unfinished uploads from their next piece on.
      INSERT INTO intake_days (day, bytes)
        SELECT day, sum(bytes) FROM (
          SELECT created_on AS day, length(ciphertext) AS bytes FROM case_objects WHERE kind IN ('reporter-copy', 'followup') AND seq > 2
          UNION ALL SELECT created_on, size FROM attachments
        ) GROUP BY day;

      CREATE TRIGGER intake_days_case_objects AFTER INSERT ON case_objects
        WHEN NEW.kind IN ('reporter-copy', 'followup') AND NEW.seq > 2
        BEGIN
          INSERT INTO intake_days (day, bytes) VALUES (NEW.created_on, length(NEW.ciphertext))
            ON CONFLICT (day) DO UPDATE SET bytes = bytes + excluded.bytes;
        END;
      CREATE TRIGGER intake_days_uploads AFTER UPDATE OF received_bytes ON uploads
        WHEN NEW.received_bytes > OLD.received_bytes AND NEW.received_on IS NOT NULL
        BEGIN
          INSERT INTO intake_days (day, bytes) VALUES (NEW.received_on, NEW.received_bytes - OLD.received_bytes)
            ON CONFLICT (day) DO UPDATE SET bytes = bytes + excluded.bytes;
        END;
    `,
  },
  {
    version: 6,
    description: "bodies' first day, where the published statistics start; unknown (NULL) for bodies created before",
    sql: `
      ALTER TABLE bodies ADD COLUMN created_on TEXT;
    `,
  },
  {
    version: 7,
    description: "investigators' e-mail alerts: their settings, the intake's events waiting for the next digest, deadlines alerted, the one digest per account waiting to be sent",
    // The intake reaches the sender only through these tables: triggers record a new case, follow-up
    // or file while the sender is active and an investigator of the body wants alerts, so that no
    // writer (the intake, the command line) has to know about notifications. The events carry no
    // time and no order (WITHOUT ROWID, keyed by case id): only that a case had news since the last
    // digest. They, and the digest built from them, are deleted once the digest is sent.
    sql: `
      CREATE TABLE notification_settings (
        account_id TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
        email TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        encrypt INTEGER NOT NULL CHECK (encrypt IN (0, 1)),
        show_case_ids INTEGER NOT NULL CHECK (show_case_ids IN (0, 1)),
        updated_on TEXT NOT NULL
      ) STRICT;

      CREATE TABLE notification_sender (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        active INTEGER NOT NULL CHECK (active IN (0, 1)),
        last_slot INTEGER NOT NULL
      ) STRICT;
      INSERT INTO notification_sender (id, active, last_slot) VALUES (1, 0, 0);

      CREATE TABLE notification_events (
        case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('new-case', 'followup', 'file')),
        PRIMARY KEY (case_id, kind)
      ) STRICT, WITHOUT ROWID;

      CREATE TRIGGER notification_new_case AFTER INSERT ON cases
        WHEN (SELECT active FROM notification_sender WHERE id = 1) = 1
          AND EXISTS (SELECT 1 FROM notification_settings s JOIN account_bodies ab ON ab.account_id = s.account_id WHERE ab.body_id = NEW.body_id AND s.enabled = 1)
        BEGIN INSERT OR IGNORE INTO notification_events (case_id, kind) VALUES (NEW.id, 'new-case'); END;
      CREATE TRIGGER notification_followup AFTER INSERT ON case_objects
        WHEN NEW.kind = 'followup'
          AND (SELECT active FROM notification_sender WHERE id = 1) = 1
          AND EXISTS (SELECT 1 FROM notification_settings s JOIN account_bodies ab ON ab.account_id = s.account_id JOIN cases c ON c.body_id = ab.body_id WHERE c.id = NEW.case_id AND s.enabled = 1)
        BEGIN INSERT OR IGNORE INTO notification_events (case_id, kind) VALUES (NEW.case_id, 'followup'); END;
      CREATE TRIGGER notification_file AFTER INSERT ON attachments
        WHEN (SELECT active FROM notification_sender WHERE id = 1) = 1
          AND EXISTS (SELECT 1 FROM notification_settings s JOIN account_bodies ab ON ab.account_id = s.account_id JOIN cases c ON c.body_id = ab.body_id WHERE c.id = NEW.case_id AND s.enabled = 1)
        BEGIN INSERT OR IGNORE INTO notification_events (case_id, kind) VALUES (NEW.case_id, 'file'); END;

      CREATE TABLE notification_deadline_alerts (
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        deadline TEXT NOT NULL CHECK (deadline IN ('acknowledgment', 'feedback')),
        due_on TEXT NOT NULL,
        stage TEXT NOT NULL CHECK (stage IN ('soon', 'passed')),
        PRIMARY KEY (account_id, case_id, deadline, due_on, stage)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX notification_deadline_alerts_by_case ON notification_deadline_alerts (case_id);

      CREATE TABLE notification_outbox (
        account_id TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
        digest TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
];
