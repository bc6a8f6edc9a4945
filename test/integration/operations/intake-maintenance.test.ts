/**
 * The intake's storage maintenance on a real data directory: unfinished uploads expire on the day
 * the configuration says, with their part files and their bytes in the counters, while uploads that
 * became attachments stay; past days' intake counts are dropped.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../config/schema';
import { addDays, type Day } from '../../../server/clock';
import { expireUnfinishedUploads } from '../../../server/operations/expire-uploads';
import { INTAKE_DAYS_KEPT, runIntakeMaintenance } from '../../../server/operations/intake-maintenance';
import { openStorage, type Storage } from '../../../server/storage/index';

const BODY = 'maintenance-test-body';
const CASE_ID = 'c'.repeat(64);
const TODAY = '2026-01-03' as Day;

let dataDir: string;
let storage: Storage;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'candor-maintenance-'));
  storage = await openStorage(dataDir);
  storage.bodies.save({ id: BODY, name: 'Maintenance Test Body', signedDirectory: '{}', questionnaire: '{}', updatedOn: TODAY });
  // With its report and copy: objects added later are follow-ups, which count as the day's intake.
  const objects = [
    { kind: 'report', ciphertext: new Uint8Array(100) },
    { kind: 'reporter-copy', ciphertext: new Uint8Array(100) },
  ] as const;
  storage.cases.create({ id: CASE_ID, bodyId: BODY, authPublicKey: new Uint8Array(32), replyPublicKey: new Uint8Array(32), receivedOn: '2025-12-20' as Day, objects });
});
afterEach(() => {
  storage.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const idFor = (name: string) => name.padEnd(22, '0');
const partOf = (id: string) => join(dataDir, 'uploads', `${id}.part`);
const blobOf = (id: string) => join(dataDir, 'blobs', id);

/** An upload started on `day` with `written` of its bytes already in its part file. */
async function upload(name: string, day: Day, declaredSize = 10_000, written = 1_000): Promise<string> {
  const id = idFor(name);
  storage.attachments.startUpload({ id, caseId: CASE_ID, declaredSize, startedOn: day });
  const data = new Uint8Array(written).fill(5);
  const body = async function* () {
    yield data;
  };
  await storage.blobs.appendStream(id, { offset: 0, length: data.length, sha256: createHash('sha256').update(data).digest(), bytes: body() });
  storage.attachments.recordReceived(id, written, day);
  return id;
}

describe('unfinished uploads expire', () => {
  it('when uploads started on the last three days, then with 1 day only the one from two days ago goes, row and part', async () => {
    const twoDaysAgo = await upload('twoDaysAgo', '2026-01-01' as Day);
    const yesterday = await upload('yesterday', '2026-01-02' as Day);
    const today = await upload('today', TODAY);
    const totalBefore = storage.usage.totalBytes();

    expect(await expireUnfinishedUploads(storage, TODAY, 1)).toBe(1);

    expect(storage.attachments.findUpload(twoDaysAgo)).toBeUndefined();
    expect(existsSync(partOf(twoDaysAgo))).toBe(false);
    expect([yesterday, today].map((id) => storage.attachments.findUpload(id)?.id)).toEqual([yesterday, today]);
    expect([yesterday, today].map((id) => existsSync(partOf(id)))).toEqual([true, true]);
    expect(storage.usage.totalBytes()).toBe(totalBefore - 1_000);
    // What it took in that day stays counted: the budget limits what arrives.
    expect(storage.usage.intakeBytesOn('2026-01-01' as Day)).toBe(1_000);
  });

  it('when the expiry is longer, then an upload lives that many more days', async () => {
    const started = '2026-01-01' as Day;
    const id = await upload('longer', started);
    expect(await expireUnfinishedUploads(storage, addDays(started, 3), 3)).toBe(0);
    expect(await expireUnfinishedUploads(storage, addDays(started, 4), 3)).toBe(1);
    expect(storage.attachments.findUpload(id)).toBeUndefined();
  });

  it('when uploads were completed, then their attachments and blobs stay', async () => {
    const id = await upload('completed', '2025-12-01' as Day, 1_000, 1_000);
    const sha256 = createHash('sha256').update(new Uint8Array(1_000).fill(5)).digest('hex');
    expect((await storage.blobs.finalize(id, 1_000, { sha256 })).outcome).toBe('stored');
    storage.attachments.completeUpload({ id, caseId: CASE_ID, size: 1_000, sha256, createdOn: '2025-12-01' as Day });

    expect(await expireUnfinishedUploads(storage, TODAY, 1)).toBe(0);
    expect(storage.attachments.findAttachment(id)?.size).toBe(1_000);
    expect(existsSync(blobOf(id))).toBe(true);
  });

  it('when an expired upload had just been moved into place as a blob, then only its row goes and the blob is left for its completion', async () => {
    // Its completion may be between the rename and the row that makes it an attachment.
    const id = await upload('finishing', '2026-01-01' as Day, 1_000, 1_000);
    const sha256 = createHash('sha256').update(new Uint8Array(1_000).fill(5)).digest('hex');
    expect((await storage.blobs.finalize(id, 1_000, { sha256 })).outcome).toBe('stored');

    expect(await expireUnfinishedUploads(storage, TODAY, 1)).toBe(1);
    expect(existsSync(blobOf(id))).toBe(true);
  });

  it('when the expiry is not a whole number of days, then it is refused and nothing is deleted', async () => {
    await upload('kept', '2025-01-01' as Day);
    await expect(expireUnfinishedUploads(storage, TODAY, 1.5)).rejects.toThrow(RangeError);
    await expect(expireUnfinishedUploads(storage, TODAY, -1)).rejects.toThrow(RangeError);
    expect(storage.usage.unfinishedUploads().count).toBe(1);
  });
});

describe('intake maintenance', () => {
  it('when it runs, then it expires uploads as configured, settles file times and drops intake counts older than a week', async () => {
    const config = resolveConfig({}, { CANDOR_LIMIT_UNFINISHED_UPLOAD_DAYS: '2' });
    const now = new Date(`${TODAY}T06:30:00Z`);
    await upload('threeDaysAgo', addDays(TODAY, -3));
    const kept = await upload('twoDaysAgo', addDays(TODAY, -2));
    const oldest = addDays(TODAY, -INTAKE_DAYS_KEPT);
    for (const day of [addDays(oldest, -2), addDays(oldest, -1), oldest]) storage.cases.addObject(CASE_ID, 'followup', new Uint8Array(100), day);

    const result = await runIntakeMaintenance(storage, config, now);

    expect(result).toMatchObject({ uploadsExpired: 1, intakeDaysPruned: 2 });
    // The part left is from today's real clock: its ctime is on the day of its mtime, so it is settled again.
    expect(result.fileTimesSettled).toBeGreaterThanOrEqual(1);
    expect(storage.usage.unfinishedUploads()).toEqual({ count: 1, bytes: 1_000, declaredBytes: 10_000 });
    expect(storage.attachments.findUpload(kept)).toBeDefined();
    expect(storage.usage.intakeBytesOn(oldest)).toBe(100);
    expect(storage.usage.intakeBytesOn(addDays(oldest, -1))).toBe(0);
  });
});
