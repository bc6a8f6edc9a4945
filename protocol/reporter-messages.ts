/**
 * The reporter's messages as protocol version 2 writes and reads them (docs/protocol.md §7.2): each
 * document signed with the case key inside the encryption; the report names the case's public keys,
 * so that the case certifies itself and every later follow-up is checked against the key the report
 * names. Unsigned messages are version 1's, and say so: a caller shows them as unauthenticated.
 */
import {
  caseIdOfKeys,
  CryptoError,
  fromBase64Url,
  isSignedReporterMessage,
  openReporterMessage,
  signReporterMessage,
  type CaseId,
  type CaseKeys,
} from '../crypto/index';
import { followupDocument, parseFollowupDocument, type FollowupDocument, type FollowupDocumentV3 } from './followup-document';
import { parseReportDocument, type ReportDocument, type ReportDocumentV2 } from './report-document';

/** Bytes to encrypt for a report: its document, signed. */
export async function writeReportMessage(keys: CaseKeys, document: ReportDocumentV2): Promise<Uint8Array> {
  return signReporterMessage(keys, 'report', JSON.stringify(document));
}

/** Bytes to encrypt for a follow-up: its document (version 3), signed. */
export async function writeFollowupMessage(keys: CaseKeys, text: string, files: FollowupDocumentV3['files']): Promise<Uint8Array> {
  return signReporterMessage(keys, 'followup', JSON.stringify(followupDocument(text, files)));
}

export interface ReadReport {
  readonly document: ReportDocument;
  /** The case key that signed it, the one the report names; null for an unsigned version 1 report. */
  readonly signer: string | null;
}

/**
 * Reads a decrypted report of `caseId`. A signed report must verify, be version 2, be signed by the
 * key it names, and name the keys whose digest is `caseId` (a case id of version 2, docs/protocol.md
 * §3): otherwise anyone could sign a report of their own keys under a genuine case's id and have
 * replies sealed to them. An unsigned report must be version 1. Otherwise throws `signature-invalid`
 * or `binding-mismatch` (or a format error from the document's parser).
 */
export async function readReportMessage(plaintext: Uint8Array, caseId: CaseId): Promise<ReadReport> {
  if (!isSignedReporterMessage(plaintext)) {
    const document = parseReportDocument(plaintext);
    if (document.version !== 1) throw new CryptoError('signature-invalid', 'A version 2 report must be signed.');
    return { document, signer: null };
  }
  const opened = await openReporterMessage(plaintext, { caseId, kind: 'report' });
  const document = parseReportDocument(opened.document);
  if (document.version !== 2 || document.caseKeys.auth !== opened.signer) {
    throw new CryptoError('signature-invalid', 'The report is not signed by the case key it names.');
  }
  if ((await caseIdOfKeys(fromBase64Url(document.caseKeys.auth), fromBase64Url(document.caseKeys.reply))) !== caseId) {
    throw new CryptoError('binding-mismatch', 'The report names the keys of another case.');
  }
  return { document, signer: opened.signer };
}

export interface ReadFollowup {
  readonly document: FollowupDocument;
  /** Whether the case key the report names signed it; false for an unsigned follow-up (version 1 or 2). */
  readonly signed: boolean;
}

/**
 * Reads a decrypted follow-up of `caseId`. `caseAuthKey` is the key the case's signed report names,
 * or null if the report was unsigned (version 1). A signed follow-up must verify under exactly that
 * key and be version 3; an unsigned one must be version 1 or 2. Otherwise throws `signature-invalid`.
 * Whether an unsigned follow-up is acceptable is the caller's: in a case with a signed report, it is
 * not the reporter's.
 */
export async function readFollowupMessage(plaintext: Uint8Array, caseId: CaseId, caseAuthKey: string | null): Promise<ReadFollowup> {
  if (!isSignedReporterMessage(plaintext)) {
    const document = parseFollowupDocument(plaintext);
    if (document.version === 3) throw new CryptoError('signature-invalid', 'A version 3 follow-up must be signed.');
    return { document, signed: false };
  }
  const opened = await openReporterMessage(plaintext, { caseId, kind: 'followup' });
  if (caseAuthKey === null || opened.signer !== caseAuthKey) throw new CryptoError('signature-invalid', 'The follow-up is not signed by the case key.');
  const document = parseFollowupDocument(opened.document);
  if (document.version !== 3) throw new CryptoError('signature-invalid', 'A signed follow-up must be version 3.');
  return { document, signed: true };
}
