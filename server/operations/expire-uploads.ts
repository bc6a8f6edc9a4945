/**
 * Unfinished uploads expire: one that was started more than `days` days before today is deleted,
 * row and part file, so that uploads started and left cannot hold the storage budget for good.
 *
 * Only days are stored, so the boundary is a day: with days = 1, an upload started on 2026-01-01
 * goes at the first run on 2026-01-03 (UTC), between 24 and 48 hours after it started, plus the
 * time until that run. The rule is "started_on + days < today", like the retention purge's.
 */
import { addDays, type Day } from '../clock';
import type { Storage } from '../storage/index';

/** Deletes the expired uploads and their part files; answers how many went. */
export async function expireUnfinishedUploads(storage: Storage, today: Day, days: number): Promise<number> {
  if (!Number.isInteger(days) || days < 0) throw new RangeError('The expiry must be a whole number of days, 0 or more.');
  const startedBefore = addDays(today, -days);
  // Rows first, in one transaction: a crash before the files go leaves orphan parts, which
  // openStorage removes at the next start, never a row whose part is gone.
  const ids = storage.db
    .transaction(() => storage.db.prepare('DELETE FROM uploads WHERE started_on < ? RETURNING id').pluck().all(startedBefore) as string[])
    .immediate();
  for (const id of ids) await storage.blobs.removePart(id);
  return ids.length;
}
