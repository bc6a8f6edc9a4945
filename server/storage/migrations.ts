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
];
