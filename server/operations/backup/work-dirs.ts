/**
 * Working directories in a data directory: a backup's database snapshot, a restore's decrypted
 * files. Each is as sensitive as the database and must not outlive the run that made it, even a
 * killed one: the purge removes those no run holds any more (removeAbandonedWorkDirs).
 */
import { lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pathExists } from '../../storage/durable-files';

const WORK_DIR_PREFIXES = ['.backup-', '.restore-'] as const;
export type WorkDirPrefix = (typeof WORK_DIR_PREFIXES)[number];
/** The file a run locks (SQLite's exclusive lock) for as long as it uses its working directory. */
export const WORK_DIR_LOCK = 'in-use.lock';
/** A live run locks its directory right after creating it; one without a lock file this old is abandoned. */
const UNLOCKED_WORK_DIR_GRACE_MS = 60 * 60 * 1000;
/** Between creating its lock file and locking it a run takes an instant: a free lock file younger than this may be that instant. */
const LOCK_TAKING_GRACE_MS = 60 * 1000;

export interface WorkDir {
  readonly path: string;
  /** Ends the claim; the directory may then be removed by anyone. */
  readonly unlock: () => void;
}

/**
 * "In use" is an exclusive SQLite lock on a file in the directory, held until the run ends. The
 * kernel drops it when the process dies however it dies, it holds across processes and containers
 * sharing the volume (the same locks that keep the database itself consistent), and a reused PID
 * or a slow run cannot fool it as a PID check or an age limit could.
 */
export async function createWorkDir(parent: string, prefix: WorkDirPrefix): Promise<WorkDir> {
  const path = await mkdtemp(join(parent, prefix));
  try {
    const lock = new Database(join(path, WORK_DIR_LOCK));
    lock.exec('BEGIN EXCLUSIVE');
    return { path, unlock: () => lock.close() };
  } catch (error) {
    await rm(path, { recursive: true, force: true });
    throw error;
  }
}

export async function removeWorkDir(dir: WorkDir): Promise<void> {
  dir.unlock();
  await rm(dir.path, { recursive: true, force: true });
}

async function inUse(path: string, now: Date): Promise<boolean> {
  const lockPath = join(path, WORK_DIR_LOCK);
  const age = now.getTime() - (await lstat(path)).mtimeMs;
  // No lock file: made by a Candor before the lock, by a run that died before taking it, or by one
  // taking it right now. Only the last is young.
  if (!(await pathExists(lockPath))) return age < UNLOCKED_WORK_DIR_GRACE_MS;
  let probe: Database.Database | undefined;
  try {
    probe = new Database(lockPath, { fileMustExist: true, timeout: 0 });
    probe.exec('BEGIN EXCLUSIVE');
    // Free: its run died, or is between creating the file and locking it.
    return age < LOCK_TAKING_GRACE_MS;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // Busy: a run holds it. Cannot open: its run is removing it this moment.
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_CANTOPEN') return true;
    throw error;
  } finally {
    probe?.close();
  }
}

/** Removes the backup and restore working directories of `dataDir` that no live run holds; returns how many. */
export async function removeAbandonedWorkDirs(dataDir: string, now: Date): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dataDir)) {
    if (!WORK_DIR_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
    const path = join(dataDir, name);
    if (!(await lstat(path)).isDirectory() || (await inUse(path, now))) continue;
    await rm(path, { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}
