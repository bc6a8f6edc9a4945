/**
 * Reporter authentication by challenge–response: the reporter's browser signs a server challenge
 * together with the request it authorises, so a signature cannot be replayed on another request.
 */
import { encodeFields, fromBase64Url, toBase64Url, utf8Encode } from './bytes';
import type { CaseKeys } from './case-keys';
import { CryptoError } from './errors';
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SEED_BYTES, ed25519Sign, ed25519Verify } from './nacl';
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

/** Whether WebCrypto has Ed25519 here: Node 20, current browsers and Tor Browser 15 do, Tor Browser 14 does not. */
let webCryptoEd25519 = true;

/** PKCS #8 (RFC 8410) of an Ed25519 private key: this fixed prefix, then the 32-byte seed. */
const ED25519_PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);

function isNotSupported(error: unknown): boolean {
  return (error as { name?: unknown }).name === 'NotSupportedError';
}

/**
 * Signs with WebCrypto where it can, with tweetnacl where it cannot. Ed25519 signatures are
 * deterministic (RFC 8032), so both give the same bytes; WebCrypto's are native, which matters in
 * Tor Browser's "Safer" level: tweetnacl there takes some 30 ms a signature, and an upload signs
 * every piece (issue 16).
 */
async function signEd25519(message: Uint8Array, secretKey: Uint8Array): Promise<Uint8Array> {
  const subtle = globalThis.crypto?.subtle;
  if (webCryptoEd25519 && subtle !== undefined) {
    const pkcs8 = new Uint8Array(ED25519_PKCS8_PREFIX.length + ED25519_SEED_BYTES);
    pkcs8.set(ED25519_PKCS8_PREFIX);
    // tweetnacl's secret key is the seed followed by the public key.
    pkcs8.set(secretKey.subarray(0, ED25519_SEED_BYTES), ED25519_PKCS8_PREFIX.length);
    try {
      // Not extractable, and dropped after this signature: the seed stays where wipeCaseKeys reaches it.
      const key = await subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, ['sign']);
      return new Uint8Array(await subtle.sign({ name: 'Ed25519' }, key, Uint8Array.from(message)));
    } catch (error) {
      if (!isNotSupported(error)) throw new CryptoError('key-invalid', 'The case key cannot sign.', { cause: error });
      webCryptoEd25519 = false;
    } finally {
      pkcs8.fill(0);
    }
  }
  return ed25519Sign(message, secretKey);
}

/**
 * Verifies with WebCrypto where it can (over twenty times faster than pure JS on the server, which
 * checks every reporter request), and with tweetnacl where it cannot.
 */
async function verifyEd25519(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): Promise<boolean> {
  const subtle = globalThis.crypto?.subtle;
  if (webCryptoEd25519 && subtle !== undefined && signature.length === 64) {
    try {
      const key = await subtle.importKey('raw', Uint8Array.from(publicKey), { name: 'Ed25519' }, false, ['verify']);
      return await subtle.verify({ name: 'Ed25519' }, key, Uint8Array.from(signature), Uint8Array.from(message));
    } catch (error) {
      if (isNotSupported(error)) webCryptoEd25519 = false;
      else return false;
    }
  }
  return ed25519Verify(message, signature, publicKey);
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
