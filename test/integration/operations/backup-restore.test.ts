/**
 * The backup drill: cases arrive through the real intake while a backup is taken; the backup is
 * restored into an empty directory and every case of its snapshot must come back byte for byte.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCryptoError, utf8Encode } from '../../../crypto/index';
import { createBackup, restoreBackup, type BackupSummary } from '../../../server/operations/backup/index';
import { OperationError } from '../../../server/operations/operation-error';
import { DATABASE_FILE, openStorage } from '../../../server/storage/index';
import { makeInvestigator, patternBytes, type TestInvestigator } from '../../helpers/crypto';
import { startTestIntake, TestReporter, type TestIntake } from '../../helpers/intake';

const SENTINEL = 'SENTINEL-BACKUP-PLAINTEXT-5f2a91';

type Row = Record<string, unknown>;

/** A case and everything stored for it, as rows and file bytes, for exact comparison. */
function caseContents(db: Database.Database, dataDir: string, caseId: string) {
  const attachments = db.prepare('SELECT * FROM attachments WHERE case_id = ? ORDER BY id').all(caseId) as Row[];
  return {
    row: db.prepare('SELECT * FROM cases WHERE id = ?').get(caseId) as Row,
    objects: db.prepare('SELECT * FROM case_objects WHERE case_id = ? ORDER BY seq').all(caseId) as Row[],
    attachments,
    blobs: attachments.map((attachment) => readFileSync(join(dataDir, 'blobs', attachment.id as string))),
  };
}

async function submitCase(intake: TestIntake, index: number, fileBytes: number): Promise<TestReporter> {
  const reporter = await TestReporter.create(intake);
  await reporter.createCase(`${SENTINEL} report number ${index}. `.repeat(20));
  const file = patternBytes(fileBytes, index);
  file.set(utf8Encode(SENTINEL), 0);
  await reporter.upload(file);
  return reporter;
}

/** What a directory holds, to the bottom; a directory that was never created holds nothing. */
function contentsOf(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true }) as string[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

describe('backup and restore', () => {
  let intake: TestIntake;
  let admin: TestInvestigator;
  let work: string;
  let backupFile: string;
  let summary: BackupSummary;
  const before: string[] = [];
  const during: string[] = [];

  beforeAll(async () => {
    intake = await startTestIntake();
    admin = await makeInvestigator('Backup Administrator');
    work = mkdtempSync(join(tmpdir(), 'candor-backup-test-'));
    backupFile = join(work, 'candor.backup');
    // One file larger than a backup chunk (1 MiB), so the backup spans several encrypted chunks.
    for (const [index, size] of [1_300_000, 20_000, 5_000].entries()) before.push((await submitCase(intake, index, size)).keys.caseId);
    // The backup starts once submissions are under way (a case created, its file not yet sent) and
    // runs while more cases and files arrive.
    let underWay!: () => void;
    const started = new Promise<void>((resolve) => (underWay = resolve));
    const submitMore = async () => {
      for (let index = 10; index < 16; index++) {
        const reporter = await TestReporter.create(intake);
        during.push(reporter.keys.caseId);
        await reporter.createCase(`${SENTINEL} concurrent report ${index}`);
        if (index === 11) underWay();
        await reporter.upload(patternBytes(30_000, index));
      }
    };
    const backup = started.then(() => createBackup({ dataDir: intake.dataDir, adminKey: admin.recipient, output: backupFile }));
    [summary] = await Promise.all([backup, submitMore()]);
  });

  afterAll(() => {
    intake?.close();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('when a backup taken during submissions is restored into an empty directory, then every case of its snapshot is back byte for byte', async () => {
    const target = join(work, 'restored');
    const restored = await restoreBackup({ input: backupFile, adminKey: admin.key, dataDir: target });
    expect(restored.files).toBe(summary.files);

    const storage = await openStorage(target);
    try {
      expect(storage.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const snapshotIds = storage.db.prepare('SELECT id FROM cases ORDER BY id').pluck().all() as string[];
      expect(snapshotIds.length).toBe(summary.cases);
      expect(snapshotIds.length).toBeGreaterThan(before.length);
      // Everything that existed before the backup began is in it; nothing is in it that never existed.
      expect(snapshotIds).toEqual(expect.arrayContaining(before));
      expect(snapshotIds.every((id) => before.includes(id) || during.includes(id))).toBe(true);

      for (const caseId of snapshotIds) {
        const inBackup = caseContents(storage.db, target, caseId);
        const live = caseContents(intake.storage.db, intake.dataDir, caseId);
        expect(inBackup.row).toEqual(live.row);
        if (before.includes(caseId)) {
          expect(inBackup.objects).toEqual(live.objects);
          expect(inBackup.attachments).toEqual(live.attachments);
          expect(inBackup.attachments.length).toBe(1);
        } else {
          // A case that arrived during the backup may have gained its file after the snapshot.
          expect(inBackup.objects).toEqual(live.objects.slice(0, inBackup.objects.length));
          expect(live.attachments).toEqual(expect.arrayContaining(inBackup.attachments));
        }
        inBackup.blobs.forEach((blob, index) => expect(Buffer.compare(blob, live.blobs[index]!)).toBe(0));
      }
      // The restored blob store holds exactly the snapshot's files.
      const attachmentIds = storage.db.prepare('SELECT id FROM attachments ORDER BY id').pluck().all() as string[];
      expect(readdirSync(join(target, 'blobs')).sort()).toEqual(attachmentIds);
    } finally {
      storage.close();
    }
  });

  it('when the backup file is searched, then it holds no plaintext, case id or attachment id in clear', () => {
    const bytes = readFileSync(backupFile);
    const live = intake.storage.db;
    const ids = [
      ...(live.prepare('SELECT id FROM cases').pluck().all() as string[]),
      ...(live.prepare('SELECT id FROM attachments').pluck().all() as string[]),
    ];
    for (const needle of [SENTINEL, 'candor1.attachment', 'SQLite format 3', ...ids]) {
      expect(bytes.includes(Buffer.from(needle)), needle).toBe(false);
      expect(bytes.includes(Buffer.from(needle).toString('base64')), `${needle} as base64`).toBe(false);
    }
    // A case's stored ciphertext is not visible either: the whole archive is encrypted once more.
    const report = live.prepare("SELECT ciphertext FROM case_objects WHERE kind = 'report' LIMIT 1").pluck().get() as Buffer;
    expect(bytes.includes(report.subarray(200, 264))).toBe(false);
  });

  it('when the backup is restored with another key, then it fails clearly and the target stays empty', async () => {
    const stranger = await makeInvestigator('Not The Administrator');
    const target = join(work, 'wrong-key');
    const error = await restoreBackup({ input: backupFile, adminKey: stranger.key, dataDir: target }).catch((e: unknown) => e);
    expect(isCryptoError(error, 'decryption-failed')).toBe(true);
    expect(contentsOf(target)).toEqual([]);
  });

  it('when the target directory is not empty, then the restore is refused and the directory untouched', async () => {
    const target = join(work, 'occupied');
    mkdirSync(target);
    writeFileSync(join(target, 'keep-me'), 'existing data');
    const error = await restoreBackup({ input: backupFile, adminKey: admin.key, dataDir: target }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationError);
    expect((error as OperationError).code).toBe('target-not-empty');
    expect(readdirSync(target)).toEqual(['keep-me']);
  });

  it('when the backup was altered, truncated or relabelled, then the restore fails and leaves nothing behind', async () => {
    const original = readFileSync(backupFile);
    const flipped = Buffer.from(original);
    flipped[Math.floor(original.length / 2)]! ^= 0x01;
    const relabelled = Buffer.from(original);
    relabelled[20]! ^= 0x01; // a character of the backup id in the clear header: the binding no longer matches
    const variants = {
      flipped,
      truncated: original.subarray(0, original.length - 1000),
      relabelled,
      foreign: Buffer.concat([Buffer.from('not a backup at all\n'), original]),
    };
    for (const [name, bytes] of Object.entries(variants)) {
      const input = join(work, `${name}.backup`);
      writeFileSync(input, bytes);
      const target = join(work, `restore-${name}`);
      const error = await restoreBackup({ input, adminKey: admin.key, dataDir: target }).catch((e: unknown) => e);
      expect(isCryptoError(error) || error instanceof OperationError, `${name}: ${String(error)}`).toBe(true);
      expect(contentsOf(target), name).toEqual([]);
      if (name === 'foreign') expect((error as OperationError).code).toBe('not-a-backup');
    }
  });

  it('when the output file exists, then no backup overwrites it', async () => {
    const error = await createBackup({ dataDir: intake.dataDir, adminKey: admin.recipient, output: backupFile }).catch((e: unknown) => e);
    expect((error as OperationError).code).toBe('output-exists');
    expect(readdirSync(intake.dataDir).filter((name) => name.startsWith('.backup-'))).toEqual([]);
    expect(readdirSync(intake.dataDir)).toContain(DATABASE_FILE);
  });
});
