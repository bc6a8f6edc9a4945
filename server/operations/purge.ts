/**
 * The retention purge: deletes every case closed more than `retentionDays` ago, with its objects,
 * attachments, uploads and their files, then rebuilds the database so that no page keeps them.
 *
 * The SQL lives here rather than in server/storage/ (whose repositories serve the apps): it is the
 * only code that deletes cases. Should a second caller appear, it belongs in CasesRepository.
 */
import { addDays, type Day } from '../clock';
import type { Storage } from '../storage/index';

export interface PurgeOptions {
  readonly storage: Storage;
  readonly retentionDays: number;
  readonly today: Day;
}

export interface PurgeResult {
  /** Cases closed before this day were purged. */
  readonly closedBefore: Day;
  readonly casesPurged: number;
  readonly attachmentsRemoved: number;
  readonly uploadsRemoved: number;
  /** False when a reader kept the write-ahead log from being emptied; running the purge again finishes it. */
  readonly walTruncated: boolean;
}

interface CheckpointRow {
  busy: number;
}

export async function purgeExpiredCases(options: PurgeOptions): Promise<PurgeResult> {
  const { storage, retentionDays, today } = options;
  if (!Number.isInteger(retentionDays) || retentionDays < 0) throw new RangeError('Retention must be a whole number of days, 0 or more.');
  const { db } = storage;
  // "closed_on + retentionDays < today", written as a comparison of ISO days.
  const closedBefore = addDays(today, -retentionDays);
  const expired = db.prepare("SELECT id FROM cases WHERE status = 'closed' AND closed_on IS NOT NULL AND closed_on < ? ORDER BY id").pluck().all(closedBefore) as string[];
  const attachmentIds = db.prepare('SELECT id FROM attachments WHERE case_id = ?').pluck();
  const uploadIds = db.prepare('SELECT id FROM uploads WHERE case_id = ?').pluck();
  // Objects, attachments and uploads go with the case row (ON DELETE CASCADE).
  const deleteCase = db.prepare('DELETE FROM cases WHERE id = ?');
  const purgeRows = db.transaction((caseId: string) => {
    const files = { attachments: attachmentIds.all(caseId) as string[], uploads: uploadIds.all(caseId) as string[] };
    deleteCase.run(caseId);
    return files;
  });

  let attachmentsRemoved = 0;
  let uploadsRemoved = 0;
  for (const caseId of expired) {
    const files = purgeRows(caseId);
    // Files go only after the rows are committed: a crash in between leaves orphans, which
    // openStorage removes at the next start, never a row whose file is gone.
    for (const id of [...files.attachments, ...files.uploads]) await storage.blobs.remove(id);
    attachmentsRemoved += files.attachments.length;
    uploadsRemoved += files.uploads.length;
  }
  if (expired.length > 0) {
    // secure_delete already zeroed the freed pages; VACUUM also drops them and the freelist, so the
    // file no longer even shows how much was deleted.
    db.exec('VACUUM');
  }
  // The WAL may still hold frames written before the delete: emptying it removes the last copies.
  const [checkpoint] = db.pragma('wal_checkpoint(TRUNCATE)') as CheckpointRow[];
  return {
    closedBefore,
    casesPurged: expired.length,
    attachmentsRemoved,
    uploadsRemoved,
    walTruncated: checkpoint?.busy === 0,
  };
}
