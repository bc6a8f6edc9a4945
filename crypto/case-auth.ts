/**
 * Reporter authentication by challenge–response: the reporter's browser signs a server challenge
 * together with the request it authorises, so a signature cannot be replayed on another request.
 */
import { encodeFields, fromBase64Url, toBase64Url, utf8Encode } from './bytes';
import type { CaseKeys } from './case-keys';
import { CryptoError } from './errors';
import { signEd25519, verifyEd25519 } from './ed25519';
import { ED25519_PUBLIC_KEY_BYTES } from './nacl';
import type { Base64Url, CaseId } from './types';

export const CASE_AUTH_CONTEXT = 'candor/v1/case-auth';

export interface CaseRequest {
  readonly caseId: CaseId;
  /** The single-use challenge the server issued, as it sent it. */
  readonly challenge: string;
  /** HTTP method, upper case. */
  readonly method: string;
  /** Request path with its query string, exactly as sent (no scheme or host). */
  readonly path: string;
  /** The exact request body bytes (empty for none). */
  readonly body: Uint8Array;
}

/**
 * The same request with its body's SHA-256 in place of the body: what the server checks before it
 * reads a body (the digest comes in a header), and what a client signs when it has hashed already.
 */
export type CaseRequestDigest = Omit<CaseRequest, 'body'> & { readonly bodySha256: Uint8Array };

/** SHA-256 with WebCrypto: native in browsers and Node, and fast even at Tor Browser's "Safer" level. */
export async function sha256Digest(bytes: Uint8Array): Promise<Uint8Array> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle === undefined) throw new CryptoError('unsupported-platform', 'WebCrypto is unavailable.');
  // A view, not a copy: an upload piece is megabytes. Byte arrays here never wrap shared memory.
  return new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

/** The exact bytes that are signed; exported for the specification's test vectors. */
export async function caseAuthMessage(request: CaseRequest | CaseRequestDigest): Promise<Uint8Array> {
  return encodeFields([
    utf8Encode(CASE_AUTH_CONTEXT),
    utf8Encode(request.caseId),
    utf8Encode(request.challenge),
    utf8Encode(request.method.toUpperCase()),
    utf8Encode(request.path),
    'bodySha256' in request ? request.bodySha256 : await sha256Digest(request.body),
  ]);
}

export async function signCaseRequest(keys: CaseKeys, request: Omit<CaseRequest, 'caseId'> | Omit<CaseRequestDigest, 'caseId'>): Promise<Base64Url> {
  const message = await caseAuthMessage({ ...request, caseId: keys.caseId });
  return toBase64Url(await signEd25519(message, keys.authSecretKey));
}

/** Throws `signature-invalid` unless `signature` was made by the case key over this very request. */
export async function verifyCaseRequest(
  authPublicKey: Uint8Array,
  request: CaseRequest | CaseRequestDigest,
  signature: string,
): Promise<void> {
  if (authPublicKey.length !== ED25519_PUBLIC_KEY_BYTES) {
    throw new CryptoError('key-invalid', 'A case authentication key has 32 bytes.');
  }
  let signatureBytes: Uint8Array;
  try {
    signatureBytes = fromBase64Url(signature);
  } catch (cause) {
    throw new CryptoError('signature-invalid', 'The signature is not base64url.', { cause });
  }
  if (!(await verifyEd25519(await caseAuthMessage(request), signatureBytes, authPublicKey))) {
    throw new CryptoError('signature-invalid', 'The signature does not match this case and request.');
  }
}
