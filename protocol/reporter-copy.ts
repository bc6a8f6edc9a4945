/**
 * What a reporter copy holds (docs/protocol.md §10): the case's first is the report the browser
 * encrypted for the investigators, each later one a follow-up (§7.1), the same bytes: from protocol
 * version 2 signed with the case key (§7.2). The reporter's browser reads them back after opening
 * them with the case's key, and checks that a signed copy is signed by that key.
 */
import { CryptoError, isSignedReporterMessage, toBase64Url, type CaseKeys } from '../crypto/index';
import type { FollowupDocument } from './followup-document';
import type { ReportDocument } from './report-document';
import { ReportFormatError } from './report-document';
import { readFollowupMessage, readReportMessage } from './reporter-messages';

export type ReporterCopy = (
  | { readonly kind: 'report'; readonly document: ReportDocument }
  | { readonly kind: 'followup'; readonly document: FollowupDocument }
) & {
  /** Signed by this case's key (version 2); an unsigned copy is version 1's, or not the reporter's. */
  readonly signed: boolean;
};

/**
 * A copy that is a report is read as one (schema, version and signature checked); anything else is
 * a follow-up, and an unsigned follow-up of version 1 is its text as it is, so that a message which
 * only looks like a report is not lost. Throws `signature-invalid` for a signed copy that is not this
 * case key's, and FollowupFormatError for a follow-up document of an unknown version.
 */
export async function readReporterCopy(plaintext: Uint8Array, keys: CaseKeys): Promise<ReporterCopy> {
  const ownKey = toBase64Url(keys.authPublicKey);
  if (isSignedReporterMessage(plaintext)) {
    try {
      const report = await readReportMessage(plaintext, keys.caseId);
      if (report.signer !== ownKey) throw new CryptoError('signature-invalid', 'The copy is not signed by this case key.');
      return { kind: 'report', document: report.document, signed: true };
    } catch (error) {
      // Signed for another kind: then it must be this case's follow-up.
      if (!(error instanceof CryptoError && error.code === 'signature-invalid')) throw error;
    }
    const followup = await readFollowupMessage(plaintext, keys.caseId, ownKey);
    return { kind: 'followup', document: followup.document, signed: true };
  }
  try {
    const report = await readReportMessage(plaintext, keys.caseId);
    return { kind: 'report', document: report.document, signed: false };
  } catch (error) {
    if (!(error instanceof ReportFormatError)) throw error;
  }
  const followup = await readFollowupMessage(plaintext, keys.caseId, null);
  return { kind: 'followup', document: followup.document, signed: false };
}
