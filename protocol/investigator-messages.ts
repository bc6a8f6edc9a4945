/**
 * Replies and notes as protocol version 2 writes and reads them (docs/protocol.md §10.1): the text in
 * a small JSON document with the investigator's OpenPGP signature, checked against the body's signed
 * directory. The reply sealed to the reporter and its copy for colleagues carry the same document.
 * A reply may carry its purpose, signed with its text: the acknowledgment of receipt or the feedback
 * the reporter is owed (EU Directive 2019/1937 art. 9(1)(b), (f)). Version 1 messages are the plain
 * text, unsigned: readers say so rather than vouch for them.
 */
import { z } from 'zod';
import {
  isCryptoError,
  signInvestigatorText,
  utf8Decode,
  verifyInvestigatorText,
  type DecryptionKey,
  type InvestigatorBinding,
  type InvestigatorMessageKind,
  type RecipientKey,
} from '../crypto/index';

const FORMATS: Readonly<Record<InvestigatorMessageKind, string>> = { reply: 'candor-reply', note: 'candor-note' };

/** What a reply may be besides a plain message; the console declares it to the server too (docs/console-api.md). */
export const REPLY_PURPOSES = ['acknowledgment', 'feedback'] as const satisfies readonly NonNullable<InvestigatorBinding['purpose']>[];
export type ReplyPurpose = (typeof REPLY_PURPOSES)[number];

const signedTextSchema = z
  .object({
    format: z.enum(['candor-reply', 'candor-note']),
    version: z.literal(2),
    text: z.string(),
    /** A reply's purpose; absent for a plain message and for every note. */
    purpose: z.enum(REPLY_PURPOSES).optional(),
    /** The signing investigator's key fingerprint, as the directory lists it. */
    signer: z.string().regex(/^[0-9a-f]{40}$/),
    /** A detached OpenPGP signature, binary, base64url. */
    signature: z.string().regex(/^[A-Za-z0-9_-]+$/),
  })
  .strict();

/**
 * The document to encrypt (and to seal, for a reply): the text, a reply's purpose if it has one, and
 * the writer's signature over both. Without a purpose the document is exactly as before purposes.
 */
export async function writeInvestigatorMessage(key: DecryptionKey, binding: InvestigatorBinding, text: string): Promise<string> {
  const signature = await signInvestigatorText(key, binding, text);
  const purpose = binding.purpose === undefined ? {} : { purpose: binding.purpose };
  return JSON.stringify({ format: FORMATS[binding.kind], version: 2, text, ...purpose, signer: key.fingerprint, signature });
}

/**
 * How far a message is vouched for: `signed` by an investigator the directory lists; `unsigned`, a
 * version 1 message that anyone holding the public keys could have written; `forged`, a document
 * whose signature does not verify against the directory (altered, or signed by a key it does not list).
 */
export type InvestigatorAuthenticity =
  | { readonly kind: 'signed'; readonly signer: RecipientKey }
  | { readonly kind: 'unsigned' }
  | { readonly kind: 'forged' };

export interface ReadInvestigatorMessage {
  readonly text: string;
  readonly authenticity: InvestigatorAuthenticity;
  /** A signed reply's purpose, present only when its signature verified over it. */
  readonly purpose?: ReplyPurpose;
}

/**
 * Reads a decrypted reply or note. Bytes that are not a JSON object of this kind's format are a
 * version 1 message, their text as it is. `recipients` are those of the body's verified directory.
 */
export async function readInvestigatorMessage(plaintext: Uint8Array, binding: Pick<InvestigatorBinding, 'caseId' | 'kind'>, recipients: readonly RecipientKey[]): Promise<ReadInvestigatorMessage> {
  let text: string;
  try {
    text = utf8Decode(plaintext);
  } catch (error) {
    // Not text at all: nothing an investigator's browser writes, so nobody's message to show.
    if (!isCryptoError(error, 'encoding-invalid')) throw error;
    return { text: '', authenticity: { kind: 'forged' } };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { text, authenticity: { kind: 'unsigned' } };
  }
  if (typeof json !== 'object' || json === null || (json as { format?: unknown }).format !== FORMATS[binding.kind]) return { text, authenticity: { kind: 'unsigned' } };
  const parsed = signedTextSchema.safeParse(json);
  // A note has no purpose: one that names a purpose is not what any console writes.
  if (!parsed.success || (binding.kind === 'note' && parsed.data.purpose !== undefined)) return { text, authenticity: { kind: 'forged' } };
  const { purpose } = parsed.data;
  try {
    const signer = await verifyInvestigatorText(parsed.data.signature, { caseId: binding.caseId, kind: binding.kind, ...(purpose === undefined ? {} : { purpose }) }, parsed.data.text, recipients);
    if (signer.fingerprint !== parsed.data.signer) return { text: parsed.data.text, authenticity: { kind: 'forged' } };
    return { text: parsed.data.text, authenticity: { kind: 'signed', signer }, ...(purpose === undefined ? {} : { purpose }) };
  } catch (error) {
    if (!isCryptoError(error, 'signature-invalid')) throw error;
    return { text: parsed.data.text, authenticity: { kind: 'forged' } };
  }
}
