/** Anti-corruption bodies: their public name, signed recipient directory and questionnaire. */
import type { Day } from '../clock';
import { statementCache, type Db } from './database';

export interface BodyRecord {
  readonly id: string;
  readonly name: string;
  /** The signed directory exactly as the admin's tool produced it (JSON text). */
  readonly signedDirectory: string;
  /** The questionnaire the intake shows (JSON text, versioned). */
  readonly questionnaire: string;
  readonly updatedOn: Day;
  /** The body's first day, where its published statistics start; null when unknown (created before it was kept). */
  readonly createdOn: Day | null;
}

/** What saving takes: a body's first day is set when it is first saved, and never changed after. */
export type SavedBody = Omit<BodyRecord, 'createdOn'> & { readonly createdOn?: Day | null };

interface BodyRow {
  id: string;
  name: string;
  signed_directory: string;
  questionnaire: string;
  updated_on: string;
  created_on: string | null;
}

/** A body's directory until its first signature (JSON text): nobody can send it a report yet. */
export const UNSIGNED_DIRECTORY = JSON.stringify({ format: 'candor-signed-directory', version: 1, unsigned: true });

/** Whether the intake offers the body to reporters: only once an admin has signed its directory. */
export const acceptsReports = (body: BodyRecord): boolean => body.signedDirectory !== UNSIGNED_DIRECTORY;

const toRecord = (row: BodyRow): BodyRecord => ({
  id: row.id,
  name: row.name,
  signedDirectory: row.signed_directory,
  questionnaire: row.questionnaire,
  updatedOn: row.updated_on as Day,
  createdOn: row.created_on as Day | null,
});

export class BodiesRepository {
  private readonly sql: ReturnType<typeof statementCache>;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  save(body: SavedBody): void {
    this.sql(
        `INSERT INTO bodies (id, name, signed_directory, questionnaire, updated_on, created_on)
         VALUES (@id, @name, @signedDirectory, @questionnaire, @updatedOn, @createdOn)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, signed_directory = excluded.signed_directory,
           questionnaire = excluded.questionnaire, updated_on = excluded.updated_on`,
      )
      .run({ id: body.id, name: body.name, signedDirectory: body.signedDirectory, questionnaire: body.questionnaire, updatedOn: body.updatedOn, createdOn: body.createdOn ?? null });
  }

  list(): BodyRecord[] {
    return (this.sql('SELECT * FROM bodies ORDER BY name').all() as BodyRow[]).map(toRecord);
  }

  find(id: string): BodyRecord | undefined {
    const row = this.sql('SELECT * FROM bodies WHERE id = ?').get(id) as BodyRow | undefined;
    return row && toRecord(row);
  }

  /** Days a closed case of this body is kept; null falls back to the configured `retention.days`. False if no such body. */
  setRetention(id: string, days: number | null): boolean {
    return this.sql('UPDATE bodies SET retention_days = ? WHERE id = ?').run(days, id).changes === 1;
  }

  /** Whether the intake publishes this body's statistics (docs/statistics.md); false if no such body. */
  publishesStatistics(id: string): boolean {
    return this.sql('SELECT publish_statistics FROM bodies WHERE id = ?').pluck().get(id) === 1;
  }

  /** Whether the intake publishes this body's statistics (docs/statistics.md). False if no such body. */
  setPublishStatistics(id: string, publish: boolean): boolean {
    return this.sql('UPDATE bodies SET publish_statistics = ? WHERE id = ?').run(publish ? 1 : 0, id).changes === 1;
  }
}
