import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, schemaVersion } from '../../../server/storage/database';
import { BodiesRepository } from '../../../server/storage/bodies-repository';
import { MIGRATIONS } from '../../../server/storage/migrations';
import { openStorage } from '../../../server/storage/index';
import { uploadPiece } from '../../helpers/intake';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'candor-storage-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('database', () => {
  it('when opened, then it is in WAL mode with full sync, foreign keys and secure delete, at the latest schema', () => {
    const db = openDatabase(join(tempDir(), 'test.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    db.close();
  });

  it('when opened twice, then migrations are not applied again', () => {
    const path = join(tempDir(), 'test.sqlite');
    openDatabase(path).close();
    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    db.close();
  });

  it('when a migration fails halfway, then none of it is applied', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [{ version: 1, description: 'broken', sql: 'CREATE TABLE a (x INTEGER); CREATE TABLE oops (' }])).toThrow();
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'a'").get()).toEqual({ n: 0 });
  });

  it('when the database is newer than the program, then opening refuses instead of guessing', () => {
    const path = join(tempDir(), 'test.sqlite');
    const raw = new Database(path);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => openDatabase(path)).toThrow(/newer than this program/);
  });

  it('when the schema is inspected, then no column about reporters is meant for an address, agent, token, file name or exact time', () => {
    const db = openDatabase(join(tempDir(), 'test.sqlite'));
    // Investigators' own tables (accounts, sessions, audit log) record exact times of their actions
    // on purpose, and investigators' alerts hold their own address and the retry time of a digest to
    // them (at the start of an interval, or a backoff later); every other table holds what reporters
    // sent or what was decided about it.
    const investigatorTables = ['accounts', 'account_bodies', 'recovery_codes', 'webauthn_credentials', 'sessions', 'trusted_devices', 'investigator_keys', 'audit_log', 'notification_settings', 'notification_outbox'];
    const columns = db
      .prepare("SELECT m.name AS tableName, p.name AS column FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'")
      .all() as { tableName: string; column: string }[];
    const reporterColumns = columns.filter(({ tableName }) => !investigatorTables.includes(tableName));
    const forbidden = /^(ip|.*_ip|.*address.*|.*agent.*|.*token.*|.*file_?name.*|.*mime.*|.*plaintext.*|.*email.*|.*_at|.*time.*)$/i;
    expect(reporterColumns.length).toBeGreaterThan(10);
    for (const table of investigatorTables) expect(columns.some((c) => c.tableName === table), table).toBe(true);
    for (const { tableName, column } of reporterColumns) expect(column, `${tableName}.${column}`).not.toMatch(forbidden);
    db.close();
  });
});

describe("bodies' first day", () => {
  const body = { name: 'Audit Office', signedDirectory: '{}', questionnaire: '{}', updatedOn: '2026-03-02' as never };

  it('when a body existed before its first day was kept, then it is unknown; a new body keeps the day it was first saved with', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.filter((migration) => migration.version < 6));
    db.prepare("INSERT INTO bodies (id, name, signed_directory, questionnaire, updated_on) VALUES ('older', 'Older', '{}', '{}', '2024-01-01')").run();
    migrate(db, MIGRATIONS);
    const bodies = new BodiesRepository(db);
    expect(bodies.find('older')!.createdOn).toBeNull();

    bodies.save({ ...body, id: 'newer', createdOn: '2026-03-02' as never });
    bodies.save({ ...bodies.find('newer')!, name: 'Renamed', createdOn: '2027-01-01' as never });
    expect(bodies.find('newer')).toMatchObject({ name: 'Renamed', createdOn: '2026-03-02' });
    db.close();
  });
});

describe('blob store start-up', () => {
  it('when a crash left parts and blobs no row refers to, then opening the storage removes them and keeps the rest', async () => {
    const dataDir = tempDir();
    const first = await openStorage(dataDir);
    first.close();
    writeFileSync(join(dataDir, 'uploads', 'AAAAAAAAAAAAAAAAAAAAAA.part'), 'orphan part');
    writeFileSync(join(dataDir, 'blobs', 'BBBBBBBBBBBBBBBBBBBBBB'), 'orphan blob');
    const second = await openStorage(dataDir);
    expect(readdirSync(join(dataDir, 'uploads'))).toEqual([]);
    expect(readdirSync(join(dataDir, 'blobs'))).toEqual([]);
    expect(existsSync(join(dataDir, 'candor.sqlite'))).toBe(true);
    second.close();
  });

  it('when an id would escape the store’s folders, then the store refuses it', async () => {
    const storage = await openStorage(tempDir());
    expect(() => storage.blobs.blobPath('../../etc/passwd')).toThrow();
    await expect(storage.blobs.appendStream('../x', uploadPiece(0, Uint8Array.of(1)))).rejects.toThrow();
    storage.close();
  });
});
