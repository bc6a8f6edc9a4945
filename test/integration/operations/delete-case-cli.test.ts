/**
 * `npm run admin -- delete-case` and `storage` as an operator runs them, compiled (dist/server/cli.js), on a real data
 * directory while the intake has it open: a spam case is shown, then deleted with --yes, and nothing
 * of it is left in any file of the data directory; the other case and the counters stay right.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledEntry } from '../../helpers/compiled-server';
import { addDays, dayOf, type Day } from '../../../server/clock';
import { DATABASE_FILE, openStorage, type Storage } from '../../../server/storage/index';

const BODY = 'city-integrity-office';
const SPAM = 'a'.repeat(64);
const KEPT = 'b'.repeat(64);
const ATTACHMENT_ID = 'spamAttachment00000000';
const UPLOAD_ID = 'spamUpload000000000000';
// Distinctive bytes in every object and file of the spam case, to look for on disk afterwards.
const MARKER = Buffer.from(`spam-marker-${randomBytes(16).toString('hex')}`);

let dataDir: string;
/** The intake's connection: it stays open while the commands run, as in production. */
let intake: Storage;
let today: Day;

function admin(args: readonly string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [compiledEntry('cli'), ...args, '--data-dir', dataDir], {
    cwd: process.cwd(),
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const markedBytes = (length: number) => {
  const bytes = Buffer.alloc(length, 0x42);
  for (let offset = 0; offset + MARKER.length <= length; offset += 1000) MARKER.copy(bytes, offset);
  return new Uint8Array(bytes);
};

async function storeFile(id: string, bytes: Uint8Array): Promise<void> {
  const body = async function* () {
    yield bytes;
  };
  await intake.blobs.appendStream(id, { offset: 0, length: bytes.length, sha256: createHash('sha256').update(bytes).digest(), bytes: body() });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'candor-delete-case-'));
  today = dayOf(new Date());
  intake = await openStorage(dataDir);
  intake.bodies.save({ id: BODY, name: 'City Integrity Office', signedDirectory: '{}', questionnaire: '{}', updatedOn: today });
  const newCase = (id: string, receivedOn: Day, bytes: (length: number) => Uint8Array) =>
    intake.cases.create({
      id,
      bodyId: BODY,
      authPublicKey: new Uint8Array(32).fill(1),
      replyPublicKey: new Uint8Array(32).fill(2),
      receivedOn,
      objects: [
        { kind: 'report', ciphertext: bytes(8192) },
        { kind: 'reporter-copy', ciphertext: bytes(4096) },
      ],
    });
  newCase(SPAM, addDays(today, -1), markedBytes);
  intake.cases.addObject(SPAM, 'followup', markedBytes(4096), today);
  const attachment = markedBytes(20_000);
  intake.attachments.startUpload({ id: ATTACHMENT_ID, caseId: SPAM, declaredSize: attachment.length, startedOn: today });
  await storeFile(ATTACHMENT_ID, attachment);
  intake.attachments.recordReceived(ATTACHMENT_ID, attachment.length, today);
  const sha256 = createHash('sha256').update(attachment).digest('hex');
  expect((await intake.blobs.finalize(ATTACHMENT_ID, attachment.length, { sha256 })).outcome).toBe('stored');
  intake.attachments.completeUpload({ id: ATTACHMENT_ID, caseId: SPAM, size: attachment.length, sha256, createdOn: today });
  intake.attachments.startUpload({ id: UPLOAD_ID, caseId: SPAM, declaredSize: 50_000, startedOn: today });
  await storeFile(UPLOAD_ID, markedBytes(10_000));
  intake.attachments.recordReceived(UPLOAD_ID, 10_000, today);
  newCase(KEPT, today, (length) => new Uint8Array(length).fill(0x33));
});

afterAll(() => {
  intake.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Files of the data directory holding the marker. The intake's connection is closed meanwhile:
 * SQLite's locks are POSIX locks of the process, and closing any descriptor of the database file,
 * as reading it does, would drop them, so that the next command took the database for unused.
 */
async function filesWithMarker(): Promise<string[]> {
  intake.close();
  try {
    return filesUnder(dataDir).filter((path) => readFileSync(path).includes(MARKER));
  } finally {
    intake = await openStorage(dataDir);
  }
}

// The steps build on each other, as an operator's would: they run in order on one data directory.
describe('delete-case command', () => {
  it('when run without --yes, then it shows the body, day received, counts and bytes of the case, deletes nothing and exits with 1', async () => {
    const bytes = intake.cases.storedBytes(SPAM);
    expect(bytes).toBe(8192 + 4096 + 4096 + 20_000 + 50_000);

    const run = admin(['delete-case', '--case', SPAM, '--reason', 'spam']);

    expect(run.stdout).toBe(`Case ${SPAM} of ${BODY}, received ${addDays(today, -1)}: 3 objects, 1 attachments, 1 unfinished uploads, 0.1 MiB (${bytes} bytes).\n`);
    expect(run.stderr).toBe('Error: Nothing deleted. If this is the case to delete, run again with --yes.\n');
    expect(run.status).toBe(1);
    expect(intake.cases.find(SPAM)).toBeDefined();
    expect(intake.audit.list({ limit: 10 })).toEqual([]);
    // The search below must be able to see what it looks for.
    expect((await filesWithMarker()).length).toBeGreaterThanOrEqual(3);
  });

  it('when the case id is malformed or unknown, or the reason is empty or several lines, then it exits with 1 and a plain message', () => {
    const refusals: [readonly string[], string][] = [
      [['--case', 'not-a-case', '--reason', 'spam'], 'Error: --case must be a case id: 64 lower-case hex characters.\n'],
      [['--case', 'e'.repeat(64), '--reason', 'spam', '--yes'], `Error: There is no case ${'e'.repeat(64)} in ${dataDir}.\n`],
      [['--case', SPAM, '--reason', '  ', '--yes'], 'Error: --reason: The reason must be one line of 1 to 200 characters.\n'],
      [['--case', SPAM, '--reason', 'spam\nmore', '--yes'], 'Error: --reason: The reason must be one line of 1 to 200 characters.\n'],
    ];
    for (const [args, message] of refusals) {
      const run = admin(['delete-case', ...args]);
      expect(run.stderr, args.join(' ')).toBe(message);
      expect(run.status).toBe(1);
    }
    expect(intake.cases.find(SPAM)).toBeDefined();
  });

  it('when run with --yes, then the case and its files are gone, the audit log names it with the reason, and no file holds its ciphertext', async () => {
    const keptBefore = { objects: intake.cases.objects(KEPT, ['report', 'reporter-copy']), bytes: intake.cases.storedBytes(KEPT) };

    const run = admin(['delete-case', '--case', SPAM, '--reason', 'spam: 40 copies of one advertisement', '--yes']);

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Deleted the case and its 2 files; recorded in the audit log (case.deleted).\n');
    expect(run.stdout).not.toContain('write-ahead log');
    expect(intake.cases.find(SPAM)).toBeUndefined();
    expect(intake.db.prepare('SELECT (SELECT count(*) FROM case_objects WHERE case_id = ?) + (SELECT count(*) FROM attachments WHERE case_id = ?) + (SELECT count(*) FROM uploads WHERE case_id = ?)').pluck().get(SPAM, SPAM, SPAM)).toBe(0);
    expect([join(dataDir, 'blobs', ATTACHMENT_ID), join(dataDir, 'uploads', `${UPLOAD_ID}.part`)].filter(existsSync)).toEqual([]);
    expect(intake.audit.list({ limit: 10 }).map(({ actor, action, bodyId, caseId, details }) => ({ actor, action, bodyId, caseId, details }))).toEqual([
      { actor: '(command line)', action: 'case.deleted', bodyId: BODY, caseId: SPAM, details: { reason: 'spam: 40 copies of one advertisement' } },
    ]);
    expect(intake.audit.verify()).toMatchObject({ intact: true, entries: 1 });
    expect(await filesWithMarker()).toEqual([]);
    expect({ objects: intake.cases.objects(KEPT, ['report', 'reporter-copy']), bytes: intake.cases.storedBytes(KEPT) }).toEqual(keptBefore);
    expect(intake.usage.totalBytes()).toBe(keptBefore.bytes);
    expect(intake.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(existsSync(join(dataDir, DATABASE_FILE))).toBe(true);
  });
});

describe('storage command', () => {
  it("when run, then it prints the bytes stored and today's intake against their budgets, and the unfinished uploads", () => {
    intake.attachments.startUpload({ id: 'keptUpload000000000000', caseId: KEPT, declaredSize: 4 * 1024 * 1024, startedOn: today });
    intake.attachments.recordReceived('keptUpload000000000000', 3 * 1024 * 1024, today);
    const stored = intake.usage.totalBytes();
    const takenIn = intake.usage.intakeBytesOn(today);
    // The deleted case's follow-up and file bytes were taken in today and stay counted; new reports are not intake.
    expect(takenIn).toBe(4096 + 20_000 + 10_000 + 3 * 1024 * 1024);

    const run = admin(['storage'], { CANDOR_BUDGET_TOTAL_BYTES: String(4 * 1024 * 1024), CANDOR_BUDGET_DAILY_INTAKE_BYTES: String(3 * 1024 * 1024), CANDOR_LIMIT_UNFINISHED_UPLOAD_DAYS: '2' });

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      `Stored: 3.0 MiB (${stored} bytes) of 4.0 MiB (4194304 bytes) (budgets.totalBytes), ${((100 * stored) / 4194304).toFixed(1)}%.`,
      `Taken in today (${today}, UTC): 3.0 MiB (${takenIn} bytes) of 3.0 MiB (3145728 bytes) (budgets.dailyIntakeBytes), ${((100 * takenIn) / 3145728).toFixed(1)}%.`,
      '  Over the budget: follow-ups and files wait for the next day.',
      `Unfinished uploads: 1, 3.0 MiB (3145728 bytes) received of 4.0 MiB (4194304 bytes) declared; one started today is deleted on ${addDays(today, 3)} unless finished (limits.unfinishedUploadDays = 2).`,
      '',
    ]);
  });

  it('when the data directory holds no database, then it says so, exits with 1 and creates nothing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'candor-storage-empty-'));
    try {
      const run = spawnSync(process.execPath, [compiledEntry('cli'), 'storage', '--data-dir', empty], { cwd: process.cwd(), encoding: 'utf8' });
      expect(run.stderr).toBe(`Error: There is no Candor database in ${empty}.\n`);
      expect(run.status).toBe(1);
      expect(existsSync(join(empty, DATABASE_FILE))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
