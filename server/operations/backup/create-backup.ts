/** Writing a backup: a consistent snapshot of a running data directory, archived and encrypted (format.ts). */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import { encryptAttachment, newAttachmentId, type RecipientKey } from '../../../crypto/index';
import { dayOf, systemClock, type Clock, type Day } from '../../clock';
import { sha256OfFile } from '../../storage/blob-store';
import { moveIntoPlaceDurably, pathExists } from '../../storage/durable-files';
import { DATABASE_FILE } from '../../storage/index';
import { OperationError } from '../operation-error';
import { BACKUP_FORMAT, BACKUP_VERSION, bindingFor, encodeHeader, encodeManifest, type BackupManifest, type ManifestFile } from './format';
import { chunksOf, webStreamOf } from './web-streams';
import { createWorkDir, removeWorkDir } from './work-dirs';

export interface BackupSummary {
  readonly createdOn: Day;
  readonly cases: number;
  readonly files: number;
  /** Plaintext bytes archived: the database snapshot and the blobs. */
  readonly bytes: number;
}

export interface CreateBackupOptions {
  readonly dataDir: string;
  readonly adminKey: RecipientKey;
  readonly output: string;
  readonly clock?: Clock;
}

interface SourceFile extends ManifestFile {
  readonly source: string;
}

/** The archive's plaintext; each file is hashed again as it is read, so a change midway is caught. */
async function* archive(manifest: BackupManifest, files: readonly SourceFile[]): AsyncGenerator<Uint8Array> {
  yield* encodeManifest(manifest);
  for (const file of files) {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of createReadStream(file.source) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      yield chunk;
    }
    if (size !== file.size || hash.digest('hex') !== file.sha256) {
      throw new OperationError('source-changed', `${file.path} changed while the backup was written; run the backup again.`);
    }
  }
}

/**
 * Writes an encrypted backup of `dataDir` to `output` (which must not exist). Safe while the intake
 * runs: SQLite's online backup copies a consistent snapshot, and every blob a snapshot row refers to
 * is already in place, because the blob store renames a blob in before the row that links it is written.
 */
export async function createBackup(options: CreateBackupOptions): Promise<BackupSummary> {
  const { dataDir, adminKey, output } = options;
  if (await pathExists(output)) throw new OperationError('output-exists', `${output} already exists; choose a new file name.`);
  const databasePath = join(dataDir, DATABASE_FILE);
  if (!(await pathExists(databasePath))) throw new OperationError('not-a-data-dir', `${dataDir} holds no Candor database (${DATABASE_FILE}).`);
  // The snapshot is as sensitive as the database, so it stays beside it, never in a shared /tmp.
  const work = await createWorkDir(dataDir, '.backup-');
  const partial = `${output}.partial`;
  try {
    const snapshotPath = join(work.path, DATABASE_FILE);
    const live = new Database(databasePath, { fileMustExist: true });
    try {
      live.pragma('busy_timeout = 5000');
      await live.backup(snapshotPath);
    } finally {
      live.close();
    }
    const snapshot = new Database(snapshotPath, { fileMustExist: true });
    let attachmentIds: string[];
    let uploadIds: string[];
    let cases: number;
    try {
      // One self-contained file: nothing of the snapshot may stay behind in a WAL beside it.
      snapshot.pragma('journal_mode = DELETE');
      attachmentIds = snapshot.prepare('SELECT id FROM attachments ORDER BY id').pluck().all() as string[];
      uploadIds = snapshot.prepare('SELECT id FROM uploads ORDER BY id').pluck().all() as string[];
      cases = snapshot.prepare('SELECT count(*) FROM cases').pluck().get() as number;
    } finally {
      snapshot.close();
    }
    const blobSources: { path: string; source: string }[] = [];
    for (const id of attachmentIds) {
      const source = join(dataDir, 'blobs', id);
      if (!(await pathExists(source))) throw new OperationError('blob-missing', `The file of attachment ${id} is missing from blobs/; the data directory is damaged.`);
      blobSources.push({ path: `blobs/${id}`, source });
    }
    // An upload whose blob is already in place was finished but not yet recorded (or a crash came between).
    for (const id of uploadIds) {
      const source = join(dataDir, 'blobs', id);
      if (await pathExists(source)) blobSources.push({ path: `blobs/${id}`, source });
    }
    const files: SourceFile[] = [];
    for (const file of [{ path: DATABASE_FILE, source: snapshotPath }, ...blobSources]) {
      files.push({ ...file, size: (await stat(file.source)).size, sha256: await sha256OfFile(file.source) });
    }
    const createdOn = dayOf((options.clock ?? systemClock).now());
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdOn,
      files: files.map(({ path, size, sha256 }) => ({ path, size, sha256 })),
    };
    const backupId = newAttachmentId();
    const encrypted = encryptAttachment(webStreamOf(archive(manifest, files)), [adminKey], bindingFor(backupId));
    await pipeline(
      async function* () {
        yield encodeHeader(backupId);
        yield* chunksOf(encrypted);
      },
      createWriteStream(partial, { flags: 'wx', mode: 0o600 }),
    );
    await moveIntoPlaceDurably(partial, output);
    return { createdOn, cases, files: files.length, bytes: files.reduce((sum, file) => sum + file.size, 0) };
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    await removeWorkDir(work);
  }
}
