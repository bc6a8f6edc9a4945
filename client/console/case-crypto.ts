/**
 * Everything the console decrypts or encrypts for a case, in the browser: the report, follow-ups,
 * notes and copies of replies; new replies (sealed to the reporter, with a copy for colleagues) and
 * notes. Plaintext goes back to the page and nowhere else.
 */
import {
  decryptAttachment,
  decryptReport,
  encryptReport,
  fromBase64Url,
  isCryptoError,
  sealReply,
  toBase64Url,
  utf8Decode,
  utf8Encode,
  type AttachmentId,
  type Base64Url,
  type CaseId,
  type DecryptionKey,
  type RecipientKey,
} from '../../crypto/index';
import type { CaseObjectInfo, IndexedObjectKind } from '../../protocol/console-api/index';
import { mapBounded } from './bounded-map';
import { FollowupFormatError, parseFollowupDocument, type FollowupFile } from '../../protocol/followup-document';
import { parseReportDocument, ReportFormatError, type ReportDocument } from './report-document';

interface EntryBase {
  readonly seq: number;
  readonly createdOn: string;
}

export type CaseEntry =
  | (EntryBase & { readonly kind: 'report'; readonly document: ReportDocument })
  /** A follow-up's text and the files it names (none in a version 1 follow-up, docs/protocol.md §7.1). */
  | (EntryBase & { readonly kind: 'followup'; readonly text: string; readonly files: readonly FollowupFile[] })
  | (EntryBase & { readonly kind: Exclude<IndexedObjectKind, 'report' | 'followup'>; readonly text: string })
  /** What could not be read, and why: a CryptoError code, `report-format` or `followup-format`. */
  | (EntryBase & { readonly kind: IndexedObjectKind; readonly failure: string });

function failureOf(error: unknown): string {
  if (isCryptoError(error)) return error.code;
  if (error instanceof ReportFormatError) return 'report-format';
  if (error instanceof FollowupFormatError) return 'followup-format';
  throw error;
}

/** The stored envelope of one object of the case, by its number: one request each (`fetchCaseObject`). */
export type FetchCaseObject = (seq: number) => Promise<Uint8Array>;

/**
 * Objects downloaded at once: enough to overlap round trips over Tor with decryption, few enough
 * that a tab holds only a handful of ciphertexts whatever the case's size.
 */
export const OBJECTS_IN_FLIGHT = 4;

async function decryptCaseObject(caseId: CaseId, object: CaseObjectInfo, ciphertext: Uint8Array, keys: readonly DecryptionKey[]): Promise<CaseEntry> {
  const base = { seq: object.seq, createdOn: object.createdOn };
  try {
    const plaintext = await decryptReport(ciphertext, keys, { caseId, kind: object.kind });
    if (object.kind === 'report') return { ...base, kind: 'report', document: parseReportDocument(plaintext) };
    if (object.kind === 'followup') {
      const { text, files } = parseFollowupDocument(plaintext);
      return { ...base, kind: 'followup', text, files };
    }
    return { ...base, kind: object.kind, text: utf8Decode(plaintext) };
  } catch (error) {
    return { ...base, kind: object.kind, failure: failureOf(error) };
  }
}

/**
 * Downloads the objects a few at a time and decrypts each on its own as it arrives, so its
 * ciphertext can go at once; the entries come in the order the server numbered them. An object that
 * does not decrypt is an entry saying why and hides no other; a failed download fails the whole.
 */
export async function decryptCaseObjects(detail: { readonly id: string; readonly objects: readonly CaseObjectInfo[] }, keys: readonly DecryptionKey[], fetchObject: FetchCaseObject): Promise<CaseEntry[]> {
  const caseId = detail.id as CaseId;
  const ordered = [...detail.objects].sort((a, b) => a.seq - b.seq);
  return mapBounded(ordered, OBJECTS_IN_FLIGHT, async (object) => decryptCaseObject(caseId, object, await fetchObject(object.seq), keys));
}

/** The report of a case, the first object the server stored for it, or null if it cannot be read. */
export function reportOf(entries: readonly CaseEntry[]): ReportDocument | null {
  const report = entries.find((entry) => entry.kind === 'report' && 'document' in entry);
  return report !== undefined && 'document' in report ? report.document : null;
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

export interface ReplyContext {
  readonly caseId: string;
  /** The case's reply key from the server, base64url. */
  readonly replyPublicKey: string;
  readonly recipients: readonly RecipientKey[];
}

/** A reply: sealed for the reporter, who opens it with the token, and a copy for the body's investigators. */
export async function encryptReply(text: string, context: ReplyContext): Promise<{ sealed: Base64Url; copy: Base64Url }> {
  const sealed = sealReply(fromBase64Url(context.replyPublicKey), utf8Encode(text), 'reply');
  const copy = await encryptReport(text, context.recipients, { caseId: context.caseId as CaseId, kind: 'reply-copy' });
  return { sealed: toBase64Url(sealed), copy: toBase64Url(copy) };
}

/** A private note, for the body's investigators only. */
export async function encryptNote(text: string, context: Omit<ReplyContext, 'replyPublicKey'>): Promise<{ message: Base64Url }> {
  const message = await encryptReport(text, context.recipients, { caseId: context.caseId as CaseId, kind: 'note' });
  return { message: toBase64Url(message) };
}

/**
 * Decrypts a downloaded attachment into a Blob. The stream errors if the file was truncated or
 * altered, and then no Blob is made: a partial file is never offered.
 */
export async function decryptAttachmentToBlob(source: ReadableStream<Uint8Array>, keys: readonly DecryptionKey[], caseId: string, attachmentId: string): Promise<Blob> {
  const plaintext = decryptAttachment(source, keys, { caseId: caseId as CaseId, attachmentId: attachmentId as AttachmentId });
  // The reporter's claimed type is not used: a saved file must never be something the browser renders.
  // A Blob rather than one ArrayBuffer, so that the browser may keep a large file on disk.
  return new Response(plaintext, { headers: { 'Content-Type': 'application/octet-stream' } }).blob();
}
