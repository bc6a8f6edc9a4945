/**
 * What a reporter copy holds (docs/protocol.md §10): the case's first is the report document the
 * browser encrypted for the investigators, each later one the follow-up document (§7.1: its text,
 * and from version 2 the files sent with it). The reporter's browser reads them back after opening
 * them with the case's key.
 */
import { parseFollowupDocument, type FollowupDocument } from './followup-document';
import { parseReportDocument, ReportFormatError, type ReportDocument } from './report-document';

export type ReporterCopy = { readonly kind: 'report'; readonly document: ReportDocument } | { readonly kind: 'followup'; readonly document: FollowupDocument };

/**
 * A copy that is a report document is read as one (schema and version checked); anything else is a
 * follow-up document, and a follow-up of version 1 is its text as it is, so that a message which
 * only looks like a report is not lost. A follow-up document of an unknown version throws
 * FollowupFormatError.
 */
export function parseReporterCopy(plaintext: Uint8Array): ReporterCopy {
  try {
    return { kind: 'report', document: parseReportDocument(plaintext) };
  } catch (error) {
    if (error instanceof ReportFormatError) return { kind: 'followup', document: parseFollowupDocument(plaintext) };
    throw error;
  }
}
