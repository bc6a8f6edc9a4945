/**
 * The retention purge on a real data directory: expired cases vanish from every file the server
 * wrote (database, write-ahead log, blobs, uploads), and every other case stays as it was; each
 * body's own retention applies to its cases, the configured default to bodies without one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { addDays, dayOf, type Day } from '../../../server/clock';
import { WORK_DIR_LOCK } from '../../../server/operations/backup/index';
import { purgeExpiredCases } from '../../../server/operations/purge';
import { DATABASE_FILE } from '../../../server/storage/index';
import { patternBytes } from '../../helpers/crypto';
import { expectStatus, startTestIntake, TEST_BODY_ID, TestReporter, type TestIntake } from '../../helpers/intake';

const RETENTION_DAYS = 1825;
const ACTOR = '(purge test)';

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

/** Another process that locks a working directory as a backup run does, until it is killed. */
async function lockingProcess(dir: string): Promise<ChildProcess> {
  const script = "const lock = new (require('better-sqlite3'))(process.argv[1]); lock.exec('BEGIN EXCLUSIVE'); console.log('locked'); setInterval(() => {}, 1000);";
  const child = spawn(process.execPath, ['-e', script, join(dir, WORK_DIR_LOCK)], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  expect(line.toString()).toBe('locked\n');
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
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
    const now = new Date();
    const today = dayOf(now);

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

    const result = await purgeExpiredCases({ storage: intake.storage, defaultRetentionDays: RETENTION_DAYS, now, actor: ACTOR });

    expect(result).toMatchObject({ casesPurged: 2, attachmentsRemoved: 2, uploadsRemoved: 1, walTruncated: true });
    expect(result.bodies).toEqual([{ bodyId: TEST_BODY_ID, retentionDays: RETENTION_DAYS, closedBefore: addDays(today, -RETENTION_DAYS), casesPurged: 2 }]);
    for (const caseId of purged) expect(snapshotOf(db, intake.dataDir, caseId)).toMatchObject({ row: undefined, objects: [], attachments: [] });
    expect(db.prepare('SELECT count(*) FROM uploads').pluck().get()).toBe(0);
    expect(findOnDisk(intake.dataDir, needles)).toEqual([]);
    expect(kept.map((caseId) => snapshotOf(db, intake!.dataDir, caseId))).toEqual(keptBefore);
    expect(readdirSync(join(intake.dataDir, 'blobs')).length).toBe(kept.length);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('when killed backups and restores left copies of the database, then the purge removes them and leaves those of live runs', async () => {
    intake = await startTestIntake();
    const { db } = intake.storage;
    const now = new Date();
    const expired = await caseWithFile(1);
    close(expired.keys.caseId, addDays(dayOf(now), -RETENTION_DAYS - 1));
    const needles = needlesOf(db, intake.dataDir, expired.keys.caseId).slice(0, 1);
    const workDir = async (name: string) => {
      const dir = join(intake!.dataDir, name);
      mkdirSync(dir);
      await db.backup(join(dir, DATABASE_FILE));
      return dir;
    };
    const killedBackup = await workDir('.backup-killed');
    await kill(await lockingProcess(killedBackup));
    const twoMinutesAgo = new Date(now.getTime() - 2 * 60_000);
    utimesSync(killedBackup, twoMinutesAgo, twoMinutesAgo);
    // A lock file just made and not yet locked: the instant before a run takes its lock.
    const lockingBackup = await workDir('.backup-locking');
    writeFileSync(join(lockingBackup, WORK_DIR_LOCK), '');
    // From a Candor before the lock file: no lock, and older than any run takes to lock.
    const oldRestore = await workDir('.restore-old');
    const twoHoursAgo = new Date(now.getTime() - 2 * 3_600_000);
    utimesSync(oldRestore, twoHoursAgo, twoHoursAgo);
    const liveBackup = await workDir('.backup-live');
    const live = await lockingProcess(liveBackup);
    // Just made by a run about to take its lock.
    const startingBackup = await workDir('.backup-starting');
    writeFileSync(join(intake.dataDir, '.backup-not-a-dir'), 'x');
    try {
      const result = await purgeExpiredCases({ storage: intake.storage, defaultRetentionDays: RETENTION_DAYS, now, actor: ACTOR });
      expect(result).toMatchObject({ casesPurged: 1, workDirsRemoved: 2 });
      expect([killedBackup, oldRestore].filter(existsSync)).toEqual([]);
      expect([liveBackup, startingBackup, lockingBackup].filter(existsSync)).toEqual([liveBackup, startingBackup, lockingBackup]);
      // What a live backup snapshotted before the purge is its own; nothing else keeps the case.
      expect(findOnDisk(intake.dataDir, needles).map((hit) => hit.slice(hit.indexOf(' in ') + 4 + intake!.dataDir.length)).sort()).toEqual(
        [lockingBackup, liveBackup, startingBackup].map((dir) => join(dir, DATABASE_FILE).slice(intake!.dataDir.length)).sort(),
      );
    } finally {
      await kill(live);
    }
    // Its run died a while ago.
    utimesSync(liveBackup, twoMinutesAgo, twoMinutesAgo);
    const afterDeath = await purgeExpiredCases({ storage: intake.storage, defaultRetentionDays: RETENTION_DAYS, now, actor: ACTOR });
    expect(afterDeath.workDirsRemoved).toBe(1);
    expect(existsSync(liveBackup)).toBe(false);
    expect(existsSync(join(intake.dataDir, '.backup-not-a-dir'))).toBe(true);
  });

  it('when nothing has expired, then a purge removes nothing', async () => {
    intake = await startTestIntake();
    const now = new Date();
    const recent = await caseWithFile(1);
    close(recent.keys.caseId, addDays(dayOf(now), -1));
    const result = await purgeExpiredCases({ storage: intake.storage, defaultRetentionDays: RETENTION_DAYS, now, actor: ACTOR });
    expect(result).toMatchObject({ casesPurged: 0, attachmentsRemoved: 0, uploadsRemoved: 0 });
    expect(intake.storage.cases.find(recent.keys.caseId)?.status).toBe('closed');
    expect(readdirSync(join(intake.dataDir, 'blobs')).length).toBe(1);
    expect(intake.storage.audit.list({ limit: 10 })).toEqual([]);
  });

  it("when a body has a short retention of its own, then its cases go after that many days and the other body's cases keep the default", async () => {
    intake = await startTestIntake();
    const { storage } = intake;
    const now = new Date();
    const today = dayOf(now);
    const SHORT_DAYS = 30;
    const shortBody = 'short-retention-body';
    const testBody = storage.bodies.find(TEST_BODY_ID)!;
    storage.bodies.save({ ...testBody, id: shortBody, name: 'Body with a short retention' });
    expect(storage.bodies.setRetention(shortBody, SHORT_DAYS)).toBe(true);
    async function closedCase(index: number, bodyId: string, daysAgo: number): Promise<string> {
      const reporter = await caseWithFile(index);
      storage.db.prepare('UPDATE cases SET body_id = ? WHERE id = ?').run(bodyId, reporter.keys.caseId);
      close(reporter.keys.caseId, addDays(today, -daysAgo));
      return reporter.keys.caseId;
    }
    const shortExpired = await closedCase(1, shortBody, SHORT_DAYS + 1);
    const shortOnTheBoundary = await closedCase(2, shortBody, SHORT_DAYS);
    const defaultSameAge = await closedCase(3, TEST_BODY_ID, SHORT_DAYS + 1);
    const defaultExpired = await closedCase(4, TEST_BODY_ID, RETENTION_DAYS + 1);
    const needles = [shortExpired, defaultExpired].flatMap((caseId) => needlesOf(storage.db, intake!.dataDir, caseId));

    const result = await purgeExpiredCases({ storage, defaultRetentionDays: RETENTION_DAYS, now, actor: ACTOR });

    expect(result.bodies).toEqual([
      { bodyId: shortBody, retentionDays: SHORT_DAYS, closedBefore: addDays(today, -SHORT_DAYS), casesPurged: 1 },
      { bodyId: TEST_BODY_ID, retentionDays: RETENTION_DAYS, closedBefore: addDays(today, -RETENTION_DAYS), casesPurged: 1 },
    ]);
    expect(storage.cases.find(shortExpired)).toBeUndefined();
    expect(storage.cases.find(defaultExpired)).toBeUndefined();
    expect(storage.cases.find(shortOnTheBoundary)?.status).toBe('closed');
    expect(storage.cases.find(defaultSameAge)?.status).toBe('closed');
    expect(findOnDisk(intake.dataDir, needles)).toEqual([]);
    // The audit log says what went, per body, without naming a purged case.
    const entries = storage.audit.list({ limit: 10 });
    expect(entries.map(({ actor, action, bodyId, caseId, details }) => ({ actor, action, bodyId, caseId, details }))).toEqual([
      { actor: ACTOR, action: 'cases.purged', bodyId: TEST_BODY_ID, caseId: null, details: { cases: 1, closedBefore: addDays(today, -RETENTION_DAYS), retentionDays: RETENTION_DAYS } },
      { actor: ACTOR, action: 'cases.purged', bodyId: shortBody, caseId: null, details: { cases: 1, closedBefore: addDays(today, -SHORT_DAYS), retentionDays: SHORT_DAYS } },
    ]);
    expect(storage.audit.verify()).toMatchObject({ intact: true, entries: 2 });

    // Back to the default: the short body's remaining case is now far within retention.
    expect(storage.bodies.setRetention(shortBody, null)).toBe(true);
    const later = new Date(now.getTime() + 5 * 86_400_000);
    expect((await purgeExpiredCases({ storage, defaultRetentionDays: RETENTION_DAYS, now: later, actor: ACTOR })).casesPurged).toBe(0);
    expect(storage.cases.find(shortOnTheBoundary)?.status).toBe('closed');
  });

  it('when the retention of a body that does not exist is set, then nothing changes', async () => {
    intake = await startTestIntake();
    expect(intake.storage.bodies.setRetention('no-such-body', 10)).toBe(false);
    expect(intake.storage.db.prepare('SELECT count(*) FROM bodies WHERE retention_days IS NOT NULL').pluck().get()).toBe(0);
  });
});
