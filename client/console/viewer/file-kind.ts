/**
 * What a decrypted file is, decided from its own bytes (magic numbers), never from the type or name
 * the reporter's browser claimed — except that text, which has no magic number, must also be claimed
 * as text: bytes that merely happen to be valid UTF-8 are not shown as text unless the reporter said so.
 */
import { VIEW_LIMITS } from './view-limits';

export type PictureFormat = 'jpeg' | 'png' | 'gif' | 'webp';

/** How many leading bytes `sniffFileKind` needs: a PDF header may sit anywhere in the first KiB. */
export const SNIFF_BYTES = 1024;

/** What the bytes say the file is: the viewer then reads it as that, or not at all. */
export type SniffedKind = { readonly kind: 'picture'; readonly format: PictureFormat } | { readonly kind: 'pdf' } | { readonly kind: 'text' } | { readonly kind: 'other' };

/** What the reporter's browser said the file was; only ever used to allow text, never to pick a decoder. */
export interface ClaimedFile {
  readonly name: string | null;
  readonly type: string | null;
}

function startsWith(bytes: Uint8Array, offset: number, expected: readonly number[]): boolean {
  return expected.every((byte, i) => bytes[offset + i] === byte);
}

const ascii = (text: string): number[] => [...text].map((char) => char.charCodeAt(0));

/** The picture format the magic number names, if any. */
export function pictureFormatOf(head: Uint8Array): PictureFormat | null {
  if (startsWith(head, 0, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, 0, ascii('GIF87a')) || startsWith(head, 0, ascii('GIF89a'))) return 'gif';
  if (startsWith(head, 0, ascii('RIFF')) && startsWith(head, 8, ascii('WEBP'))) return 'webp';
  return null;
}

const PDF_MAGIC = ascii('%PDF-');

/** `%PDF-` at the start or, as readers accept it, after some leading bytes within the first KiB. */
function isPdf(head: Uint8Array): boolean {
  const end = Math.min(head.length, SNIFF_BYTES) - PDF_MAGIC.length;
  for (let offset = 0; offset <= end; offset += 1) if (startsWith(head, offset, PDF_MAGIC)) return true;
  return false;
}

/** Claimed as text: a `text/*` type, or a `.txt` or `.csv` name. */
export function isClaimedText(claimed: ClaimedFile): boolean {
  const type = (claimed.type ?? '').trim().toLowerCase();
  const name = (claimed.name ?? '').trim().toLowerCase();
  return type.startsWith('text/') || name.endsWith('.txt') || name.endsWith('.csv');
}

/**
 * The kind `head` (the file's first SNIFF_BYTES bytes, or all of a shorter file) shows. `text` only
 * says the file was claimed as text and has no other magic number: `plainTextOf` must still accept
 * the whole of it.
 */
export function sniffFileKind(head: Uint8Array, claimed: ClaimedFile): SniffedKind {
  const format = pictureFormatOf(head);
  if (format !== null) return { kind: 'picture', format };
  if (isPdf(head)) return { kind: 'pdf' };
  if (isClaimedText(claimed)) return { kind: 'text' };
  return { kind: 'other' };
}

/** The file's bytes as text, if they are valid UTF-8 without NUL bytes; otherwise null (binary, or another encoding). */
export function plainTextOf(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    // Not UTF-8: a binary file, or text in an encoding the viewer cannot tell for sure.
    return null;
  }
}

/** The byte limit the viewer holds a file of this kind to, or null for a kind it does not show. */
export function byteLimitOf(kind: SniffedKind): number | null {
  switch (kind.kind) {
    case 'picture':
      return VIEW_LIMITS.pictureMaxBytes;
    case 'pdf':
      return VIEW_LIMITS.pdfMaxBytes;
    case 'text':
      return VIEW_LIMITS.textMaxBytes;
    case 'other':
      return null;
  }
}
