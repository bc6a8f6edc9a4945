/** The only file that imports tweetnacl: Ed25519 signatures and X25519 boxes for case keys. */
import nacl from 'tweetnacl';
import { randomBytes } from './random';

export const ED25519_PUBLIC_KEY_BYTES = nacl.sign.publicKeyLength;
export const ED25519_SIGNATURE_BYTES = nacl.sign.signatureLength;
export const ED25519_SEED_BYTES = nacl.sign.seedLength;
export const X25519_KEY_BYTES = nacl.box.publicKeyLength;
export const BOX_NONCE_BYTES = nacl.box.nonceLength;
export const BOX_OVERHEAD_BYTES = nacl.box.overheadLength;

export interface KeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

export function ed25519KeyPairFromSeed(seed: Uint8Array): KeyPair {
  return nacl.sign.keyPair.fromSeed(seed);
}

export function x25519KeyPairFromSecret(secret: Uint8Array): KeyPair {
  return nacl.box.keyPair.fromSecretKey(secret);
}

export function ed25519Sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  return nacl.sign.detached(message, secretKey);
}

export function ed25519Verify(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== ED25519_SIGNATURE_BYTES || publicKey.length !== ED25519_PUBLIC_KEY_BYTES) return false;
  return nacl.sign.detached.verify(message, signature, publicKey);
}

/** X25519 + XSalsa20-Poly1305 from a fresh ephemeral key, so the sender needs no key of its own. */
export function boxToPublicKey(
  plaintext: Uint8Array,
  recipientPublicKey: Uint8Array,
): { ephemeralPublicKey: Uint8Array; nonce: Uint8Array; ciphertext: Uint8Array } {
  const ephemeral = x25519KeyPairFromSecret(randomBytes(X25519_KEY_BYTES));
  const nonce = randomBytes(BOX_NONCE_BYTES);
  const ciphertext = nacl.box(plaintext, nonce, recipientPublicKey, ephemeral.secretKey);
  ephemeral.secretKey.fill(0);
  return { ephemeralPublicKey: ephemeral.publicKey, nonce, ciphertext };
}

/** Returns the plaintext, or null when the box does not authenticate; callers turn that into a CryptoError. */
export function openBox(
  ciphertext: Uint8Array,
  nonce: Uint8Array,
  senderPublicKey: Uint8Array,
  recipientSecretKey: Uint8Array,
): Uint8Array | null {
  return nacl.box.open(ciphertext, nonce, senderPublicKey, recipientSecretKey);
}
