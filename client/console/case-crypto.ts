/**
 * Everything the console decrypts or encrypts for a case, in the browser: the case's objects (read
 * and authenticated by case-reading.ts), attachments checked against the digest the reporter signed,
 * and new replies and notes, signed with the investigator's key. Plaintext goes back to the page and
 * nowhere else.
 */
import {
  createBlockSha256,
  decryptAttachment,
  decryptReport,
  encryptReport,
  fromBase64Url,
  isCryptoError,
  sealReply,
  toBase64Url,
  utf8Encode,
  type AttachmentId,
  type Base64Url,
  type CaseId,
  type DecryptionKey,
  type RecipientKey,
} from '../../crypto/index';
import type { CaseObjectInfo, IndexedObjectKind } from '../../protocol/console-api/index';
import { writeInvestigatorMessage, type ReplyPurpose } from '../../protocol/investigator-messages';
import { mapBounded } from './bounded-map';

interface ObjectBase {
  readonly seq: number;
  readonly kind: IndexedObjectKind;
  readonly createdOn: string;
}

/** One object of a case as decrypted here: its plaintext, or the CryptoError code that kept it unread. */
export type DecryptedObject = (ObjectBase & { readonly plaintext: Uint8Array }) | (ObjectBase & { readonly failure: string });

/** The stored envelope of one object of the case, by its number: one request each (`fetchCaseObject`). */
export type FetchCaseObject = (seq: number) => Promise<Uint8Array>;

/**
 * Objects downloaded at once: enough to overlap round trips over Tor with decryption, few enough
 * that a tab holds only a handful of ciphertexts whatever the case's size.
 */
export const OBJECTS_IN_FLIGHT = 4;

async function decryptCaseObject(caseId: CaseId, object: CaseObjectInfo, ciphertext: Uint8Array, keys: readonly DecryptionKey[]): Promise<DecryptedObject> {
  const base = { seq: object.seq, kind: object.kind, createdOn: object.createdOn };
  try {
    return { ...base, plaintext: await decryptReport(ciphertext, keys, { caseId, kind: object.kind }) };
  } catch (error) {
    if (!isCryptoError(error)) throw error;
    return { ...base, failure: error.code };
  }
}

/**
 * Downloads the objects a few at a time and decrypts each on its own as it arrives, so its
 * ciphertext can go at once; they come back in the order the server numbered them. An object that
 * does not decrypt says why and hides no other; a failed download fails the whole.
 */
export async function decryptCaseObjects(detail: { readonly id: string; readonly objects: readonly CaseObjectInfo[] }, keys: readonly DecryptionKey[], fetchObject: FetchCaseObject): Promise<DecryptedObject[]> {
  const caseId = detail.id as CaseId;
  const ordered = [...detail.objects].sort((a, b) => a.seq - b.seq);
  return mapBounded(ordered, OBJECTS_IN_FLIGHT, async (object) => decryptCaseObject(caseId, object, await fetchObject(object.seq), keys));
}

/**
 * The unlocked key to sign with: one the body's verified directory lists, so that the reporter and
 * colleagues can verify what it signs. Null if none is: a reply no one can verify is worse than none.
 */
export function signingKeyFor(keys: readonly DecryptionKey[], recipients: readonly RecipientKey[]): DecryptionKey | null {
  const listed = new Set<string>(recipients.map((recipient) => recipient.fingerprint));
  return keys.find((key) => listed.has(key.fingerprint)) ?? null;
}

export interface WriteContext {
  readonly caseId: string;
  /** The recipients of the body's verified directory: the copy is encrypted to them. */
  readonly recipients: readonly RecipientKey[];
  /** The investigator's unlocked key, one the directory lists (`signingKeyFor`). */
  readonly signingKey: DecryptionKey;
}

/**
 * A reply, signed: the same document sealed for the reporter, who opens it with the token, and
 * encrypted as the copy for the body's investigators. `replyPublicKey` is the key the case's signed
 * report names (or, for a version 1 case, the server's), base64url; `purpose`, the acknowledgment or
 * the feedback, is signed with the text (absent: a plain message).
 */
export async function encryptReply(
  text: string,
  context: WriteContext & { readonly replyPublicKey: string; readonly purpose?: ReplyPurpose | undefined },
): Promise<{ sealed: Base64Url; copy: Base64Url }> {
  const caseId = context.caseId as CaseId;
  const document = await writeInvestigatorMessage(context.signingKey, { caseId, kind: 'reply', ...(context.purpose === undefined ? {} : { purpose: context.purpose }) }, text);
  const sealed = sealReply(fromBase64Url(context.replyPublicKey), utf8Encode(document), 'reply');
  const copy = await encryptReport(document, context.recipients, { caseId, kind: 'reply-copy' });
  return { sealed: toBase64Url(sealed), copy: toBase64Url(copy) };
}

/** A private note, signed, for the body's investigators only. */
export async function encryptNote(text: string, context: WriteContext): Promise<{ message: Base64Url }> {
  const caseId = context.caseId as CaseId;
  const document = await writeInvestigatorMessage(context.signingKey, { caseId, kind: 'note' }, text);
  const message = await encryptReport(document, context.recipients, { caseId, kind: 'note' });
  return { message: toBase64Url(message) };
}

/** A decrypted file whose block SHA-256 is not the one the reporter signed for it: the server swapped or altered it. */
export class FileDigestMismatchError extends Error {
  override readonly name = 'FileDigestMismatchError';
}

/**
 * Decrypts a downloaded attachment into a Blob. The stream errors if the file was truncated or
 * altered, and then no Blob is made: a partial file is never offered. With `expectedBlockSha256`
 * (from the signed message that names the file), a file whose plaintext has another digest is
 * refused with FileDigestMismatchError, also before anything is offered.
 */
export async function decryptAttachmentToBlob(
  source: ReadableStream<Uint8Array>,
  keys: readonly DecryptionKey[],
  caseId: string,
  attachmentId: string,
  expectedBlockSha256: string | null,
): Promise<Blob> {
  const plaintext = decryptAttachment(source, keys, { caseId: caseId as CaseId, attachmentId: attachmentId as AttachmentId });
  const hasher = createBlockSha256();
  const hashed = plaintext.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      async transform(chunk, controller) {
        await hasher.update(chunk);
        controller.enqueue(chunk);
      },
    }),
  );
  // The reporter's claimed type is not used: a saved file must never be something the browser renders.
  // A Blob rather than one ArrayBuffer, so that the browser may keep a large file on disk.
  const blob = await new Response(hashed, { headers: { 'Content-Type': 'application/octet-stream' } }).blob();
  const digest = await hasher.digestHex();
  if (expectedBlockSha256 !== null && digest !== expectedBlockSha256) {
    throw new FileDigestMismatchError(`The file ${attachmentId} decrypts to block SHA-256 ${digest}, not the ${expectedBlockSha256} its reporter signed.`);
  }
  return blob;
}
