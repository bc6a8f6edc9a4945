/** What metadata removal found, as codes: the UI turns them into words in the reporter's language. */
import type { CleaningMode } from '../../../protocol/report-document';

export type { CleaningMode };

/** Kinds of hidden information that can be removed, in the order they are shown. */
export const REMOVED_ITEMS = ['gps', 'exif', 'device', 'thumbnail', 'xmp', 'iptc', 'comment', 'text', 'time', 'recording-time', 'trailing', 'document-info', 'document-id', 'revisions', 'scripts', 'embedded-files', 'annotation-authors', 'signatures', 'app-data', 'pages-as-images', 'custom-properties', 'comment-authors', 'change-authors', 'revision-ids', 'printer', 'file-paths', 'other'] as const;
export type RemovedItem = (typeof REMOVED_ITEMS)[number];

/** What a file really is, from its first bytes (never from its name or declared type). */
export type FileFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'heif' | 'video' | 'pdf' | 'office' | 'archive' | 'image' | 'media' | 'other';

export type MetadataStatus = 'cleaned' | 'nothing-found' | 'not-checked' | 'could-not-clean';

/** Which advice goes with a file's report. */
export type MetadataAdvice = 'picture' | 'document' | 'archive' | 'image-format' | 'media' | 'other' | 'too-large' | 'malformed' | 'unreadable' | 'video' | 'video-malformed' | 'heif' | 'pdf' | 'pdf-encrypted' | 'pdf-unreadable' | 'pdf-too-many-pages' | 'pdf-canvas-blocked' | 'office' | 'office-review' | 'office-malformed';

export type MalformedImageCode =
  | 'truncated'
  | 'jpeg-bad-marker'
  | 'jpeg-bad-length'
  | 'jpeg-unsupported'
  | 'jpeg-no-frame'
  | 'jpeg-no-end'
  | 'png-bad-signature'
  | 'png-bad-chunk'
  | 'png-bad-crc'
  | 'png-bad-order'
  | 'png-unknown-critical'
  | 'png-no-end'
  | 'webp-bad-chunk'
  | 'webp-bad-order'
  | 'gif-bad-signature'
  | 'gif-bad-block'
  | 'gif-no-image'
  | 'video-bad-box'
  | 'video-bad-structure'
  | 'video-too-large-index'
  | 'heif-bad-structure'
  | 'heif-bad-item'
  | 'heif-bad-extent'
  | 'heif-unsupported'
  | 'heif-sequence';

/** The structure of a picture is not what the format allows: it is left alone rather than guessed at. */
export class MalformedImageError extends Error {
  override readonly name = 'MalformedImageError';
  constructor(readonly code: MalformedImageCode) {
    super(`Malformed image: ${code}`);
  }
}

/** Why an Office or OpenDocument file was left alone (client/intake/metadata/office.ts). */
export type MalformedDocumentCode = 'office-bad-zip' | 'office-too-large' | 'office-encrypted' | 'office-bad-xml';

/** An Office or OpenDocument file is not built as its format requires, or cannot be read here: it is never half-cleaned. */
export class MalformedDocumentError extends Error {
  override readonly name = 'MalformedDocumentError';
  constructor(readonly code: MalformedDocumentCode) {
    super(`Malformed document: ${code}`);
  }
}

export interface MetadataReport {
  readonly format: FileFormat;
  readonly status: MetadataStatus;
  /** Empty unless `status` is `cleaned`. */
  readonly removed: readonly RemovedItem[];
  readonly advice: MetadataAdvice;
  /** Why a picture could not be cleaned, for `could-not-clean`. */
  readonly problem?: MalformedImageCode | MalformedDocumentCode;
  /** For a PDF, which of the two cleanings the reporter chose (client/intake/metadata/pdf-file.ts). */
  readonly mode?: CleaningMode;
}

/** A cleaner's result: `bytes` is the very input array when nothing was removed. */
export interface ImageCleanResult {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly removed: readonly RemovedItem[];
}

/** Collects removed items without duplicates, in display order. */
export class RemovedItems {
  private readonly items = new Set<RemovedItem>();

  add(...items: readonly RemovedItem[]): void {
    for (const item of items) this.items.add(item);
  }

  get size(): number {
    return this.items.size;
  }

  list(): readonly RemovedItem[] {
    return REMOVED_ITEMS.filter((item) => this.items.has(item));
  }
}

/** Joins parts into one array; used to write a cleaned file. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** True when `bytes` holds `prefix` (ASCII, with `\0` for NUL) at `offset`. */
export function startsWithAscii(bytes: Uint8Array, prefix: string, offset = 0): boolean {
  if (offset + prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if (bytes[offset + i] !== prefix.charCodeAt(i)) return false;
  }
  return true;
}
