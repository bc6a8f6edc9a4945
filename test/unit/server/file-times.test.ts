/**
 * Day-only file times on real files: what the blob store writes carries 00:00 UTC of the day of the
 * write as its access and modification times, and the daily sweep sets them again on files whose
 * times still date a write or a read, which moves their ctime to the moment of the sweep.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dayOf, type Clock } from '../../../server/clock';
import { settleFileTimes } from '../../../server/operations/settle-file-times';
import { BlobStore } from '../../../server/storage/blob-store';
import { midnightOf } from '../../../server/storage/day-times';
import { openStorage, type Storage } from '../../../server/storage/index';

const PART_ID = 'PPPPPPPPPPPPPPPPPPPPPP';
const BLOB_ID = 'BBBBBBBBBBBBBBBBBBBBBB';
const FIXED_MOMENT = new Date('2026-01-15T13:47:12.345Z');
const FIXED_MIDNIGHT = Date.UTC(2026, 0, 15);

let dataDir: string;
let storage: Storage | undefined;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'candor-file-times-'));
});
afterEach(() => {
  storage?.close();
  storage = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

const fixedClock: Clock = { now: () => new Date(FIXED_MOMENT) };
const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill);
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** One piece, streamed as the intake streams a request body. */
function append(store: BlobStore, id: string, offset: number, data: Uint8Array) {
  const body = async function* () {
    yield data;
  };
  return store.appendStream(id, { offset, length: data.length, sha256: createHash('sha256').update(data).digest(), bytes: body() });
}
const times = (stats: Stats) => ({ atime: stats.atimeMs, mtime: stats.mtimeMs });
const partPath = () => join(dataDir, 'uploads', `${PART_ID}.part`);
const blobPath = () => join(dataDir, 'blobs', BLOB_ID);

/** A part in progress and a finished blob, written by the store. */
async function writeBoth(store: BlobStore): Promise<void> {
  await append(store, PART_ID, 0, bytes(1000, 1));
  await append(store, PART_ID, 1000, bytes(500, 2));
  const file = bytes(3000, 3);
  await append(store, BLOB_ID, 0, file);
  expect((await store.finalize(BLOB_ID, file.length, { sha256: sha256(file) })).outcome).toBe('stored');
}

describe('blob store file times', () => {
  it("when the store writes parts and finishes a blob, then every file and both folders show midnight UTC of the clock's day", async () => {
    storage = await openStorage(dataDir, { clock: fixedClock });
    await writeBoth(storage.blobs);
    for (const path of [partPath(), blobPath(), join(dataDir, 'uploads'), join(dataDir, 'blobs')]) {
      expect(times(statSync(path)), path).toEqual({ atime: FIXED_MIDNIGHT, mtime: FIXED_MIDNIGHT });
    }
  });

  it('when a file is removed, then the folders it was in show the day only', async () => {
    storage = await openStorage(dataDir, { clock: fixedClock });
    await writeBoth(storage.blobs);
    utimesSync(join(dataDir, 'blobs'), FIXED_MOMENT, FIXED_MOMENT);
    await storage.blobs.remove(BLOB_ID);
    await storage.blobs.removePart(PART_ID);
    for (const dir of ['uploads', 'blobs']) expect(times(statSync(join(dataDir, dir))), dir).toEqual({ atime: FIXED_MIDNIGHT, mtime: FIXED_MIDNIGHT });
  });

  it('when a caller builds the store without a clock, then the system clock gives the day', async () => {
    const store = new BlobStore(dataDir);
    await store.init();
    const before = midnightOf(new Date()).getTime();
    await append(store, PART_ID, 0, bytes(10, 1));
    const after = midnightOf(new Date()).getTime();
    // Either day, should the test run across midnight.
    expect([before, after]).toContain(statSync(partPath()).mtimeMs);
  });
});

describe('settling file times', () => {
  it('when files were written today, then the sweep sets their day times again and their ctime moves to the sweep', async () => {
    storage = await openStorage(dataDir);
    await writeBoth(storage.blobs);
    const written = statSync(blobPath());
    // ctime has the kernel's coarse clock: a pause makes the sweep's ctime tell from the write's.
    await sleep(50);
    const sweepStart = Date.now();

    const settled = await settleFileTimes(storage, new Date());

    expect(settled).toBeGreaterThanOrEqual(2);
    for (const path of [partPath(), blobPath()]) {
      const stats = statSync(path);
      expect(times(stats), path).toEqual({ atime: written.mtimeMs, mtime: written.mtimeMs });
      expect(stats.ctimeMs, path).toBeGreaterThan(written.ctimeMs);
      expect(stats.ctimeMs, path).toBeGreaterThanOrEqual(sweepStart - 20);
    }
  });

  it('when a time dates a write or a read to the moment, then the sweep keeps only its day', async () => {
    storage = await openStorage(dataDir);
    // A restore, or a write that failed halfway, left an exact mtime; a download set an exact atime.
    const restored = join(dataDir, 'blobs', BLOB_ID);
    writeFileSync(restored, 'restored');
    utimesSync(restored, new Date('2026-01-10T08:15:30Z'), new Date('2026-01-10T08:15:30Z'));
    await append(storage.blobs, PART_ID, 0, bytes(10, 1));
    utimesSync(partPath(), new Date('2026-01-12T17:00:01Z'), new Date(Date.UTC(2026, 0, 12)));

    await settleFileTimes(storage, new Date());

    expect(times(statSync(restored))).toEqual({ atime: Date.UTC(2026, 0, 10), mtime: Date.UTC(2026, 0, 10) });
    expect(times(statSync(partPath()))).toEqual({ atime: Date.UTC(2026, 0, 12), mtime: Date.UTC(2026, 0, 12) });
  });

  it('when a file was settled on an earlier day, then the sweep leaves it alone', async () => {
    storage = await openStorage(dataDir);
    const settled = join(dataDir, 'blobs', BLOB_ID);
    writeFileSync(settled, 'old');
    // Midnight of a past day, set today: what a sweep on a later day than the write leaves.
    utimesSync(settled, new Date(Date.UTC(2026, 0, 10)), new Date(Date.UTC(2026, 0, 10)));
    const before = statSync(settled);
    await sleep(50);

    await settleFileTimes(storage, new Date());

    const after = statSync(settled);
    expect(after.ctimeMs).toBe(before.ctimeMs);
    expect(times(after)).toEqual(times(before));
  });

  it('when a file is dated after the given moment, then the sweep gives it that moment’s day', async () => {
    storage = await openStorage(dataDir);
    const future = join(dataDir, 'blobs', BLOB_ID);
    writeFileSync(future, 'from a clock set wrong');
    utimesSync(future, new Date('2099-05-05T05:05:05Z'), new Date('2099-05-05T05:05:05Z'));

    await settleFileTimes(storage, FIXED_MOMENT);

    expect(times(statSync(future))).toEqual({ atime: FIXED_MIDNIGHT, mtime: FIXED_MIDNIGHT });
    expect(dayOf(statSync(future).mtime)).toBe('2026-01-15');
  });
});
