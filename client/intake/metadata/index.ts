/**
 * Metadata removal before encryption, the only entry to client/intake/metadata: JPEG, PNG, WebP, GIF
 * and PDF (pdf-file.ts, two ways the reporter chooses from) are cleaned, MP4, MOV, HEIC and AVIF in
 * place (video-file.ts, heif-file.ts); every other kind of file is reported as not checked, with advice for the reporter.
 */
import { detectFormat, HEAD_BYTES } from './detect-format';
import { cleanGif } from './gif';
import { cleanHeifFile } from './heif-file';
import { cleanJpeg } from './jpeg';
import { cleanOfficeFile } from './office-file';
import { cleanPdfFile } from './pdf-file';
import type { CleanedFile, CleanOptions } from './cleaned-file';
import { cleanPng } from './png';
import { cleanVideoFile } from './video-file';
import { cleanWebp } from './webp';
import { MalformedImageError, type FileFormat, type MetadataAdvice, type MetadataReport } from './report';

export type { CleanedFile, CleanOptions } from './cleaned-file';
export { REMOVED_ITEMS } from './report';
export type { CleaningMode, FileFormat, MalformedImageCode, MetadataAdvice, MetadataReport, MetadataStatus, RemovedItem } from './report';

/**
 * A browser cannot edit a file in place, so cleaning holds the whole picture and its cleaned copy
 * in memory. Above this size pictures are reported as not checked rather than risk running a phone
 * out of memory.
 */
export const MAX_CLEANED_BYTES = 64 * 1024 * 1024;

/** The advice for each kind of file that is not cleaned here. */
const NOT_CHECKED_ADVICE: Readonly<Record<Exclude<FileFormat, 'jpeg' | 'png' | 'webp' | 'gif' | 'heif' | 'video' | 'pdf' | 'office'>, MetadataAdvice>> = {
  archive: 'archive',
  image: 'image-format',
  media: 'media',
  other: 'other',
};

/** Pictures are cleaned in memory, as a whole, by a pure function over their bytes. */
const PICTURE_CLEANERS = { jpeg: cleanJpeg, png: cleanPng, webp: cleanWebp, gif: cleanGif } as const;

/** Reads bytes of a file, which fails when the file was changed or removed after it was picked. */
async function readBytes(blob: Blob): Promise<Uint8Array<ArrayBuffer> | 'unreadable'> {
  try {
    return new Uint8Array(await blob.arrayBuffer());
  } catch {
    return 'unreadable';
  }
}

/** Removes what metadata the browser can remove safely from `original` and says what it did. */
export async function cleanFile(original: File, options: CleanOptions = {}): Promise<CleanedFile> {
  const unchanged = (report: MetadataReport): CleanedFile => ({ original, file: original, report });
  const notChecked = (format: FileFormat, advice: MetadataAdvice) => unchanged({ format, status: 'not-checked', removed: [], advice });

  const head = await readBytes(original.slice(0, HEAD_BYTES));
  if (head === 'unreadable') return notChecked('other', 'unreadable');
  const format = detectFormat(head);
  if (format === 'video') return cleanVideoFile(original);
  if (format === 'heif') return cleanHeifFile(original);
  if (format !== 'jpeg' && format !== 'png' && format !== 'webp' && format !== 'gif' && format !== 'pdf' && format !== 'office') return notChecked(format, NOT_CHECKED_ADVICE[format]);
  if (original.size > MAX_CLEANED_BYTES) return notChecked(format, 'too-large');
  const bytes = await readBytes(original);
  if (bytes === 'unreadable') return notChecked(format, 'unreadable');
  if (format === 'pdf') return cleanPdfFile(original, bytes, options);
  if (format === 'office') return cleanOfficeFile(original, bytes);

  let result;
  try {
    result = PICTURE_CLEANERS[format](bytes);
  } catch (error) {
    // The reporter is told and decides; a picture the cleaners do not understand is never half-cleaned.
    const problem = error instanceof MalformedImageError ? { problem: error.code } : {};
    return unchanged({ format, status: 'could-not-clean', removed: [], advice: 'malformed', ...problem });
  }
  if (result.removed.length === 0) return unchanged({ format, status: 'nothing-found', removed: [], advice: 'picture' });
  return { original, file: new Blob([result.bytes], { type: original.type }), report: { format, status: 'cleaned', removed: result.removed, advice: 'picture' } };
}
