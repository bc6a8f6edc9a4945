/**
 * Attachment ciphertext on disk. An upload grows as `uploads/<id>.part`, each piece written and
 * fsynced before it is acknowledged; a finished upload is checked (size, SHA-256) and renamed into
 * `blobs/<id>`, and the directory is fsynced, before the database row that links it is written.
 * A crash at any point leaves either a resumable part, an orphan that start-up removes, or a whole blob.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fsyncPath, pathExists } from './durable-files';

/** The filesystem writes the store makes; tests replace it to simulate a full disk. */
export interface BlobIo {
  appendDurably(path: string, bytes: Uint8Array): Promise<void>;
}

export const nodeBlobIo: BlobIo = {
  async appendDurably(path, bytes) {
    const handle = await open(path, 'a');
    try {
      // A nearly full disk may take only part of a write without an error; the next write then fails.
      for (let offset = 0; offset < bytes.length; ) offset += (await handle.write(bytes, offset)).bytesWritten;
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

/** Ids become file names, so only this alphabet and length are ever accepted. */
export const BLOB_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export type AppendResult =
  | { readonly outcome: 'appended' | 'duplicate'; readonly received: number }
  | { readonly outcome: 'gap'; readonly received: number };

async function sizeOrZero(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

export class BlobStore {
  private readonly uploadsDir: string;
  private readonly blobsDir: string;
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    dataDir: string,
    private readonly io: BlobIo = nodeBlobIo,
  ) {
    this.uploadsDir = join(dataDir, 'uploads');
    this.blobsDir = join(dataDir, 'blobs');
  }

  async init(): Promise<void> {
    await mkdir(this.uploadsDir, { recursive: true, mode: 0o700 });
    await mkdir(this.blobsDir, { recursive: true, mode: 0o700 });
  }

  private partPath(id: string): string {
    if (!BLOB_ID_PATTERN.test(id)) throw new Error('Invalid blob id');
    return join(this.uploadsDir, `${id}.part`);
  }

  blobPath(id: string): string {
    if (!BLOB_ID_PATTERN.test(id)) throw new Error('Invalid blob id');
    return join(this.blobsDir, id);
  }

  /** Runs one operation per id at a time, so that two requests for one upload cannot interleave. */
  private async exclusive<T>(id: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(operation);
    this.locks.set(id, current);
    try {
      return await current;
    } finally {
      if (this.locks.get(id) === current) this.locks.delete(id);
    }
  }

  /** Bytes safely stored: the part so far, or the whole blob if a crash came after finalize moved it. */
  async received(id: string): Promise<number> {
    const part = await sizeOrZero(this.partPath(id));
    return part > 0 ? part : sizeOrZero(this.blobPath(id));
  }

  /**
   * Writes `bytes` at `offset` of the upload. Bytes already received are skipped (a repeated piece is
   * harmless); a piece that starts beyond what was received is refused, so the client asks and resumes.
   */
  async append(id: string, offset: number, bytes: Uint8Array): Promise<AppendResult> {
    return this.exclusive(id, async () => {
      const path = this.partPath(id);
      const received = await this.received(id);
      if (offset > received) return { outcome: 'gap', received };
      if (await pathExists(this.blobPath(id))) return { outcome: 'duplicate', received };
      const fresh = bytes.subarray(received - offset);
      if (fresh.length === 0) return { outcome: 'duplicate', received };
      await this.io.appendDurably(path, fresh);
      return { outcome: 'appended', received: received + fresh.length };
    });
  }

  /**
   * Checks the finished upload and moves it into place. Safe to repeat after a crash between the
   * rename and the database row: a blob already in place is checked instead of the part.
   */
  async finalize(id: string, size: number, sha256: string): Promise<'stored' | 'size-mismatch' | 'hash-mismatch'> {
    return this.exclusive(id, async () => {
      const target = this.blobPath(id);
      const source = (await pathExists(target)) ? target : this.partPath(id);
      if ((await sizeOrZero(source)) !== size) return 'size-mismatch';
      if ((await sha256OfFile(source)) !== sha256) {
        // A corrupt upload cannot be repaired piece by piece; the client starts it again.
        await rm(source, { force: true });
        return 'hash-mismatch';
      }
      if (source !== target) {
        await rename(source, target);
        await fsyncPath(this.blobsDir);
        await fsyncPath(this.uploadsDir);
      }
      return 'stored';
    });
  }

  async remove(id: string): Promise<void> {
    await rm(this.blobPath(id), { force: true });
    await rm(this.partPath(id), { force: true });
  }

  /** Start-up: deletes parts and blobs no database row refers to (left by a crash). */
  async removeOrphans(uploadIds: ReadonlySet<string>, attachmentIds: ReadonlySet<string>): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.uploadsDir)) {
      const id = name.replace(/\.part$/, '');
      if (!uploadIds.has(id)) {
        await rm(join(this.uploadsDir, name), { force: true });
        removed++;
      }
    }
    for (const name of await readdir(this.blobsDir)) {
      if (!attachmentIds.has(name) && !uploadIds.has(name)) {
        await rm(join(this.blobsDir, name), { force: true });
        removed++;
      }
    }
    return removed;
  }
}
