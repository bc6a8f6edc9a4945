/**
 * Documents signed with an Ed25519 key the client pins: a body's recipient directory, the manifest
 * of the files a deployment serves. The signed bytes bind a context label, the signer's key and the
 * payload, so a signature for one kind of document never verifies as another.
 */
import { constantTimeEqual, encodeFields, fromBase64Url, toBase64Url, utf8Encode } from './bytes';
import { CryptoError, type CryptoErrorCode } from './errors';
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SEED_BYTES, ed25519KeyPairFromSeed, ed25519Sign, ed25519Verify } from './nacl';
import type { Base64Url } from './types';

export interface SignatureFields {
  readonly signerKey: Base64Url;
  readonly payload: Base64Url;
  readonly signature: Base64Url;
}

function signedBytes(context: string, signerKey: Uint8Array, payload: Uint8Array): Uint8Array {
  return encodeFields([utf8Encode(context), signerKey, payload]);
}

export function signPayload(context: string, payload: Uint8Array, secretKey: Base64Url): SignatureFields {
  const seed = fromBase64Url(secretKey);
  if (seed.length !== ED25519_SEED_BYTES) throw new CryptoError('key-invalid', 'A signing key seed has 32 bytes.');
  const keyPair = ed25519KeyPairFromSeed(seed);
  const signature = ed25519Sign(signedBytes(context, keyPair.publicKey, payload), keyPair.secretKey);
  keyPair.secretKey.fill(0);
  return { signerKey: toBase64Url(keyPair.publicKey), payload: toBase64Url(payload), signature: toBase64Url(signature) };
}

export interface VerifyCodes {
  /** A field is not canonical base64url. */
  readonly invalid: CryptoErrorCode;
  /** The signer is none of the pinned keys. */
  readonly notPinned: CryptoErrorCode;
}

/** Checks the signer against the pinned keys and the signature; returns the payload bytes. */
export function verifyPayload(context: string, fields: { signerKey: string; payload: string; signature: string }, pinnedKeys: readonly string[], codes: VerifyCodes): Uint8Array {
  const decode = (value: string, what: string) => {
    try {
      return fromBase64Url(value);
    } catch (cause) {
      throw new CryptoError(codes.invalid, `The ${what} is not base64url.`, { cause });
    }
  };
  const signerKey = decode(fields.signerKey, 'signer key');
  const pinned = pinnedKeys.map((key) => {
    const bytes = fromBase64Url(key);
    if (bytes.length !== ED25519_PUBLIC_KEY_BYTES) throw new CryptoError('key-invalid', 'A pinned key has 32 bytes.');
    return bytes;
  });
  if (signerKey.length !== ED25519_PUBLIC_KEY_BYTES || !pinned.some((key) => constantTimeEqual(key, signerKey))) {
    throw new CryptoError(codes.notPinned, 'The document is signed by a key this site does not trust.');
  }
  const payload = decode(fields.payload, 'payload');
  const signature = decode(fields.signature, 'signature');
  if (!ed25519Verify(signedBytes(context, signerKey, payload), signature, signerKey)) {
    throw new CryptoError('signature-invalid', 'The signature does not match the document.');
  }
  return payload;
}
