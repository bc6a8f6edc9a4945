/**
 * The backup file format, version 1. A backup file is:
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
import { z } from 'zod';
import { utf8Decode, utf8Encode, type AttachmentBinding, type AttachmentId, type CaseId } from '../../../crypto/index';
import { BLOB_ID_PATTERN } from '../../storage/blob-store';
import { DATABASE_FILE } from '../../storage/index';
import { OperationError } from '../operation-error';

export const BACKUP_FORMAT = 'candor-backup';
export const BACKUP_VERSION = 1;
/** The case id every backup is bound to: all zeros, so a backup can never pass for a case's file. */
const BACKUP_CASE_ID = '0'.repeat(64) as CaseId;
const MAGIC_PREFIX = 'candor-backup.v';
const MAGIC = `${MAGIC_PREFIX}${BACKUP_VERSION}.`;
const BACKUP_ID_CHARS = 22;
export const HEADER_BYTES = MAGIC.length + BACKUP_ID_CHARS + 1;
/** The bytes of the manifest's length prefix. */
export const LENGTH_BYTES = 4;
/** A manifest entry takes about 120 bytes; 64 MiB is room for half a million files. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

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
export type ManifestFile = BackupManifest['files'][number];

export function bindingFor(backupId: string): AttachmentBinding {
  return { caseId: BACKUP_CASE_ID, attachmentId: backupId as AttachmentId };
}

/** The clear header of the backup with this id. */
export function encodeHeader(backupId: string): Uint8Array {
  return utf8Encode(`${MAGIC}${backupId}\n`);
}

/** The backup id in the first bytes of `input` (up to HEADER_BYTES of them), once they are a version 1 header. */
export function parseHeader(header: Uint8Array, input: string): string {
  const text = utf8Decode(header);
  if (!text.startsWith(MAGIC_PREFIX)) throw new OperationError('not-a-backup', `${input} is not a Candor backup.`);
  if (!text.startsWith(MAGIC)) throw new OperationError('backup-unknown-version', `${input} is a Candor backup of a format this version cannot read; upgrade Candor.`);
  const backupId = text.slice(MAGIC.length, MAGIC.length + BACKUP_ID_CHARS);
  if (header.length !== HEADER_BYTES || !BLOB_ID_PATTERN.test(backupId) || !text.endsWith('\n')) {
    throw new OperationError('backup-invalid', `${input} has a damaged header.`);
  }
  return backupId;
}

/** The manifest as the archive begins: its length prefix, then its JSON. */
export function encodeManifest(manifest: BackupManifest): [Uint8Array, Uint8Array] {
  const json = utf8Encode(JSON.stringify(manifest));
  const length = new Uint8Array(LENGTH_BYTES);
  new DataView(length.buffer).setUint32(0, json.length);
  return [length, json];
}

export function decodeManifestLength(bytes: Uint8Array): number {
  return new DataView(bytes.slice().buffer).getUint32(0);
}

export function parseManifest(bytes: Uint8Array): BackupManifest {
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
