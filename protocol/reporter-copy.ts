/**
 * What a reporter copy holds (docs/protocol.md §10): the case's first is the report document the
 * browser encrypted for the investigators, each later one the text of a follow-up. The reporter's
 * browser reads them back after opening them with the case's key.
 */
import { utf8Decode } from '../crypto/index';
import { parseReportDocument, ReportFormatError, type ReportDocument } from './report-document';

export type ReporterCopy = { readonly kind: 'report'; readonly document: ReportDocument } | { readonly kind: 'followup'; readonly text: string };

/**
 * A copy that is a report document is read as one (schema and version checked); anything else is a
 * follow-up's text and shown as it is, so that a message which only looks like a document is not lost.
 */
export function parseReporterCopy(plaintext: Uint8Array): ReporterCopy {
  try {
    return { kind: 'report', document: parseReportDocument(plaintext) };
  } catch (error) {
    if (error instanceof ReportFormatError) return { kind: 'followup', text: utf8Decode(plaintext) };
    throw error;
  }
}
