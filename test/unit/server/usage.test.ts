/**
 * The usage counters SQLite keeps with triggers (migration 5): after every kind of write and
 * deletion the total matches a recount of the rows, and each day's intake counts what reporters
 * sent that day, never less after a deletion.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Day } from '../../../server/clock';
import { purgeExpiredCases } from '../../../server/operations/purge';
import { migrate } from '../../../server/storage/database';
import { openStorage, type Storage } from '../../../server/storage/index';
import { MIGRATIONS } from '../../../server/storage/migrations';

const BODY = 'usage-test-body';
const DAY_1 = '2026-03-01' as Day;
const DAY_2 = '2026-03-02' as Day;

let dataDir: string;
let storage: Storage;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'candor-usage-'));
  storage = await openStorage(dataDir);
  storage.bodies.save({ id: BODY, name: 'Usage Test Body', signedDirectory: '{}', questionnaire: '{}', updatedOn: DAY_1 });
});
afterEach(() => {
  storage.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const bytes = (length: number) => new Uint8Array(length).fill(7);
const caseId = (n: number) => n.toString(16).padStart(64, '0');
const uploadId = (n: number) => `upload${n}`.padEnd(22, 'x');

function createCase(n: number, day: Day, reportBytes = 1000, copyBytes = 300): string {
  const id = caseId(n);
  storage.cases.create({
    id,
    bodyId: BODY,
    authPublicKey: bytes(32),
    replyPublicKey: bytes(32),
    receivedOn: day,
    objects: [
      { kind: 'report', ciphertext: bytes(reportBytes) },
      { kind: 'reporter-copy', ciphertext: bytes(copyBytes) },
    ],
  });
  return id;
}

/** What the triggers should hold: every object and attachment, and what unfinished uploads received. */
function recountedTotal(): number {
  return storage.db
    .prepare(
      `SELECT (SELECT coalesce(sum(length(ciphertext)), 0) FROM case_objects)
            + (SELECT coalesce(sum(size), 0) FROM attachments)
            + (SELECT coalesce(sum(received_bytes), 0) FROM uploads)`,
    )
    .pluck()
    .get() as number;
}

describe('storage usage counters', () => {
  it('when a fresh database is opened, then nothing is stored and no day has an intake', () => {
    expect(storage.usage.totalBytes()).toBe(0);
    expect(storage.usage.intakeBytesOn(DAY_1)).toBe(0);
    expect(storage.usage.unfinishedUploads()).toEqual({ count: 0, bytes: 0, declaredBytes: 0 });
  });

  it('when cases, follow-ups, replies, notes and uploads are written and deleted, then the total matches a recount after every step', () => {
    const steps: Record<string, () => void> = {
      'a case is created': () => createCase(1, DAY_1),
      'a second case is created': () => createCase(2, DAY_1, 5000, 700),
      'a follow-up with its copy arrives': () => {
        storage.cases.addObject(caseId(1), 'followup', bytes(4096), DAY_2);
        storage.cases.addObject(caseId(1), 'reporter-copy', bytes(2048), DAY_2);
      },
      'an investigator replies and notes': () => {
        storage.cases.addObject(caseId(1), 'reply', bytes(1024), DAY_2);
        storage.cases.addObject(caseId(1), 'reply-copy', bytes(1100), DAY_2);
        storage.cases.addObject(caseId(1), 'note', bytes(900), DAY_2);
      },
      'uploads start': () => {
        storage.attachments.startUpload({ id: uploadId(1), caseId: caseId(1), declaredSize: 80_000, startedOn: DAY_2 });
        storage.attachments.startUpload({ id: uploadId(2), caseId: caseId(1), declaredSize: 50_000, startedOn: DAY_2 });
        storage.attachments.startUpload({ id: uploadId(3), caseId: caseId(2), declaredSize: 9_000, startedOn: DAY_2 });
      },
      'their bytes arrive': () => {
        storage.attachments.recordReceived(uploadId(1), 79_000, DAY_2);
        storage.attachments.recordReceived(uploadId(2), 20_000, DAY_2);
        storage.attachments.recordReceived(uploadId(3), 9_000, DAY_2);
      },
      'an upload completes smaller than declared': () => storage.attachments.completeUpload({ id: uploadId(1), caseId: caseId(1), size: 79_000, sha256: 'a'.repeat(64), createdOn: DAY_2 }),
      'an unfinished upload is deleted': () => storage.db.prepare('DELETE FROM uploads WHERE id = ?').run(uploadId(2)),
      'a case with objects, an attachment and an upload is deleted (cascade)': () => storage.db.prepare('DELETE FROM cases WHERE id = ?').run(caseId(1)),
    };
    for (const [step, run] of Object.entries(steps)) {
      run();
      expect(storage.usage.totalBytes(), step).toBe(recountedTotal());
    }
    expect(storage.usage.totalBytes()).toBe(5000 + 700 + 9_000);
  });

  it('when a size column is changed directly, then the total follows', () => {
    const id = createCase(1, DAY_1);
    storage.attachments.startUpload({ id: uploadId(1), caseId: id, declaredSize: 10_000, startedOn: DAY_1 });
    storage.attachments.completeUpload({ id: uploadId(1), caseId: id, size: 10_000, sha256: 'b'.repeat(64), createdOn: DAY_1 });
    storage.attachments.startUpload({ id: uploadId(2), caseId: id, declaredSize: 4_000, startedOn: DAY_1 });
    storage.db.prepare('UPDATE case_objects SET ciphertext = ? WHERE case_id = ? AND seq = 1').run(Buffer.from(bytes(10)), id);
    storage.db.prepare('UPDATE attachments SET size = 20 WHERE id = ?').run(uploadId(1));
    storage.db.prepare('UPDATE uploads SET received_bytes = 30 WHERE id = ?').run(uploadId(2));
    expect(storage.usage.totalBytes()).toBe(recountedTotal());
    expect(storage.usage.totalBytes()).toBe(10 + 300 + 20 + 30);
  });

  it('when closed cases are purged, then the total drops by exactly what they held', async () => {
    const kept = createCase(1, DAY_1);
    const purged = createCase(2, DAY_1, 3000, 500);
    storage.attachments.startUpload({ id: uploadId(1), caseId: purged, declaredSize: 6_000, startedOn: DAY_1 });
    storage.attachments.completeUpload({ id: uploadId(1), caseId: purged, size: 6_000, sha256: 'c'.repeat(64), createdOn: DAY_1 });
    storage.attachments.startUpload({ id: uploadId(2), caseId: purged, declaredSize: 7_000, startedOn: DAY_1 });
    storage.attachments.recordReceived(uploadId(2), 7_000, DAY_1);
    storage.db.prepare("UPDATE cases SET status = 'closed', closed_on = ? WHERE id = ?").run('2020-01-01', purged);
    const before = storage.usage.totalBytes();

    const result = await purgeExpiredCases({ storage, defaultRetentionDays: 30, now: new Date('2026-03-05T10:00:00Z'), actor: '(usage test)' });

    expect(result.casesPurged).toBe(1);
    expect(storage.usage.totalBytes()).toBe(before - (3000 + 500 + 6_000 + 7_000));
    expect(storage.usage.totalBytes()).toBe(storage.cases.storedBytes(kept));
    expect(storage.usage.totalBytes()).toBe(recountedTotal());
  });

  it('when reporters send on two days, then each day counts follow-ups, their copies and the file bytes that arrived, not new reports, and an attachment is not counted again', () => {
    const id = createCase(1, DAY_1, 1000, 300);
    storage.cases.addObject(id, 'followup', bytes(400), DAY_2);
    storage.cases.addObject(id, 'reporter-copy', bytes(200), DAY_2);
    // Declaring counts nothing; bytes count on the day they arrive.
    storage.attachments.startUpload({ id: uploadId(1), caseId: id, declaredSize: 9_000, startedOn: DAY_1 });
    storage.attachments.recordReceived(uploadId(1), 3_000, DAY_1);
    storage.attachments.recordReceived(uploadId(1), 4_900, DAY_2);
    // A repeated, stale report of progress counts nothing.
    storage.attachments.recordReceived(uploadId(1), 3_000, DAY_2);
    // Completed on the next day: its bytes were counted as they arrived.
    storage.attachments.completeUpload({ id: uploadId(1), caseId: id, size: 4_900, sha256: 'd'.repeat(64), createdOn: DAY_2 });
    // Investigators' objects are not intake.
    storage.cases.addObject(id, 'reply', bytes(1024), DAY_2);
    storage.cases.addObject(id, 'reply-copy', bytes(1024), DAY_2);
    storage.cases.addObject(id, 'note', bytes(1024), DAY_2);

    // The report and its copy (1000 + 300) are not intake: a report must always get through.
    expect(storage.usage.intakeBytesOn(DAY_1)).toBe(3_000);
    expect(storage.usage.intakeBytesOn(DAY_2)).toBe(400 + 200 + 1_900);
    expect(storage.usage.intakeBytesOn('2026-03-03' as Day)).toBe(0);
  });

  it('when what was taken in is deleted, then the day keeps its count: the budget limits what arrives, not what stays', () => {
    const id = createCase(1, DAY_1);
    storage.attachments.startUpload({ id: uploadId(1), caseId: id, declaredSize: 5_000, startedOn: DAY_1 });
    storage.attachments.recordReceived(uploadId(1), 5_000, DAY_1);
    storage.db.prepare('DELETE FROM cases WHERE id = ?').run(id);
    expect(storage.usage.totalBytes()).toBe(0);
    expect(storage.usage.intakeBytesOn(DAY_1)).toBe(5_000);
  });

  it('when intake days are pruned, then the days before the given one go and the rest stay', () => {
    const days = ['2026-02-27', '2026-02-28', DAY_1, DAY_2] as Day[];
    days.forEach((day, n) => storage.cases.addObject(createCase(n + 1, day), 'followup', bytes(1300), day));
    expect(storage.usage.pruneIntakeDaysBefore(DAY_1)).toBe(2);
    expect(days.map((day) => storage.usage.intakeBytesOn(day))).toEqual([0, 0, 1300, 1300]);
    expect(storage.usage.pruneIntakeDaysBefore(DAY_1)).toBe(0);
  });

  it('when uploads are unfinished, then they count with the bytes they received, not the size they declared', () => {
    const id = createCase(1, DAY_1);
    const before = storage.usage.totalBytes();
    storage.attachments.startUpload({ id: uploadId(1), caseId: id, declaredSize: 5_000, startedOn: DAY_1 });
    storage.attachments.startUpload({ id: uploadId(2), caseId: id, declaredSize: 7_000, startedOn: DAY_2 });
    expect(storage.usage.totalBytes()).toBe(before);
    storage.attachments.recordReceived(uploadId(2), 2_500, DAY_2);
    storage.attachments.completeUpload({ id: uploadId(1), caseId: id, size: 5_000, sha256: 'e'.repeat(64), createdOn: DAY_2 });
    expect(storage.usage.unfinishedUploads()).toEqual({ count: 1, bytes: 2_500, declaredBytes: 7_000 });
    expect(storage.usage.totalBytes()).toBe(before + 5_000 + 2_500);
  });
});

describe('migration 5', () => {
  it('when a database from before it already holds cases, then the counters start from its rows', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    try {
      migrate(db, MIGRATIONS.filter((migration) => migration.version < 5));
      db.prepare("INSERT INTO bodies (id, name, signed_directory, questionnaire, updated_on) VALUES (?, 'B', '{}', '{}', ?)").run(BODY, DAY_1);
      const insertCase = db.prepare('INSERT INTO cases (id, body_id, auth_public_key, reply_public_key, received_on) VALUES (?, ?, ?, ?, ?)');
      const insertObject = db.prepare('INSERT INTO case_objects (case_id, seq, kind, created_on, ciphertext) VALUES (?, ?, ?, ?, ?)');
      insertCase.run(caseId(1), BODY, Buffer.from(bytes(32)), Buffer.from(bytes(32)), DAY_1);
      insertObject.run(caseId(1), 1, 'report', DAY_1, Buffer.from(bytes(1000)));
      insertObject.run(caseId(1), 2, 'reporter-copy', DAY_1, Buffer.from(bytes(300)));
      insertObject.run(caseId(1), 3, 'reply', DAY_2, Buffer.from(bytes(500)));
      insertObject.run(caseId(1), 4, 'followup', DAY_2, Buffer.from(bytes(250)));
      db.prepare('INSERT INTO attachments (id, case_id, size, sha256, created_on) VALUES (?, ?, 4000, ?, ?)').run(uploadId(1), caseId(1), 'f'.repeat(64), DAY_2);
      db.prepare('INSERT INTO uploads (id, case_id, declared_size, started_on) VALUES (?, ?, 6000, ?)').run(uploadId(2), caseId(1), DAY_2);

      migrate(db, MIGRATIONS);

      // The unfinished upload's received bytes were not recorded before: it counts from its next piece on.
      expect(db.prepare('SELECT total_bytes FROM storage_usage').pluck().all()).toEqual([1000 + 300 + 500 + 250 + 4000]);
      // An attachment stored before the migration left no row of its upload's start: it counts on the day it was completed.
      expect(db.prepare('SELECT day, bytes FROM intake_days ORDER BY day').all()).toEqual([{ day: DAY_2, bytes: 250 + 4000 }]);
    } finally {
      db.close();
    }
  });
});
