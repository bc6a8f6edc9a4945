/** Tells what a file is from its first bytes; a file's name and declared type are not trusted. */
import { startsWithAscii, type FileFormat } from './report';

/** How many leading bytes `detectFormat` looks at. */
export const HEAD_BYTES = 1024;

/** HEIC and AVIF pictures and picture sequences, by their major brand. */
const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'avif', 'avis']);
const OFFICE_ZIP_ENTRIES = ['[Content_Types].xml', 'mimetype', '_rels/', 'docProps/', 'word/', 'xl/', 'ppt/', 'META-INF/'];

function startsWith(head: Uint8Array, bytes: readonly number[], offset = 0): boolean {
  return bytes.every((byte, i) => head[offset + i] === byte);
}

/** The name of the first entry of a ZIP file, from its local file header. */
function firstZipEntry(head: Uint8Array): string {
  const nameLength = (head[26] ?? 0) | ((head[27] ?? 0) << 8);
  return String.fromCharCode(...head.subarray(30, 30 + nameLength));
}

export function detectFormat(head: Uint8Array): FileFormat {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  // Readers accept the PDF header anywhere in the first kilobyte.
  if (head.some((_, offset) => startsWithAscii(head, '%PDF-', offset))) return 'pdf';
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) || startsWithAscii(head, '{\\rtf')) return 'office';
  if (startsWithAscii(head, 'PK\x03\x04')) {
    const entry = firstZipEntry(head);
    return OFFICE_ZIP_ENTRIES.some((prefix) => entry.startsWith(prefix)) ? 'office' : 'archive';
  }
  if (startsWithAscii(head, 'Rar!') || startsWithAscii(head, '7z\xbc\xaf\x27\x1c') || startsWith(head, [0x1f, 0x8b])) return 'archive';
  if (startsWithAscii(head, 'GIF87a') || startsWithAscii(head, 'GIF89a')) return 'gif';
  if (startsWithAscii(head, 'II*\0') || startsWithAscii(head, 'MM\0*')) return 'image';
  if (startsWith(head, [0xff, 0x0a]) || startsWith(head, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20])) return 'image';
  if (startsWithAscii(head, 'RIFF')) return startsWithAscii(head, 'WEBP', 8) ? 'webp' : 'media';
  if (startsWithAscii(head, 'ftyp', 4)) {
    return HEIF_BRANDS.has(String.fromCharCode(...head.subarray(8, 12))) ? 'heif' : 'video';
  }
  // Older QuickTime files start with their movie, data or a padding box instead of a file type box.
  if (['moov', 'mdat', 'wide'].some((type) => startsWithAscii(head, type, 4))) return 'video';
  if (startsWithAscii(head, 'ID3') || startsWithAscii(head, 'OggS') || startsWithAscii(head, 'fLaC') || startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return 'media';
  return 'other';
}
