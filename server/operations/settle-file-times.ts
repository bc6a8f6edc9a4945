/**
 * The daily sweep of the blob store's file times. The store sets each file's access and modification
 * times to midnight of the day it writes, but the kernel sets the change time (ctime) to the moment
 * of that very call, and no call can set it back. Setting the times again later moves the ctime to
 * the moment of this sweep, which dates nothing a reporter did. Between a write and the next sweep,
 * the ctime still shows the exact time of the write.
 *
 * A file is touched while its ctime is on the day of its mtime (written, or last swept, that day),
 * or when a time is not a midnight (a read set the atime; a restore or a failed write set the
 * mtime). So a file is settled by the first sweep on a later day than its write, and then left
 * alone: a sweep costs a stat per file and a write only for what changed.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Stats } from 'node:fs';
import { isMidnight, onSameDay, setDayTimes } from '../storage/day-times';
import type { Storage } from '../storage/index';

function needsSettling(stats: Stats): boolean {
  return !isMidnight(stats.mtimeMs) || !isMidnight(stats.atimeMs) || onSameDay(stats.ctimeMs, stats.mtimeMs);
}

/** Stats of a path, or undefined when it went meanwhile (an upload completed or expired). */
async function statIfPresent(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Sets day times again on every part, blob and store folder that needs it (see above), keeping the
 * day of each one's mtime (never a day after `now`'s). Answers how many it set.
 */
export async function settleFileTimes(storage: Storage, now: Date): Promise<number> {
  const { uploadsDir, blobsDir } = storage.blobs;
  const files = [uploadsDir, blobsDir].map(async (dir) => (await readdir(dir)).map((name) => join(dir, name)));
  // The folders last: listing them has just set their access times.
  const paths = [...(await Promise.all(files)).flat(), uploadsDir, blobsDir];
  let settled = 0;
  for (const path of paths) {
    const stats = await statIfPresent(path);
    if (stats === undefined || !needsSettling(stats)) continue;
    try {
      await setDayTimes(path, new Date(Math.min(stats.mtimeMs, now.getTime())));
      settled++;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return settled;
}
