/**
 * Messages signed by the reporter with the case's Ed25519 key, inside the encryption (protocol
 * version 2, docs/protocol.md §7.2): the report, which names the case's public keys and so makes the
 * case self-certifying, and every follow-up. The server holds the public key only, so it can neither
 * write a message that verifies nor move one to another case or kind.
 */
import { z } from 'zod';
import { encodeFields, fromBase64Url, toBase64Url, utf8Decode, utf8Encode } from './bytes';
import type { CaseKeys } from './case-keys';
import { signEd25519, verifyEd25519 } from './ed25519';
import { CryptoError } from './errors';
import { ED25519_PUBLIC_KEY_BYTES } from './nacl';
import type { Base64Url, CaseId } from './types';

export const REPORTER_MESSAGE_CONTEXT = 'candor/v2/reporter-message';

/** What a reporter signs: the kinds of the OpenPGP messages (§7) and of their sealed copies (§10). */
export type ReporterMessageKind = 'report' | 'followup';

const base64url = z.string().regex(/^[A-Za-z0-9_-]*$/);

/** The signed message as it is encrypted: JSON, with the document as text so that GnuPG users can read it. */
const signedMessageSchema = z
  .object({
    format: z.literal('candor-signed-message'),
    version: z.literal(1),
    signer: base64url,
    document: z.string(),
    signature: base64url,
  })
  .strict();

export interface OpenedReporterMessage {
  /** The document's bytes (UTF-8 JSON), as signed. */
  readonly document: Uint8Array;
  /** The Ed25519 key that signed it; the caller checks that it is the case's. */
  readonly signer: Base64Url;
}

function signedBytes(caseId: CaseId, kind: ReporterMessageKind, signer: Uint8Array, document: Uint8Array): Uint8Array {
  return encodeFields([utf8Encode(REPORTER_MESSAGE_CONTEXT), utf8Encode(caseId), utf8Encode(kind), signer, document]);
}

/** Signs `document` (UTF-8 JSON text) as a message of `kind` in the case; returns the bytes to encrypt. */
export async function signReporterMessage(keys: CaseKeys, kind: ReporterMessageKind, document: string): Promise<Uint8Array> {
  const signature = await signEd25519(signedBytes(keys.caseId, kind, keys.authPublicKey, utf8Encode(document)), keys.authSecretKey);
  return utf8Encode(
    JSON.stringify({ format: 'candor-signed-message', version: 1, signer: toBase64Url(keys.authPublicKey), document, signature: toBase64Url(signature) }),
  );
}

/** True if decrypted bytes claim to be a signed message: then they must verify, or be refused. */
export function isSignedReporterMessage(plaintext: Uint8Array): boolean {
  try {
    const json = JSON.parse(utf8Decode(plaintext)) as unknown;
    return typeof json === 'object' && json !== null && (json as { format?: unknown }).format === 'candor-signed-message';
  } catch {
    return false;
  }
}

/**
 * Verifies a signed message of `kind` in `caseId` and returns its document and signer. Throws
 * `signed-message-invalid` for a malformed one and `signature-invalid` for one whose signature does
 * not verify (altered, or moved from another case or kind).
 */
export async function openReporterMessage(plaintext: Uint8Array, binding: { readonly caseId: CaseId; readonly kind: ReporterMessageKind }): Promise<OpenedReporterMessage> {
  let json: unknown;
  try {
    json = JSON.parse(utf8Decode(plaintext));
  } catch (cause) {
    throw new CryptoError('signed-message-invalid', 'The signed message is not JSON.', { cause });
  }
  const parsed = signedMessageSchema.safeParse(json);
  if (!parsed.success) throw new CryptoError('signed-message-invalid', 'The signed message is malformed.');
  let signer: Uint8Array;
  let signature: Uint8Array;
  try {
    signer = fromBase64Url(parsed.data.signer);
    signature = fromBase64Url(parsed.data.signature);
  } catch (cause) {
    throw new CryptoError('signed-message-invalid', 'The signed message is not base64url.', { cause });
  }
  if (signer.length !== ED25519_PUBLIC_KEY_BYTES) throw new CryptoError('signed-message-invalid', 'A signer key has 32 bytes.');
  const document = utf8Encode(parsed.data.document);
  if (!(await verifyEd25519(signedBytes(binding.caseId, binding.kind, signer, document), signature, signer))) {
    throw new CryptoError('signature-invalid', 'The message is not signed by its signer for this case.');
  }
  return { document, signer: parsed.data.signer as Base64Url };
}
