/**
 * Cleans a picked HEIC or AVIF picture in place (heif.ts): only box headers, the meta box and the EXIF
 * item are read, so any size is cleaned; a structure the cleaner does not understand is left alone.
 */
import { cleanHeif, type HeifCleanResult } from './heif';
import type { CleanedFile } from './cleaned-file';
import { MalformedImageError } from './report';

export async function cleanHeifFile(original: File): Promise<CleanedFile> {
  let result: HeifCleanResult;
  try {
    result = await cleanHeif(original);
  } catch (error) {
    if (!(error instanceof MalformedImageError)) return { original, file: original, report: { format: 'heif', status: 'not-checked', removed: [], advice: 'unreadable' } };
    // A picture sequence is a short video: its movie box is not walked here.
    if (error.code === 'heif-sequence') return { original, file: original, report: { format: 'heif', status: 'not-checked', removed: [], advice: 'image-format' } };
    return { original, file: original, report: { format: 'heif', status: 'could-not-clean', removed: [], advice: 'malformed', problem: error.code } };
  }
  if (result.removed.length === 0) return { original, file: original, report: { format: 'heif', status: 'nothing-found', removed: [], advice: 'picture' } };
  return { original, file: result.file, report: { format: 'heif', status: 'cleaned', removed: result.removed, advice: 'heif' } };
}
