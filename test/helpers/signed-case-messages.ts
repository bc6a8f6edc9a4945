/**
 * Reports and follow-ups as a version 2 reporter's browser writes them (signed with the case key),
 * for tests of what reads them: the report document names the case's keys and each file's digest.
 */
import { createBlockSha256, toBase64Url, type CaseKeys } from '../../crypto/index';
import type { FollowupDocumentV3 } from '../../protocol/followup-document';
import type { ReportDocumentV2 } from '../../protocol/report-document';
import { writeFollowupMessage, writeReportMessage } from '../../protocol/reporter-messages';

/** The block SHA-256 (docs/protocol.md §9.6) of a file's plaintext, as a report names it. */
export async function blockSha256Of(bytes: Uint8Array): Promise<string> {
  const hasher = createBlockSha256();
  await hasher.update(bytes);
  return hasher.digestHex();
}

export interface ReportContent {
  readonly bodyId: string;
  readonly answers: Readonly<Record<string, string>>;
  readonly attachments?: ReportDocumentV2['attachments'];
  readonly directorySerial?: number;
}

/** A version 2 report document of the case `keys` derive from, naming its public keys. */
export function reportDocumentV2(keys: CaseKeys, content: ReportContent): ReportDocumentV2 {
  return {
    format: 'candor-report',
    version: 2,
    bodyId: content.bodyId,
    directorySerial: content.directorySerial ?? 1,
    caseKeys: { auth: toBase64Url(keys.authPublicKey), reply: toBase64Url(keys.replyPublicKey) },
    answers: { ...content.answers },
    attachments: [...(content.attachments ?? [])],
  };
}

/** The bytes to encrypt for the report: its version 2 document, signed with the case key. */
export function signedReport(keys: CaseKeys, content: ReportContent): Promise<Uint8Array> {
  return writeReportMessage(keys, reportDocumentV2(keys, content));
}

/** The bytes to encrypt for a follow-up: its version 3 document, signed with the case key. */
export function signedFollowup(keys: CaseKeys, text: string, files: FollowupDocumentV3['files'] = []): Promise<Uint8Array> {
  return writeFollowupMessage(keys, text, files);
}
