/**
 * Attachment ciphertext on disk. An upload grows as `uploads/<id>.part`, each piece written and
 * fsynced before it is acknowledged; a finished upload is checked (size, SHA-256) and renamed into
 * `blobs/<id>`, and the directory is fsynced, before the database row that links it is written.
 * A crash at any point leaves either a resumable part, an orphan that start-up removes, or a whole blob.
 * Every file and both folders are given 00:00 UTC of the day as their times after each change
 * (day-times.ts): the modification time of a part or a folder would otherwise date a reporter's upload.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BLOCK_SHA256_BLOCK_BYTES, createBlockSha256 } from '../../crypto/index';
import { systemClock, type Clock } from '../clock';
import { KeyedLock } from '../keyed-lock';
import { setDayTimes } from './day-times';
import { fsyncPath, pathExists } from './durable-files';

/** A part file open for appending: what the store writes through, so tests can simulate a full disk. */
export interface AppendTarget {
  /** Writes all of `bytes` at the end, or throws as Node's fs does (ENOSPC, ...). */
  write(bytes: Uint8Array): Promise<void>;
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

/** The filesystem writes the store makes; tests replace it to simulate a full disk. */
export interface BlobIo {
  openForAppend(path: string): Promise<AppendTarget>;
}

export const nodeBlobIo: BlobIo = {
  async openForAppend(path) {
    const handle = await open(path, 'a');
    return {
      async write(bytes) {
        // A nearly full disk may take only part of a write without an error; the next write then fails.
        for (let offset = 0; offset < bytes.length; ) offset += (await handle.write(bytes, offset)).bytesWritten;
      },
      sync: () => handle.sync(),
      truncate: (length) => handle.truncate(length),
      close: () => handle.close(),
    };
  },
};

/** Ids become file names, so only this alphabet and length are ever accepted. */
export const BLOB_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export interface UploadPiece {
  /** Where the piece starts in the upload. */
  readonly offset: number;
  /** Its length and SHA-256, as the signed request declared them. */
  readonly length: number;
  readonly sha256: Uint8Array;
  readonly bytes: AsyncIterable<Uint8Array>;
}

export type AppendResult =
  | {
      /** `gap`: the piece starts after what was received; `mismatch`: it did not arrive as declared and nothing of it was kept. */
      readonly outcome: 'appended' | 'duplicate' | 'gap' | 'mismatch';
      readonly received: number;
    }
  | {
      /** The piece broke off (its stream or a write failed): `received` counts what was kept of it. */
      readonly outcome: 'interrupted';
      readonly received: number;
      readonly cause: unknown;
    };

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

/** What an upload's completion names as the whole file's digest (docs/protocol.md §9): the block SHA-256, or, from older pages, the plain one. */
export type CompletionDigest = { readonly blockSha256: string } | { readonly sha256: string };

export interface FileDigests {
  /** Plain SHA-256: what the attachment's row keeps. */
  readonly sha256: string;
  readonly blockSha256: string;
}

/** Node's SHA-256 hashes the bytes where they lie; WebCrypto's copies each block first. */
const sha256InPlace = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest();

/**
 * Both digests of a file in one read, a block at a time through one reused buffer, so memory stays
 * bounded whatever the file's size. A fresh buffer per block, hashed with WebCrypto's copy of it,
 * left some 70 MiB of garbage behind a 1 GiB completion before the collector ran (issue 13's memory
 * bound, `npm run bench -- intake`).
 */
async function digestsOfFile(path: string): Promise<FileDigests> {
  const plain = createHash('sha256');
  const blocks = createBlockSha256(sha256InPlace);
  const buffer = Buffer.allocUnsafe(BLOCK_SHA256_BLOCK_BYTES);
  const file = await open(path, 'r');
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      plain.update(chunk);
      await blocks.update(chunk);
    }
  } finally {
    await file.close();
  }
  return { sha256: plain.digest('hex'), blockSha256: await blocks.digestHex() };
}

/** Whether `digests` are those the completion named. Both are public digests of ciphertext: no need for a constant-time comparison. */
function digestMatches(digests: FileDigests, named: CompletionDigest): boolean {
  return 'blockSha256' in named ? digests.blockSha256 === named.blockSha256 : digests.sha256 === named.sha256;
}

export type FinalizeOutcome = { readonly outcome: 'stored'; readonly digests: FileDigests } | { readonly outcome: 'size-mismatch' } | { readonly outcome: 'hash-mismatch' };

export class BlobStore {
  /** Where unfinished uploads grow, as `<id>.part`. */
  readonly uploadsDir: string;
  /** Where finished attachments are, named by their id. */
  readonly blobsDir: string;
  private readonly locks = new KeyedLock();

  constructor(
    dataDir: string,
    private readonly io: BlobIo = nodeBlobIo,
    /** Only its day is written to the disk. */
    private readonly clock: Clock = systemClock,
  ) {
    this.uploadsDir = join(dataDir, 'uploads');
    this.blobsDir = join(dataDir, 'blobs');
  }

  async init(): Promise<void> {
    await mkdir(this.uploadsDir, { recursive: true, mode: 0o700 });
    await mkdir(this.blobsDir, { recursive: true, mode: 0o700 });
  }

  /** Cuts the times of the files just written, and of the folders whose entries changed, to today. */
  private async dayTimes(...paths: readonly string[]): Promise<void> {
    const now = this.clock.now();
    for (const path of paths) await setDayTimes(path, now);
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
  private exclusive<T>(id: string, operation: () => Promise<T>): Promise<T> {
    return this.locks.run(id, operation);
  }

  /** Bytes safely stored: the part so far, or the whole blob if a crash came after finalize moved it. */
  async received(id: string): Promise<number> {
    const part = await sizeOrZero(this.partPath(id));
    return part > 0 ? part : sizeOrZero(this.blobPath(id));
  }

  /**
   * Streams a piece into the upload as it arrives, never holding it whole. Bytes already received
   * are skipped (a repeated piece is harmless); a piece that starts beyond what was received is
   * refused before any of it is read, so the client asks and resumes. A piece that arrives whole but
   * not as declared (longer, or another SHA-256) is cut off again. One that breaks off (a dropped
   * circuit, the request time limit, a full disk) keeps what was written, and says how much
   * (`interrupted`, with the cause), so that it is counted like any other received bytes: it came in
   * order over the authenticated connection, and the client resumes from it; the attachment's own
   * hash and AEAD check it all.
   */
  async appendStream(id: string, piece: UploadPiece): Promise<AppendResult> {
    return this.exclusive(id, async () => {
      const path = this.partPath(id);
      const received = await this.received(id);
      if (piece.offset > received) return { outcome: 'gap', received };
      if (await pathExists(this.blobPath(id))) return { outcome: 'duplicate', received };
      const target = await this.io.openForAppend(path);
      const hash = createHash('sha256');
      let arrived = 0;
      let written = 0;
      try {
        try {
          for await (const chunk of piece.bytes) {
            const start = arrived;
            arrived += chunk.length;
            if (arrived > piece.length) break;
            hash.update(chunk);
            // Skips the bytes of this piece that an earlier try already stored.
            const fresh = chunk.subarray(Math.max(0, received - piece.offset - start));
            if (fresh.length === 0) continue;
            await target.write(fresh);
            written += fresh.length;
          }
        } catch (cause) {
          await target.sync();
          // From the file, not the count of whole writes: a write that failed may have put part of its bytes there.
          return { outcome: 'interrupted', received: await this.received(id), cause };
        }
        await target.sync();
        if (arrived !== piece.length || !hash.digest().equals(piece.sha256)) {
          await target.truncate(received);
          await target.sync();
          return { outcome: 'mismatch', received };
        }
      } finally {
        await target.close();
        // The first piece creates the part, and so changes the folder.
        await this.dayTimes(...(received === 0 ? [path, this.uploadsDir] : [path]));
      }
      return { outcome: written > 0 ? 'appended' : 'duplicate', received: received + written };
    });
  }

  /**
   * Checks the finished upload and moves it into place. Safe to repeat after a crash between the
   * rename and the database row: a blob already in place is checked instead of the part. It answers
   * both digests, computed in the same read, whichever the completion named.
   */
  async finalize(id: string, size: number, named: CompletionDigest): Promise<FinalizeOutcome> {
    return this.exclusive(id, async () => {
      const target = this.blobPath(id);
      const source = (await pathExists(target)) ? target : this.partPath(id);
      if ((await sizeOrZero(source)) !== size) return { outcome: 'size-mismatch' };
      const digests = await digestsOfFile(source);
      if (!digestMatches(digests, named)) {
        // A corrupt upload cannot be repaired piece by piece; the client starts it again.
        await rm(source, { force: true });
        await this.dayTimes(this.uploadsDir, this.blobsDir);
        return { outcome: 'hash-mismatch' };
      }
      if (source !== target) {
        await rename(source, target);
        await fsyncPath(this.blobsDir);
        await fsyncPath(this.uploadsDir);
      }
      // After the hash: reading the file set its access time to the moment of reading.
      await this.dayTimes(target, this.blobsDir, this.uploadsDir);
      return { outcome: 'stored', digests };
    });
  }

  /** The digests of a finished attachment, for a completion repeated after it succeeded. */
  async digestsOf(id: string): Promise<FileDigests> {
    return this.exclusive(id, async () => {
      const path = this.blobPath(id);
      const digests = await digestsOfFile(path);
      // Reading the file set its access time to the moment of reading.
      await this.dayTimes(path);
      return digests;
    });
  }

  async remove(id: string): Promise<void> {
    await rm(this.blobPath(id), { force: true });
    await rm(this.partPath(id), { force: true });
    await this.dayTimes(this.uploadsDir, this.blobsDir);
  }

  /**
   * Removes an upload's part only. A blob of the same id stays: an upload that expires while it is
   * being completed may already be an attachment, and an orphan blob goes at the next start-up.
   */
  async removePart(id: string): Promise<void> {
    await this.exclusive(id, async () => {
      await rm(this.partPath(id), { force: true });
      await this.dayTimes(this.uploadsDir);
    });
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
    if (removed > 0) await this.dayTimes(this.uploadsDir, this.blobsDir);
    return removed;
  }
}
