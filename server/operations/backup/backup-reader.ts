/** Reading a backup file: its clear header, then the decrypted archive by exact reads and bounded takes. */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { decryptAttachment, type DecryptionKey } from '../../../crypto/index';
import { OperationError } from '../operation-error';
import { bindingFor, decodeManifestLength, HEADER_BYTES, LENGTH_BYTES, MAX_MANIFEST_BYTES, parseHeader, parseManifest, type BackupManifest } from './format';
import { chunksOf, webStreamOf } from './web-streams';

/** The backup id in the clear header of the file `input`. */
export async function readBackupId(input: string): Promise<string> {
  let handle: FileHandle;
  try {
    handle = await open(input, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new OperationError('not-a-backup', `${input} does not exist.`, { cause: error });
    throw error;
  }
  try {
    const header = new Uint8Array(HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, HEADER_BYTES, 0);
    return parseHeader(header.subarray(0, bytesRead), input);
  } finally {
    await handle.close();
  }
}

/** Exact reads and bounded takes over a byte stream, for parsing the archive. */
export class ArchiveReader {
  private buffer: Uint8Array = new Uint8Array(0);

  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  private async fill(): Promise<boolean> {
    const next = await this.source.next();
    if (next.done === true) return false;
    if (this.buffer.length === 0) {
      this.buffer = next.value;
    } else {
      const joined = new Uint8Array(this.buffer.length + next.value.length);
      joined.set(this.buffer);
      joined.set(next.value, this.buffer.length);
      this.buffer = joined;
    }
    return true;
  }

  async exact(length: number): Promise<Uint8Array> {
    while (this.buffer.length < length) {
      if (!(await this.fill())) throw new OperationError('backup-invalid', 'The backup ends too early.');
    }
    const out = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    return out;
  }

  async *take(length: number): AsyncGenerator<Uint8Array> {
    for (let left = length; left > 0; ) {
      if (this.buffer.length === 0 && !(await this.fill())) throw new OperationError('backup-invalid', 'The backup ends in the middle of a file.');
      const piece = this.buffer.subarray(0, Math.min(left, this.buffer.length));
      this.buffer = this.buffer.subarray(piece.length);
      left -= piece.length;
      yield piece;
    }
  }

  /** Reading to the end also makes the decryption check the final chunk and that nothing follows it. */
  async atEnd(): Promise<boolean> {
    return this.buffer.length === 0 && !(await this.fill());
  }
}

/** The archive behind the header of backup `backupId` in the file `input`, decrypted as it is read. */
export function openArchive(input: string, backupId: string, adminKey: DecryptionKey): ArchiveReader {
  const encrypted = webStreamOf(createReadStream(input, { start: HEADER_BYTES }) as AsyncIterable<Buffer>);
  return new ArchiveReader(chunksOf(decryptAttachment(encrypted, adminKey, bindingFor(backupId)))[Symbol.asyncIterator]());
}

/** The manifest at the start of the archive. */
export async function readManifest(reader: ArchiveReader): Promise<BackupManifest> {
  const manifestLength = decodeManifestLength(await reader.exact(LENGTH_BYTES));
  if (manifestLength > MAX_MANIFEST_BYTES) throw new OperationError('backup-invalid', 'The backup manifest is too large.');
  return parseManifest(await reader.exact(manifestLength));
}
