/** Opens the SQLite database with the durability settings the protocol relies on, and migrates it. */
import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export interface OpenDatabaseOptions {
  /** Caps the database size in pages; tests use it to simulate a full disk. */
  readonly maxPageCount?: number;
}

export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Db {
  const db = new Database(path);
  // WAL lets the console read while the intake writes; FULL syncs the WAL on every commit, so a
  // committed case survives a power cut, not just a process crash.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Deleted rows are overwritten, so purged ciphertext does not linger in free pages.
  db.pragma('secure_delete = ON');
  if (options.maxPageCount !== undefined) db.pragma(`max_page_count = ${options.maxPageCount}`);
  migrate(db, MIGRATIONS);
  return db;
}

/**
 * Prepared statements, compiled once per SQL text: preparing on every call cost several per cent of
 * the server's time under load. Repositories only use a fixed set of texts, so the cache stays small.
 *
 * A cached statement can still be compiled again on every run. SQLite (3.54) lets the value bound to
 * `LIMIT ?`, or to `column = ?` where its planner weighs a plan that does not use that term (an
 * ORDER BY or max() over the same index does), choose the plan; better-sqlite3 clears the bindings
 * after each run, which then forces a new compilation. For a statement on a hot path (one in every
 * reporter's status check cost a tenth of the check's server time), compare `column = ? COLLATE
 * BINARY` (the column's own collation, so the index serves as before) and write a fixed limit into
 * the text.
 */
export function statementCache(db: Db): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Db, migrations: readonly Migration[]): void {
  const current = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`The database has schema version ${current}, newer than this program knows (${latest}). Upgrade Candor.`);
  }
  for (const migration of migrations.filter((m) => m.version > current)) {
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
