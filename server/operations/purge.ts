/**
 * The retention purge: deletes every case closed longer ago than its body's retention (the body's
 * own `retention_days`, else the configured default), with its objects, attachments, uploads and
 * their files, records what it did in the audit log, then rebuilds the database so that no page
 * keeps them. It also removes the working directories that killed backups and restores left in the
 * data directory: each holds a copy of the database, purged cases included.
 *
 * The SQL lives here rather than in server/storage/ (whose repositories serve the apps): it is the
 * only code that deletes cases. Should a second caller appear, it belongs in CasesRepository.
 */
import { dirname } from 'node:path';
import { addDays, dayOf, type Day } from '../clock';
import type { Storage } from '../storage/index';
import { removeAbandonedWorkDirs } from './backup';

export interface PurgeOptions {
  readonly storage: Storage;
  /** Retention of bodies that have none of their own (`retention.days`). */
  readonly defaultRetentionDays: number;
  readonly now: Date;
  /** Who purges, as the audit log names them. */
  readonly actor: string;
}

export interface BodyPurge {
  readonly bodyId: string;
  readonly retentionDays: number;
  /** Cases of this body closed before this day were purged. */
  readonly closedBefore: Day;
  readonly casesPurged: number;
}

export interface PurgeResult {
  /** Every body, with the retention that applied to it. */
  readonly bodies: readonly BodyPurge[];
  readonly casesPurged: number;
  readonly attachmentsRemoved: number;
  readonly uploadsRemoved: number;
  /** False when a reader kept the write-ahead log from being emptied; running the purge again finishes it. */
  readonly walTruncated: boolean;
  /** Working directories of killed backups and restores, with their copies of the database. */
  readonly workDirsRemoved: number;
}

interface CheckpointRow {
  busy: number;
}

interface BodyRetentionRow {
  id: string;
  retention_days: number | null;
}

export async function purgeExpiredCases(options: PurgeOptions): Promise<PurgeResult> {
  const { storage, defaultRetentionDays, now, actor } = options;
  if (!Number.isInteger(defaultRetentionDays) || defaultRetentionDays < 0) throw new RangeError('Retention must be a whole number of days, 0 or more.');
  const { db } = storage;
  const today = dayOf(now);
  const bodies = db.prepare('SELECT id, retention_days FROM bodies ORDER BY id').all() as BodyRetentionRow[];
  const expiredCases = db
    .prepare("SELECT id FROM cases WHERE body_id = ? AND status = 'closed' AND closed_on IS NOT NULL AND closed_on < ? ORDER BY id")
    .pluck();
  const attachmentIds = db.prepare('SELECT id FROM attachments WHERE case_id = ?').pluck();
  const uploadIds = db.prepare('SELECT id FROM uploads WHERE case_id = ?').pluck();
  // Objects, attachments and uploads go with the case row (ON DELETE CASCADE).
  const deleteCase = db.prepare('DELETE FROM cases WHERE id = ?');
  // One transaction per body: its cases go together with the audit entry that records their going.
  const purgeBody = db.transaction((purge: BodyPurge, caseIds: readonly string[]) => {
    const files = { attachments: [] as string[], uploads: [] as string[] };
    for (const caseId of caseIds) {
      files.attachments.push(...(attachmentIds.all(caseId) as string[]));
      files.uploads.push(...(uploadIds.all(caseId) as string[]));
      deleteCase.run(caseId);
    }
    // Counts and days only: the ids of purged cases must not outlive them.
    storage.audit.append(
      { actor, action: 'cases.purged', bodyId: purge.bodyId, details: { cases: purge.casesPurged, closedBefore: purge.closedBefore, retentionDays: purge.retentionDays } },
      now,
    );
    return files;
  });

  const purges: BodyPurge[] = [];
  let attachmentsRemoved = 0;
  let uploadsRemoved = 0;
  for (const body of bodies) {
    const retentionDays = body.retention_days ?? defaultRetentionDays;
    // "closed_on + retentionDays < today", written as a comparison of ISO days.
    const closedBefore = addDays(today, -retentionDays);
    const caseIds = expiredCases.all(body.id, closedBefore) as string[];
    const purge: BodyPurge = { bodyId: body.id, retentionDays, closedBefore, casesPurged: caseIds.length };
    purges.push(purge);
    if (caseIds.length === 0) continue;
    const files = purgeBody(purge, caseIds);
    // Files go only after the rows are committed: a crash in between leaves orphans, which
    // openStorage removes at the next start, never a row whose file is gone.
    for (const id of [...files.attachments, ...files.uploads]) await storage.blobs.remove(id);
    attachmentsRemoved += files.attachments.length;
    uploadsRemoved += files.uploads.length;
  }
  const casesPurged = purges.reduce((sum, purge) => sum + purge.casesPurged, 0);
  if (casesPurged > 0) {
    // secure_delete already zeroed the freed pages; VACUUM also drops them and the freelist, so the
    // file no longer even shows how much was deleted.
    db.exec('VACUUM');
  }
  // The WAL may still hold frames written before the delete: emptying it removes the last copies.
  const [checkpoint] = db.pragma('wal_checkpoint(TRUNCATE)') as CheckpointRow[];
  // A backup taken before this purge may have been killed with its snapshot still in the data
  // directory (the database's own directory), and with it the cases just purged.
  const workDirsRemoved = db.memory ? 0 : await removeAbandonedWorkDirs(dirname(db.name), now);
  return { bodies: purges, casesPurged, attachmentsRemoved, uploadsRemoved, walTruncated: checkpoint?.busy === 0, workDirsRemoved };
}
