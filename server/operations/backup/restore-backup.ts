/** Restoring a backup into a new or empty data directory, all or nothing. */
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { DecryptionKey } from '../../../crypto/index';
import { fsyncPath } from '../../storage/durable-files';
import { DATABASE_FILE } from '../../storage/index';
import { OperationError } from '../operation-error';
import { openArchive, readBackupId, readManifest } from './backup-reader';
import { createWorkDir, removeWorkDir } from './work-dirs';

export interface RestoreBackupOptions {
  readonly input: string;
  readonly adminKey: DecryptionKey;
  readonly dataDir: string;
}

export interface RestoreSummary {
  readonly createdOn: string;
  readonly files: number;
  readonly bytes: number;
}

async function assertEmptyTarget(dataDir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dataDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') throw new OperationError('target-not-empty', `${dataDir} is a file, not a directory.`, { cause: error });
    throw error;
  }
  if (entries.length > 0) throw new OperationError('target-not-empty', `${dataDir} is not empty; restore only into a new or empty directory.`);
}

/**
 * Restores a backup into a new or empty `dataDir`. Every file is decrypted into a staging directory
 * and checked against the manifest; only when the whole backup has decrypted (its last chunk
 * verified) are they renamed into place. Any failure leaves `dataDir` empty again.
 */
export async function restoreBackup(options: RestoreBackupOptions): Promise<RestoreSummary> {
  const { input, adminKey, dataDir } = options;
  await assertEmptyTarget(dataDir);
  const backupId = await readBackupId(input);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const staging = await createWorkDir(dataDir, '.restore-');
  try {
    const reader = openArchive(input, backupId, adminKey);
    const manifest = await readManifest(reader);
    for (const [index, file] of manifest.files.entries()) {
      const handle = await open(join(staging.path, String(index)), 'wx', 0o600);
      const hash = createHash('sha256');
      try {
        for await (const piece of reader.take(file.size)) {
          hash.update(piece);
          for (let offset = 0; offset < piece.length; ) offset += (await handle.write(piece, offset)).bytesWritten;
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (hash.digest('hex') !== file.sha256) throw new OperationError('backup-file-mismatch', `${file.path} in the backup does not match its checksum.`);
    }
    if (!(await reader.atEnd())) throw new OperationError('backup-invalid', 'The backup holds data after its last file.');

    await mkdir(join(dataDir, 'blobs'), { mode: 0o700 });
    await mkdir(join(dataDir, 'uploads'), { mode: 0o700 });
    for (const [index, file] of manifest.files.entries()) await rename(join(staging.path, String(index)), join(dataDir, file.path));
    await fsyncPath(join(dataDir, 'blobs'));
    await removeWorkDir(staging);
    await fsyncPath(dataDir);

    const restored = new Database(join(dataDir, DATABASE_FILE), { fileMustExist: true });
    try {
      const result = restored.pragma('integrity_check', { simple: true });
      if (result !== 'ok') throw new OperationError('integrity-check-failed', `The restored database fails its integrity check: ${String(result)}`);
    } finally {
      restored.close();
    }
    return { createdOn: manifest.createdOn, files: manifest.files.length, bytes: manifest.files.reduce((sum, file) => sum + file.size, 0) };
  } catch (error) {
    staging.unlock();
    // The target was empty when we began, so emptying it again removes only what this restore wrote.
    for (const name of await readdir(dataDir)) await rm(join(dataDir, name), { recursive: true, force: true });
    throw error;
  }
}
