/**
 * The few filesystem steps that make writes survive a crash: syncing a file or a directory, and
 * moving a finished file into place so that a reader finds either nothing or all of it.
 */
import { open, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Whether anything is at `path`; only "not there" answers false, any other failure is thrown. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Flushes a file's bytes, or a directory's entries (a rename or a new file in it), to the disk. */
export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Renames a fully written file from its temporary name to `path` in the same directory: its bytes
 * are synced first, so the new name never points at a part of them, then the directory, so the name
 * itself survives a crash.
 */
export async function moveIntoPlaceDurably(temporary: string, path: string): Promise<void> {
  await fsyncPath(temporary);
  await rename(temporary, path);
  await fsyncPath(dirname(path));
}
