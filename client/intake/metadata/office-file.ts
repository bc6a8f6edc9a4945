/**
 * Cleans a picked Office Open XML or OpenDocument file (office.ts) and reports what it did. Legacy
 * binary Office files and RTF, which detect-format.ts also calls 'office', are not checked: their
 * formats hold authors in structures this cleaner does not rewrite.
 */
import type { CleanedFile } from './cleaned-file';
import { cleanOffice, type OfficeCleanResult } from './office';
import { MalformedDocumentError, MalformedImageError, startsWithAscii, type MetadataReport } from './report';

export async function cleanOfficeFile(original: File, bytes: Uint8Array<ArrayBuffer>): Promise<CleanedFile> {
  const unchanged = (report: MetadataReport): CleanedFile => ({ original, file: original, report });
  // An encrypted Office Open XML file is an OLE container too: it cannot be read, so it is not checked either.
  if (!startsWithAscii(bytes, 'PK\x03\x04')) return unchanged({ format: 'office', status: 'not-checked', removed: [], advice: 'document' });
  let result: OfficeCleanResult | 'not-a-document';
  try {
    result = cleanOffice(bytes);
  } catch (error) {
    // The reporter is told and decides; a document the cleaner cannot read whole is never half-cleaned.
    if (error instanceof MalformedDocumentError || error instanceof MalformedImageError) {
      return unchanged({ format: 'office', status: 'could-not-clean', removed: [], advice: 'office-malformed', problem: error.code });
    }
    throw error;
  }
  if (result === 'not-a-document') return unchanged({ format: 'archive', status: 'not-checked', removed: [], advice: 'archive' });
  const advice = result.hasReview ? 'office-review' : 'office';
  if (result.removed.length === 0) return unchanged({ format: 'office', status: 'nothing-found', removed: [], advice });
  return { original, file: new Blob([result.bytes], { type: original.type }), report: { format: 'office', status: 'cleaned', removed: result.removed, advice } };
}
