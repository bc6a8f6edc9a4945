/**
 * The retention purge on a real data directory: expired cases vanish from every file the server
 * wrote (database, write-ahead log, blobs, uploads), and every other case stays as it was.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { addDays, dayOf, type Day } from '../../../server/clock';
import { purgeExpiredCases } from '../../../server/operations/purge';
import { patternBytes } from '../../helpers/crypto';
import { expectStatus, startTestIntake, TestReporter, type TestIntake } from '../../helpers/intake';

const RETENTION_DAYS = 1825;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Where on disk each needle occurs, if anywhere. */
function findOnDisk(dataDir: string, needles: readonly Buffer[]): string[] {
  const stored = filesUnder(dataDir).map((path) => ({ path, bytes: readFileSync(path) }));
  return needles.flatMap((needle, index) => stored.filter(({ bytes }) => bytes.includes(needle)).map(({ path }) => `needle ${index} in ${path}`));
}

type Row = Record<string, unknown>;

function snapshotOf(db: Database.Database, dataDir: string, caseId: string) {
  const attachments = db.prepare('SELECT * FROM attachments WHERE case_id = ? ORDER BY id').all(caseId) as Row[];
  return {
    row: db.prepare('SELECT * FROM cases WHERE id = ?').get(caseId) as Row | undefined,
    objects: db.prepare('SELECT * FROM case_objects WHERE case_id = ? ORDER BY seq').all(caseId) as Row[],
    attachments,
    blobs: attachments.map((attachment) => readFileSync(join(dataDir, 'blobs', attachment.id as string))),
  };
}

/** Distinctive bytes of everything stored for a case: its id, slices of each object and each file. */
function needlesOf(db: Database.Database, dataDir: string, caseId: string): Buffer[] {
  const objects = db.prepare('SELECT ciphertext FROM case_objects WHERE case_id = ?').pluck().all(caseId) as Buffer[];
  const fileIds = db.prepare('SELECT id FROM attachments WHERE case_id = ? UNION ALL SELECT id FROM uploads WHERE case_id = ?').pluck().all(caseId, caseId) as string[];
  const files = fileIds.flatMap((id) => [join(dataDir, 'blobs', id), join(dataDir, 'uploads', `${id}.part`)].filter(existsSync).map((path) => readFileSync(path)));
  return [Buffer.from(caseId), ...fileIds.map((id) => Buffer.from(id)), ...[...objects, ...files].map((bytes) => Buffer.from(bytes.subarray(100, 164)))];
}

describe('retention purge', () => {
  let intake: TestIntake | undefined;
  afterEach(() => intake?.close());

  async function caseWithFile(index: number): Promise<TestReporter> {
    const reporter = await TestReporter.create(intake!);
    await reporter.createCase(`Report ${index} for the purge tests. `.repeat(10));
    await reporter.upload(patternBytes(40_000, index));
    return reporter;
  }

  function close(caseId: string, closedOn: Day): void {
    intake!.storage.db.prepare("UPDATE cases SET status = 'closed', outcome = 'no-action', closed_on = ? WHERE id = ?").run(closedOn, caseId);
  }

  it('when cases were closed longer ago than the retention, then nothing of them remains on disk and every other case is intact', async () => {
    intake = await startTestIntake();
    const { db } = intake.storage;
    const today = dayOf(new Date());

    const longClosed = await caseWithFile(1);
    close(longClosed.keys.caseId, addDays(today, -RETENTION_DAYS - 200));
    // An expired case with an unfinished upload: its part file must go too.
    const closedMidUpload = await caseWithFile(2);
    expectStatus(await closedMidUpload.send('POST', '/api/v1/case/uploads', { uploadId: 'AAAAAAAAAAAAAAAAAAAAAA', size: 20_000 }), 201);
    expectStatus(await closedMidUpload.send('PUT', '/api/v1/case/uploads/AAAAAAAAAAAAAAAAAAAAAA?offset=0', undefined, { raw: patternBytes(8_000, 99) }), 200);
    close(closedMidUpload.keys.caseId, addDays(today, -RETENTION_DAYS - 1));
    const recentlyClosed = await caseWithFile(3);
    close(recentlyClosed.keys.caseId, addDays(today, -30));
    // Closed exactly `retention` days ago: closed_on + days is today, not before it, so it stays.
    const onTheBoundary = await caseWithFile(4);
    close(onTheBoundary.keys.caseId, addDays(today, -RETENTION_DAYS));
    const open = await caseWithFile(5);
    db.prepare('UPDATE cases SET closed_on = ? WHERE id = ?').run(addDays(today, -RETENTION_DAYS - 500), open.keys.caseId);

    const purged = [longClosed, closedMidUpload].map((reporter) => reporter.keys.caseId);
    const kept = [recentlyClosed, onTheBoundary, open].map((reporter) => reporter.keys.caseId);
    const needles = purged.flatMap((caseId) => needlesOf(db, intake!.dataDir, caseId));
    const keptBefore = kept.map((caseId) => snapshotOf(db, intake!.dataDir, caseId));
    // The scan must be able to see what it looks for: before the purge, every needle is on disk.
    const foundBefore = new Set(findOnDisk(intake.dataDir, needles).map((hit) => hit.split(' in ')[0]));
    expect(foundBefore.size).toBe(needles.length);

    const result = await purgeExpiredCases({ storage: intake.storage, retentionDays: RETENTION_DAYS, today });

    expect(result).toMatchObject({ casesPurged: 2, attachmentsRemoved: 2, uploadsRemoved: 1, walTruncated: true });
    for (const caseId of purged) expect(snapshotOf(db, intake.dataDir, caseId)).toMatchObject({ row: undefined, objects: [], attachments: [] });
    expect(db.prepare('SELECT count(*) FROM uploads').pluck().get()).toBe(0);
    expect(findOnDisk(intake.dataDir, needles)).toEqual([]);
    expect(kept.map((caseId) => snapshotOf(db, intake!.dataDir, caseId))).toEqual(keptBefore);
    expect(readdirSync(join(intake.dataDir, 'blobs')).length).toBe(kept.length);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('when nothing has expired, then a purge removes nothing', async () => {
    intake = await startTestIntake();
    const today = dayOf(new Date());
    const recent = await caseWithFile(1);
    close(recent.keys.caseId, addDays(today, -1));
    const result = await purgeExpiredCases({ storage: intake.storage, retentionDays: RETENTION_DAYS, today });
    expect(result).toMatchObject({ casesPurged: 0, attachmentsRemoved: 0, uploadsRemoved: 0 });
    expect(intake.storage.cases.find(recent.keys.caseId)?.status).toBe('closed');
    expect(readdirSync(join(intake.dataDir, 'blobs')).length).toBe(1);
  });
});
