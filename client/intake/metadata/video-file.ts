/**
 * Cleans a picked MP4, MOV, 3GP or M4A file in place (isobmff.ts): nothing is read whole but the
 * movie's index, so any size is cleaned; a structure the cleaner does not understand is left alone.
 */
import type { CleanedFile } from './cleaned-file';
import { cleanIsobmff, type VideoCleanResult } from './isobmff';
import { MalformedImageError } from './report';

export async function cleanVideoFile(original: File): Promise<CleanedFile> {
  let result: VideoCleanResult;
  try {
    result = await cleanIsobmff(original);
  } catch (error) {
    if (!(error instanceof MalformedImageError)) return { original, file: original, report: { format: 'video', status: 'not-checked', removed: [], advice: 'unreadable' } };
    return { original, file: original, report: { format: 'video', status: 'could-not-clean', removed: [], advice: 'video-malformed', problem: error.code } };
  }
  const status = result.removed.length === 0 ? 'nothing-found' : 'cleaned';
  return { original, file: result.file, report: { format: 'video', status, removed: result.removed, advice: 'video' } };
}
