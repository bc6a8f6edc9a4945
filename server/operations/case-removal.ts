/**
 * The steps that delete cases for good, shared by the retention purge and delete-case: the rows go
 * in the caller's transaction (with its audit entry), then the files, then every copy the database
 * directory still keeps (free pages, write-ahead log frames, killed backups' snapshots).
 *
 * The SQL lives here rather than in server/storage/ (whose repositories serve the apps): these two
 * operations are the only code that deletes cases.
 */
import { dirname } from 'node:path';
import type { Storage } from '../storage/index';
import { removeAbandonedWorkDirs } from './backup/index';

/** Ids of the files a deleted case had on disk. */
export interface CaseFiles {
  readonly attachments: readonly string[];
  readonly uploads: readonly string[];
}

export interface Scrubbed {
  /** False when a reader kept the write-ahead log from being emptied; running the command again finishes it. */
  readonly walTruncated: boolean;
  /** Working directories of killed backups and restores, with their copies of the database. */
  readonly workDirsRemoved: number;
}

interface CheckpointRow {
  busy: number;
}

/**
 * A function that deletes one case's row, and with it (ON DELETE CASCADE) its objects, attachments
 * and uploads, and answers which files it had. Call it inside a transaction that also writes the
 * audit entry, so that the case and the record of its going are stored together.
 */
export function caseRowDeleter(storage: Storage): (caseId: string) => CaseFiles {
  const { db } = storage;
  const attachmentIds = db.prepare('SELECT id FROM attachments WHERE case_id = ?').pluck();
  const uploadIds = db.prepare('SELECT id FROM uploads WHERE case_id = ?').pluck();
  const deleteCase = db.prepare('DELETE FROM cases WHERE id = ?');
  return (caseId) => {
    const files = { attachments: attachmentIds.all(caseId) as string[], uploads: uploadIds.all(caseId) as string[] };
    deleteCase.run(caseId);
    return files;
  };
}

/**
 * Removes the files of deleted cases. Only after their rows are committed: a crash in between
 * leaves orphans, which openStorage removes at the next start, never a row whose file is gone.
 */
export async function removeCaseFiles(storage: Storage, files: CaseFiles): Promise<void> {
  for (const id of [...files.attachments, ...files.uploads]) await storage.blobs.remove(id);
}

/**
 * After cases were deleted: rebuilds the database and empties the write-ahead log, so that no page
 * or frame keeps them, and removes the working directories of killed backups and restores.
 */
export async function scrubDeletedCases(storage: Storage, now: Date, options: { readonly vacuum: boolean }): Promise<Scrubbed> {
  const { db } = storage;
  if (options.vacuum) {
    // secure_delete already zeroed the freed pages; VACUUM also drops them and the freelist, so the
    // file no longer even shows how much was deleted.
    db.exec('VACUUM');
  }
  // The WAL may still hold frames written before the delete: emptying it removes the last copies.
  const [checkpoint] = db.pragma('wal_checkpoint(TRUNCATE)') as CheckpointRow[];
  // A backup taken before the deletion may have been killed with its snapshot still in the data
  // directory (the database's own directory), and with it the cases just deleted.
  const workDirsRemoved = db.memory ? 0 : await removeAbandonedWorkDirs(dirname(db.name), now);
  return { walTruncated: checkpoint?.busy === 0, workDirsRemoved };
}
