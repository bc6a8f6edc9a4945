/**
 * Encrypted backups of a data directory, taken while the intake runs, and their restore.
 *
 * A backup file (format version 1) is:
 *   1. a clear header of 40 bytes: the ASCII text `candor-backup.v1.`, the backup id (22 base64url
 *      characters, random per backup) and a line feed;
 *   2. an attachment stream (docs/protocol.md, Attachments) encrypted to the administrator's OpenPGP
 *      key, bound to case id BACKUP_CASE_ID (64 zeros, which no HKDF-derived case id is) and to the
 *      backup id as attachment id: chunks cannot be reordered, truncated or spliced in from another
 *      backup or from a reporter's file. It opens with `gpg --decrypt`, chunk by chunk.
 * Its plaintext, the archive, is: a big-endian uint32 length, the manifest as UTF-8 JSON
 * `{format:'candor-backup', version:1, createdOn:'YYYY-MM-DD', files:[{path,size,sha256}]}`, then
 * each file's bytes in manifest order. Files are the database (an online-backup snapshot) and the
 * blobs its rows refer to; partial uploads are not kept (their reporters resume them from zero).
 *
 * Nothing holds a whole backup in memory: files are streamed through 1 MiB chunks both ways.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, mkdtemp, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';
import { z } from 'zod';
import {
  decryptAttachment,
  encryptAttachment,
  newAttachmentId,
  utf8Decode,
  utf8Encode,
  type AttachmentBinding,
  type AttachmentId,
  type CaseId,
  type DecryptionKey,
  type RecipientKey,
} from '../../crypto/index';
import { dayOf, systemClock, type Clock, type Day } from '../clock';
import { BLOB_ID_PATTERN, sha256OfFile } from '../storage/blob-store';
import { fsyncPath, moveIntoPlaceDurably, pathExists } from '../storage/durable-files';
import { DATABASE_FILE } from '../storage/index';
import { OperationError } from './operation-error';

export const BACKUP_FORMAT = 'candor-backup';
export const BACKUP_VERSION = 1;
/** The case id every backup is bound to: all zeros, so a backup can never pass for a case's file. */
export const BACKUP_CASE_ID = '0'.repeat(64) as CaseId;
const MAGIC_PREFIX = 'candor-backup.v';
const MAGIC = `${MAGIC_PREFIX}${BACKUP_VERSION}.`;
const BACKUP_ID_CHARS = 22;
const HEADER_BYTES = MAGIC.length + BACKUP_ID_CHARS + 1;
/** A manifest entry takes about 120 bytes; 64 MiB is room for half a million files. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

const BLOB_ID_SOURCE = BLOB_ID_PATTERN.source.replace(/^\^|\$$/g, '');
/** The only paths a backup may name: anything else (`..`, absolute paths) is refused on restore. */
const FILE_PATH_PATTERN = new RegExp(`^(${DATABASE_FILE.replace('.', '\\.')}|blobs/${BLOB_ID_SOURCE})$`);

const manifestSchema = z
  .object({
    format: z.literal(BACKUP_FORMAT),
    version: z.literal(BACKUP_VERSION),
    createdOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    files: z.array(
      z.object({ path: z.string().regex(FILE_PATH_PATTERN), size: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    ),
  })
  .strict();

export type BackupManifest = z.output<typeof manifestSchema>;
type ManifestFile = BackupManifest['files'][number];

export interface BackupSummary {
  readonly createdOn: Day;
  readonly cases: number;
  readonly files: number;
  /** Plaintext bytes archived: the database snapshot and the blobs. */
  readonly bytes: number;
}

function bindingFor(backupId: string): AttachmentBinding {
  return { caseId: BACKUP_CASE_ID, attachmentId: backupId as AttachmentId };
}

function uint32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
}

/** A pull-driven web stream over an async iterable: nothing is read before the consumer asks. */
function webStreamOf(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await iterator.next();
        if (next.done === true) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield value;
    }
    finished = true;
  } finally {
    if (finished) reader.releaseLock();
    else await reader.cancel().catch(() => undefined);
  }
}

/**
 * Working directories in a data directory: a backup's database snapshot, a restore's decrypted
 * files. Each is as sensitive as the database and must not outlive the run that made it, even a
 * killed one: the purge removes those no run holds any more (removeAbandonedWorkDirs).
 */
const WORK_DIR_PREFIXES = ['.backup-', '.restore-'] as const;
/** The file a run locks (SQLite's exclusive lock) for as long as it uses its working directory. */
export const WORK_DIR_LOCK = 'in-use.lock';
/** A live run locks its directory right after creating it; one without a lock file this old is abandoned. */
const UNLOCKED_WORK_DIR_GRACE_MS = 60 * 60 * 1000;
/** Between creating its lock file and locking it a run takes an instant: a free lock file younger than this may be that instant. */
const LOCK_TAKING_GRACE_MS = 60 * 1000;

interface WorkDir {
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
async function createWorkDir(parent: string, prefix: (typeof WORK_DIR_PREFIXES)[number]): Promise<WorkDir> {
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

async function removeWorkDir(dir: WorkDir): Promise<void> {
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

interface SourceFile extends ManifestFile {
  readonly source: string;
}

/** The archive's plaintext; each file is hashed again as it is read, so a change midway is caught. */
async function* archive(manifest: BackupManifest, files: readonly SourceFile[]): AsyncGenerator<Uint8Array> {
  const json = utf8Encode(JSON.stringify(manifest));
  yield uint32(json.length);
  yield json;
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

export interface CreateBackupOptions {
  readonly dataDir: string;
  readonly adminKey: RecipientKey;
  readonly output: string;
  readonly clock?: Clock;
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
        yield utf8Encode(`${MAGIC}${backupId}\n`);
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

/** Exact reads and bounded takes over a byte stream, for parsing the archive. */
class ArchiveReader {
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

async function readHeader(input: string): Promise<{ backupId: string }> {
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
    const text = utf8Decode(header.subarray(0, bytesRead));
    if (!text.startsWith(MAGIC_PREFIX)) throw new OperationError('not-a-backup', `${input} is not a Candor backup.`);
    if (!text.startsWith(MAGIC)) throw new OperationError('backup-unknown-version', `${input} is a Candor backup of a format this version cannot read; upgrade Candor.`);
    const backupId = text.slice(MAGIC.length, MAGIC.length + BACKUP_ID_CHARS);
    if (bytesRead !== HEADER_BYTES || !BLOB_ID_PATTERN.test(backupId) || !text.endsWith('\n')) {
      throw new OperationError('backup-invalid', `${input} has a damaged header.`);
    }
    return { backupId };
  } finally {
    await handle.close();
  }
}

function parseManifest(bytes: Uint8Array): BackupManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(utf8Decode(bytes));
  } catch (cause) {
    throw new OperationError('backup-invalid', 'The backup manifest is not JSON.', { cause });
  }
  // The version is checked before anything else, so a newer format is named as such, not as damage.
  const head = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (head.format !== BACKUP_FORMAT) throw new OperationError('backup-invalid', 'The backup manifest has the wrong format.');
  if (head.version !== BACKUP_VERSION) throw new OperationError('backup-unknown-version', `The backup manifest has version ${String(head.version)}; this Candor reads ${BACKUP_VERSION}.`);
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw new OperationError('backup-invalid', `The backup manifest is invalid: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  const paths = parsed.data.files.map((file) => file.path);
  if (new Set(paths).size !== paths.length || paths.filter((path) => path === DATABASE_FILE).length !== 1) {
    throw new OperationError('backup-invalid', 'The backup manifest must name the database once and every file once.');
  }
  return parsed.data;
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

/**
 * Restores a backup into a new or empty `dataDir`. Every file is decrypted into a staging directory
 * and checked against the manifest; only when the whole backup has decrypted (its last chunk
 * verified) are they renamed into place. Any failure leaves `dataDir` empty again.
 */
export async function restoreBackup(options: RestoreBackupOptions): Promise<RestoreSummary> {
  const { input, adminKey, dataDir } = options;
  await assertEmptyTarget(dataDir);
  const { backupId } = await readHeader(input);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const staging = await createWorkDir(dataDir, '.restore-');
  try {
    const encrypted = webStreamOf(createReadStream(input, { start: HEADER_BYTES }) as AsyncIterable<Buffer>);
    const reader = new ArchiveReader(chunksOf(decryptAttachment(encrypted, adminKey, bindingFor(backupId))));
    const manifestLength = new DataView((await reader.exact(4)).slice().buffer).getUint32(0);
    if (manifestLength > MAX_MANIFEST_BYTES) throw new OperationError('backup-invalid', 'The backup manifest is too large.');
    const manifest = parseManifest(await reader.exact(manifestLength));
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
