/**
 * A case's decrypted objects read and authenticated (docs/protocol.md §7.2, §10.1): the report
 * certifies the case's keys, each follow-up is checked against the case key the report names, each
 * reply copy and note against the body's verified directory. What cannot be vouched for says so, and
 * the case says which key a reply may be sealed to, or why none.
 */
import { isCryptoError, isSignedReporterMessage, openReporterMessage, type CaseId, type RecipientKey } from '../../crypto/index';
import type { IndexedObjectKind } from '../../protocol/console-api/index';
import { FollowupFormatError, type FollowupFile } from '../../protocol/followup-document';
import { readInvestigatorMessage, type InvestigatorAuthenticity, type ReplyPurpose } from '../../protocol/investigator-messages';
import { ReportFormatError, type ReportDocument } from '../../protocol/report-document';
import { readFollowupMessage, readReportMessage } from '../../protocol/reporter-messages';
import type { DecryptedObject } from './case-crypto';

interface EntryBase {
  readonly seq: number;
  readonly createdOn: string;
}

/**
 * How far a reply copy or note is vouched for; `unchecked` while the body's directory could not be
 * verified, so that no signature could be checked.
 */
export type MessageAuthenticity = InvestigatorAuthenticity | { readonly kind: 'unchecked' };

/**
 * Who vouches for a follow-up: `signed` by the case key the signed report names; `unsigned`, a
 * version 1 or 2 follow-up (in a case with a signed report, not the reporter's); `unchecked`, signed,
 * but in a case whose report names no key (version 1, or unreadable) to check the signer against.
 * One that does not verify is an entry that failed with `signature-invalid`.
 */
export type FollowupAuthenticity = 'signed' | 'unsigned' | 'unchecked';

export type CaseEntry =
  /** A version 2 report is signed by the case key it names (readReportMessage checks it); a version 1 report is unsigned. */
  | (EntryBase & { readonly kind: 'report'; readonly document: ReportDocument })
  /** A follow-up's text and the files it names. */
  | (EntryBase & { readonly kind: 'followup'; readonly text: string; readonly files: readonly FollowupFile[]; readonly authenticity: FollowupAuthenticity })
  | (EntryBase & {
      readonly kind: 'reply-copy' | 'note';
      readonly text: string;
      readonly authenticity: MessageAuthenticity;
      /** A reply's declared purpose, only as its verified signature says. */
      readonly purpose?: ReplyPurpose;
    })
  /**
   * What could not be read, and why: a CryptoError code (`signature-invalid`: it does not verify),
   * `report-format` or `followup-format`.
   */
  | (EntryBase & { readonly kind: IndexedObjectKind; readonly failure: string });

/**
 * What the report says about the whole case: the body it was written for, and, when `signed`, the
 * case's keys as the reporter's signed report names them. `unsigned`: a version 1 report, written
 * before messages were signed. `unreadable`: no report could be read, so nothing can be checked.
 */
export type CaseSignature =
  | { readonly kind: 'signed'; readonly bodyId: string; readonly directorySerial: number; readonly caseKeys: { readonly auth: string; readonly reply: string } }
  | { readonly kind: 'unsigned'; readonly bodyId: string }
  | { readonly kind: 'unreadable' };

export interface CaseReading {
  readonly entries: readonly CaseEntry[];
  readonly signature: CaseSignature;
}

function failureOf(error: unknown): string {
  if (isCryptoError(error)) return error.code;
  if (error instanceof ReportFormatError) return 'report-format';
  if (error instanceof FollowupFormatError) return 'followup-format';
  throw error;
}

async function readReport(caseId: CaseId, object: DecryptedObject & { plaintext: Uint8Array }): Promise<CaseEntry> {
  const base = { seq: object.seq, createdOn: object.createdOn };
  try {
    return { ...base, kind: 'report', document: (await readReportMessage(object.plaintext, caseId)).document };
  } catch (error) {
    return { ...base, kind: 'report', failure: failureOf(error) };
  }
}

async function readFollowup(caseId: CaseId, object: DecryptedObject & { plaintext: Uint8Array }, report: CaseEntry | undefined): Promise<CaseEntry> {
  const base = { seq: object.seq, createdOn: object.createdOn };
  const caseAuthKey = report !== undefined && 'document' in report && report.document.version === 2 ? report.document.caseKeys.auth : null;
  try {
    if (caseAuthKey === null && isSignedReporterMessage(object.plaintext)) {
      // Signed, in a case whose report names no key (version 1, or unreadable): read under the key
      // the message names, which proves only that it is intact, and say that nothing ties it to the case.
      const { signer } = await openReporterMessage(object.plaintext, { caseId, kind: 'followup' });
      const { document } = await readFollowupMessage(object.plaintext, caseId, signer);
      return { ...base, kind: 'followup', text: document.text, files: document.files, authenticity: 'unchecked' };
    }
    const { document, signed } = await readFollowupMessage(object.plaintext, caseId, caseAuthKey);
    return { ...base, kind: 'followup', text: document.text, files: document.files, authenticity: signed ? 'signed' : 'unsigned' };
  } catch (error) {
    return { ...base, kind: 'followup', failure: failureOf(error) };
  }
}

async function readInvestigatorEntry(caseId: CaseId, object: DecryptedObject & { plaintext: Uint8Array; kind: 'reply-copy' | 'note' }, recipients: readonly RecipientKey[] | null): Promise<CaseEntry> {
  const base = { seq: object.seq, createdOn: object.createdOn, kind: object.kind };
  const binding = { caseId, kind: object.kind === 'note' ? ('note' as const) : ('reply' as const) };
  const { text, authenticity, purpose } = await readInvestigatorMessage(object.plaintext, binding, recipients ?? []);
  // With no verified directory, a signed message could only ever read as forged: it is unchecked instead.
  return { ...base, text, authenticity: recipients === null && authenticity.kind === 'forged' ? { kind: 'unchecked' } : authenticity, ...(purpose === undefined ? {} : { purpose }) };
}

function signatureOf(entries: readonly CaseEntry[]): CaseSignature {
  const report = entries.find((entry) => entry.kind === 'report');
  if (report === undefined || !('document' in report)) return { kind: 'unreadable' };
  const { document } = report;
  return document.version === 2
    ? { kind: 'signed', bodyId: document.bodyId, directorySerial: document.directorySerial, caseKeys: document.caseKeys }
    : { kind: 'unsigned', bodyId: document.bodyId };
}

/**
 * Reads `objects` (decrypted, in order) as the case `caseId`'s entries. `recipients` are those of the
 * body's verified directory, or null if it could not be verified; reply copies and notes are then
 * `unchecked`. The report is read first: it names the key every follow-up is checked against.
 */
export async function readCaseEntries(caseId: string, objects: readonly DecryptedObject[], recipients: readonly RecipientKey[] | null): Promise<CaseReading> {
  const id = caseId as CaseId;
  const reportObject = objects.find((object) => object.kind === 'report');
  const report = reportObject === undefined ? undefined : 'plaintext' in reportObject ? await readReport(id, reportObject) : reportObject;
  const entries = await Promise.all(
    objects.map(async (object): Promise<CaseEntry> => {
      if (object === reportObject && report !== undefined) return report;
      if ('failure' in object) return object;
      if (object.kind === 'report') return readReport(id, object);
      if (object.kind === 'followup') return readFollowup(id, object, report);
      return readInvestigatorEntry(id, { ...object, kind: object.kind }, recipients);
    }),
  );
  return { entries, signature: signatureOf(entries) };
}

/** The report of a case, the first report object, or null if it cannot be read. */
export function reportOf(entries: readonly CaseEntry[]): ReportDocument | null {
  const report = entries.find((entry) => entry.kind === 'report');
  return report !== undefined && 'document' in report ? report.document : null;
}

/** Why nothing may be written in this case, or why no reply may: what `writeRefusal` and `replyTarget` answer when they refuse. */
export type ReplyRefusal = 'body-mismatch' | 'reply-key-mismatch' | 'report-unreadable' | 'unsigned-refused';

/** The case as the server describes it: its body (whose directory the console encrypts to) and reply key. */
export interface ServedCase {
  readonly bodyId: string;
  readonly replyPublicKey: string;
}

/** Why nothing may be written in a case: what `writeRefusal` answers when it refuses. */
export type WriteRefusal = 'body-mismatch' | 'report-unreadable' | 'directory-older-than-report';

/**
 * Why nothing (reply or note) may be encrypted for this case: the report was written for another body
 * than the one the server files it under, whose investigators would then read what is written here;
 * no report could be read, so the case's body cannot be checked; or the body's directory verified
 * now (`directorySerial`) is older than the one the reporter's signed report was encrypted under — a
 * replay that could still list a departed investigator's key. (The console's own memory of serials
 * lasts one session in Tor Browser; the report's serial does not.)
 */
export function writeRefusal(signature: CaseSignature, served: ServedCase, directorySerial: number): WriteRefusal | null {
  if (signature.kind === 'unreadable') return 'report-unreadable';
  if (signature.bodyId !== served.bodyId) return 'body-mismatch';
  if (signature.kind === 'signed' && directorySerial < signature.directorySerial) return 'directory-older-than-report';
  return null;
}

/**
 * The reply key to seal to: the one the signed report names, and only if the server lists the same
 * (a different one means the server would have the reply opened elsewhere); for a version 1 case,
 * the server's, which nothing can check, and only for a body whose pin says it has such cases
 * (`unsignedCases`): elsewhere an unsigned report is a server's own, put in place of a signed one to
 * have replies sealed to its key (docs/protocol.md §7.2).
 */
export function replyTarget(signature: CaseSignature, served: ServedCase, unsignedCases: boolean): { readonly replyPublicKey: string } | { readonly refused: ReplyRefusal } {
  if (signature.kind !== 'unreadable' && signature.bodyId !== served.bodyId) return { refused: 'body-mismatch' };
  switch (signature.kind) {
    case 'signed':
      return signature.caseKeys.reply === served.replyPublicKey ? { replyPublicKey: signature.caseKeys.reply } : { refused: 'reply-key-mismatch' };
    case 'unsigned':
      return unsignedCases ? { replyPublicKey: served.replyPublicKey } : { refused: 'unsigned-refused' };
    case 'unreadable':
      return { refused: 'report-unreadable' };
  }
}

/**
 * How a file can be checked once decrypted: against the block SHA-256 the signed report or a signed
 * follow-up names for it; or not at all, in a case from before messages were signed (`older-case`)
 * or when no message the reporter signed names it (`not-signed`).
 */
export type FileCheck = { readonly kind: 'digest'; readonly blockSha256: string } | { readonly kind: 'unverifiable'; readonly reason: 'older-case' | 'not-signed' };

export function fileCheckOf(reading: CaseReading, attachmentId: string): FileCheck {
  for (const entry of reading.entries) {
    if (entry.kind === 'report' && 'document' in entry && entry.document.version === 2) {
      const named = entry.document.attachments.find((file) => file.id === attachmentId);
      if (named !== undefined) return { kind: 'digest', blockSha256: named.blockSha256 };
    }
    if (entry.kind === 'followup' && 'files' in entry && entry.authenticity === 'signed') {
      const named = entry.files.find((file) => file.attachmentId === attachmentId);
      if (named !== undefined && 'blockSha256' in named) return { kind: 'digest', blockSha256: named.blockSha256 };
    }
  }
  return { kind: 'unverifiable', reason: reading.signature.kind === 'unsigned' ? 'older-case' : 'not-signed' };
}

/** The texts a search looks through: answers, file names, follow-ups, notes and replies. */
export function searchableTexts(entries: readonly CaseEntry[]): string[] {
  return entries.flatMap((entry) => {
    if ('document' in entry) return [...Object.values(entry.document.answers), ...entry.document.attachments.map((file) => file.name)];
    if ('files' in entry) return [entry.text, ...entry.files.map((file) => file.name)];
    if ('text' in entry) return [entry.text];
    return [];
  });
}
