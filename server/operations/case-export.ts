/**
 * The offline case export: a tar of standard OpenPGP files that `gpg --decrypt` opens on an
 * air-gapped machine, with a manifest naming, for every file, the binding gpg must print. The server
 * only reframes ciphertext: it strips Candor's envelope header and splits attachments into their
 * chunks; it never decrypts anything. Attachments stream from disk one frame at a time.
 */
import { createHash, type Hash } from 'node:crypto';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ENVELOPE_HEADER_BYTES, isCryptoError, parseEnvelopeHeader, type EnvelopeKind } from '../../crypto/index';
import type { CaseObjectInfo, CaseRecord } from '../storage/cases-repository';
import { moveIntoPlaceDurably, pathExists } from '../storage/durable-files';
import type { Storage } from '../storage/index';
import { OperationError } from './operation-error';
import { tarDirectory, tarEnd, tarFile } from './tar';
import { INVESTIGATOR_OBJECT_KINDS, type InvestigatorObjectKind } from '../domain/object-readers';

export const CASE_EXPORT_FORMAT = 'candor-case-export';
export const CASE_EXPORT_VERSION = 1;

const FRAME_LENGTH_BYTES = 4;
/** Bytes read from an attachment file at a time. */
const READ_BYTES = 64 * 1024;

export interface ManifestMessageFile {
  readonly path: string;
  readonly kind: InvestigatorObjectKind;
  readonly seq: number;
  readonly createdOn: string;
  readonly sha256: string;
  /** The file name gpg prints in its `[GNUPG:] PLAINTEXT` status line for a genuine file. */
  readonly binding: string;
}

export interface ManifestChunkFile {
  readonly path: string;
  readonly kind: 'attachment';
  readonly attachmentId: string;
  readonly chunk: number;
  readonly createdOn: string;
  readonly sha256: string;
  readonly binding: string;
}

export interface CaseExportManifest {
  readonly format: typeof CASE_EXPORT_FORMAT;
  readonly version: typeof CASE_EXPORT_VERSION;
  readonly caseId: string;
  readonly bodyId: string;
  readonly exportedOn: string;
  readonly case: {
    readonly status: string;
    readonly outcome: string | null;
    readonly priority: string;
    readonly receivedOn: string;
    readonly acknowledgedOn: string | null;
    readonly feedbackOn: string | null;
    readonly closedOn: string | null;
  };
  readonly files: readonly (ManifestMessageFile | ManifestChunkFile)[];
}

export interface CaseExportSummary {
  /** The directory inside the archive that holds everything. */
  readonly root: string;
  /** OpenPGP files written (messages and attachment chunks). */
  readonly files: number;
  readonly attachments: number;
  /** Size of the archive. */
  readonly bytes: number;
}

export interface CaseExportOptions {
  /** The export's time, for the files' modification times and the manifest. */
  readonly now?: Date;
}

export function exportRootName(caseId: string): string {
  return `candor-case-${caseId.slice(0, 12)}`;
}

function fileNameOf(kind: InvestigatorObjectKind, seq: number): string {
  return kind === 'report' ? 'report.gpg' : `${kind}-${seq}.gpg`;
}

/** The names crypto/ writes into each message (docs/protocol.md §1.4, §7, §9.2). */
function messageBinding(kind: InvestigatorObjectKind, caseId: string): string {
  return `candor1.${kind}.${caseId}`;
}

function chunkBinding(caseId: string, attachmentId: string, index: number, last: boolean): string {
  return `candor1.attachment.${caseId}.${attachmentId}.${index}.${last ? 'last' : 'more'}`;
}

/** The envelope kind in a stored header, or why it is unreadable, as an export error. */
function envelopeKindOf(header: Uint8Array, what: string, code: 'stored-object-invalid' | 'attachment-invalid'): EnvelopeKind {
  try {
    return parseEnvelopeHeader(header);
  } catch (error) {
    if (isCryptoError(error)) throw new OperationError(code, `${what} is not a Candor envelope (${error.message})`, { cause: error });
    throw error;
  }
}

async function* hashed(pieces: AsyncIterable<Uint8Array>, hash: Hash): AsyncGenerator<Uint8Array> {
  for await (const piece of pieces) {
    hash.update(piece);
    yield piece;
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (bytesRead !== length) throw new OperationError('attachment-invalid', 'An attachment file ended early.');
  return buffer;
}

/** A range of a file in pieces; each piece is a new buffer, since the stream may still hold the last. */
async function* rangeOf(handle: FileHandle, start: number, length: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < length; offset += READ_BYTES) {
    yield await readAt(handle, start + offset, Math.min(READ_BYTES, length - offset));
  }
}

function readmeText(caseId: string, bodyId: string, exportedOn: string): string {
  return `Candor case export (format ${CASE_EXPORT_FORMAT}, version ${CASE_EXPORT_VERSION})
Case ${caseId}
Body ${bodyId}, exported on ${exportedOn}

Every .gpg file here is a standard binary OpenPGP message, encrypted to the body's
investigators. The server that wrote this archive cannot read any of it; you need an
investigator's private key. Decrypt on an air-gapped machine with GnuPG 2.2 or later:

  gpg --import my-private-key.asc

manifest.json lists every file with its kind, its SHA-256 (compare with sha256sum) and
its binding: the name that gpg must print in its PLAINTEXT status line. The binding
proves that the message belongs to this case and is what its file name says. Refuse a
file whose binding differs, or for which gpg does not report DECRYPTION_OKAY and GOODMDC.

Messages (report.gpg, followup-<seq>.gpg, note-<seq>.gpg, reply-copy-<seq>.gpg):

  gpg --status-fd 3 --output report.json --decrypt report.gpg 3>report.status
  grep -E 'PLAINTEXT|GOODMDC|DECRYPTION_OKAY' report.status
  # must show: [GNUPG:] PLAINTEXT 62 0 candor1.report.${caseId}

What they decrypt to:
- Reports and follow-ups sent since protocol version 2 are signed by the reporter's case
  key: JSON, {"format": "candor-signed-message", ...}, with the document itself as text
  in "document" (jq -r .document report.json). The console checks those signatures
  (docs/protocol.md section 7.2); gpg cannot.
- report.gpg: the report document, JSON, {"format": "candor-report", "version": 1, ...}
  or "version": 2 (signed): the answers, and in "attachments" the id, name, type and size
  of each file sent with the report (version 2 also its block SHA-256, section 9.6).
- followup-<seq>.gpg: either plain UTF-8 text (a version 1 follow-up; files sent with it
  carry no name anywhere), or JSON, {"format": "candor-followup", "version": 2, ...}, or
  version 3 (signed): the message in "text", and in "files" the attachment id, name, type
  and size of each file sent with it.
- note-<seq>.gpg and reply-copy-<seq>.gpg: plain UTF-8 text (version 1), or JSON,
  {"format": "candor-note" or "candor-reply", "version": 2, "text", "signer", "signature"}:
  the text, signed by the investigator whose key fingerprint "signer" names (section 10.1).
File names and types exist only inside these encrypted documents; manifest.json names
each attachment by its id. To list the names once decrypted (jq), signed or not:
  jq -r '(if .format == "candor-signed-message" then .document | fromjson else . end) | .attachments[] | [.id, .name, .type] | @tsv' report.json
  jq -r '(if .format == "candor-signed-message" then .document | fromjson else . end) | .files[] | [.attachmentId, .name, .type] | @tsv' followup-<seq>.json
Replies as the reporter received them are sealed to the reporter and not exported.

Attachments (attachments/<attachment id>/chunk-<index>.gpg):

Each file is split into chunks. Decrypt every chunk in index order and join the outputs;
chunk <n> must show the binding
  candor1.attachment.${caseId}.<attachment id>.<n>.more
except the final chunk, which ends in ".last". A chunk may decrypt to nothing (padding).

  for chunk in attachments/ID/chunk-*.gpg; do
    gpg --status-fd 3 --decrypt "$chunk" 3>>ID.status >>ID.bin || echo "FAILED: $chunk"
  done
  grep PLAINTEXT ID.status

The format is specified in Candor's docs/protocol.md (sections 7 and 9).
`;
}

/**
 * Writes the case's export as a tar to `output`, and ends it. Fails before writing anything when
 * the case does not exist. The caller records `case.exported` in the audit log.
 */
export async function writeCaseExport(
  storage: Storage,
  caseId: string,
  output: NodeJS.WritableStream | Writable,
  options: CaseExportOptions = {},
): Promise<CaseExportSummary> {
  const found = storage.cases.find(caseId);
  if (found === undefined) throw new OperationError('case-not-found', 'There is no such case.');
  const record: CaseRecord = found;
  // Only the index here: each object's ciphertext is read when its turn comes. It holds only the kinds asked for.
  const objects = storage.cases.objectIndex(caseId, INVESTIGATOR_OBJECT_KINDS) as (CaseObjectInfo & { readonly kind: InvestigatorObjectKind })[];
  const attachments = storage.attachments.attachmentsOf(caseId);

  const now = options.now ?? new Date();
  const exportedOn = now.toISOString().slice(0, 10);
  const root = exportRootName(caseId);
  const entry = (name: string) => ({ name: `${root}/${name}`, mtime: now });
  const files: (ManifestMessageFile | ManifestChunkFile)[] = [];
  let bytes = 0;

  async function* archive(): AsyncGenerator<Uint8Array> {
    yield tarDirectory(entry(''));
    const readme = Buffer.from(readmeText(caseId, record.bodyId, exportedOn), 'utf8');
    yield* tarFile(entry('README.txt'), readme.length, [readme]);

    for (const object of objects) {
      const stored = storage.cases.findObject(caseId, object.seq, INVESTIGATOR_OBJECT_KINDS)?.ciphertext;
      if (stored === undefined) throw new OperationError('stored-object-invalid', `Object ${object.seq} of the case disappeared during the export.`);
      const kind = envelopeKindOf(stored, `Object ${object.seq} of the case`, 'stored-object-invalid');
      if (kind !== object.kind) throw new OperationError('stored-object-invalid', `Object ${object.seq} is stored as a ${object.kind} but its header says ${kind}.`);
      const message = stored.subarray(ENVELOPE_HEADER_BYTES);
      const path = fileNameOf(object.kind, object.seq);
      yield* tarFile(entry(path), message.length, [message]);
      const sha256 = createHash('sha256').update(message).digest('hex');
      files.push({ path, kind: object.kind, seq: object.seq, createdOn: object.createdOn, sha256, binding: messageBinding(object.kind, caseId) });
    }

    if (attachments.length > 0) yield tarDirectory(entry('attachments/'));
    for (const attachment of attachments) {
      const directory = `attachments/${attachment.id}`;
      yield tarDirectory(entry(`${directory}/`));
      const handle = await open(storage.blobs.blobPath(attachment.id), 'r');
      try {
        const { size } = await handle.stat();
        if (size !== attachment.size) throw new OperationError('attachment-invalid', `Attachment ${attachment.id} has ${size} bytes on disk, not ${attachment.size}.`);
        const kind = envelopeKindOf(await readAt(handle, 0, ENVELOPE_HEADER_BYTES), `Attachment ${attachment.id}`, 'attachment-invalid');
        if (kind !== 'attachment') throw new OperationError('attachment-invalid', `Attachment ${attachment.id} holds a ${kind}.`);
        const chunks: ManifestChunkFile[] = [];
        for (let offset = ENVELOPE_HEADER_BYTES; offset < size; ) {
          const length = (await readAt(handle, offset, FRAME_LENGTH_BYTES)).readUInt32BE(0);
          const start = offset + FRAME_LENGTH_BYTES;
          if (length === 0 || start + length > size) throw new OperationError('attachment-invalid', `Attachment ${attachment.id} ends inside chunk ${chunks.length}.`);
          const index = chunks.length;
          const path = `${directory}/chunk-${String(index).padStart(5, '0')}.gpg`;
          const hash = createHash('sha256');
          yield* tarFile(entry(path), length, hashed(rangeOf(handle, start, length), hash));
          chunks.push({ path, kind: 'attachment', attachmentId: attachment.id, chunk: index, createdOn: attachment.createdOn, sha256: hash.digest('hex'), binding: chunkBinding(caseId, attachment.id, index, false) });
          offset = start + length;
        }
        const final = chunks.pop();
        if (final === undefined) throw new OperationError('attachment-invalid', `Attachment ${attachment.id} holds no chunk.`);
        // The frame that ends the file is the one its writer marked last; gpg shows whether it really is.
        files.push(...chunks, { ...final, binding: chunkBinding(caseId, attachment.id, final.chunk, true) });
      } finally {
        await handle.close();
      }
    }

    const manifest: CaseExportManifest = {
      format: CASE_EXPORT_FORMAT,
      version: CASE_EXPORT_VERSION,
      caseId,
      bodyId: record.bodyId,
      exportedOn,
      case: {
        status: record.status,
        outcome: record.outcome,
        priority: record.priority,
        receivedOn: record.receivedOn,
        acknowledgedOn: record.acknowledgedOn,
        feedbackOn: record.feedbackOn,
        closedOn: record.closedOn,
      },
      files,
    };
    const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
    yield* tarFile(entry('manifest.json'), manifestBytes.length, [manifestBytes]);
    yield tarEnd();
  }

  async function* counted(pieces: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const piece of pieces) {
      bytes += piece.length;
      yield piece;
    }
  }

  await pipeline(Readable.from(counted(archive())), output);
  return { root, files: files.length, attachments: attachments.length, bytes };
}

/**
 * Writes the export to a new file, atomically: to a temporary name beside it, synced, then renamed,
 * so a reader never finds half an archive. Refuses to overwrite.
 */
export async function writeCaseExportFile(storage: Storage, caseId: string, path: string, options: CaseExportOptions = {}): Promise<CaseExportSummary> {
  const partial = `${path}.partial`;
  if (await pathExists(path)) throw new OperationError('output-exists', `${path} already exists; choose a new file.`);
  const handle = await open(partial, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') throw new OperationError('output-exists', `${partial} already exists (an export in progress, or left by one that failed).`);
    throw error;
  });
  // The stream owns the handle: it closes it when the archive ends, or when destroyed after a failure.
  const output = handle.createWriteStream();
  try {
    const summary = await writeCaseExport(storage, caseId, output, options);
    await moveIntoPlaceDurably(partial, path);
    return summary;
  } catch (error) {
    output.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}
