/**
 * Everything a case needs, derived from its token with HKDF-SHA-256 (WebCrypto): an Ed25519 key pair
 * that proves possession of the token, an X25519 key pair for replies, and the server's lookup id.
 * From protocol version 2 the id is the digest of the two public keys, so that the keys a signed
 * report names certify the case it is filed under (docs/protocol.md §3); version 1's id, derived
 * from the token on its own, is still computed for cases created before.
 */
import { encodeFields, toHex, utf8Encode } from './bytes';
import { tokenSymbols } from './case-token';
import { CryptoError } from './errors';
import { ed25519KeyPairFromSeed, x25519KeyPairFromSecret } from './nacl';
import type { CaseId, CaseToken } from './types';

export const CASE_KEY_SALT = 'candor/v1/case-token';
export const CASE_KEY_LABELS = {
  caseId: 'candor/v1/case-id',
  caseIdFromKeys: 'candor/v2/case-id',
  authSeed: 'candor/v1/auth-ed25519-seed',
  replySecret: 'candor/v1/reply-x25519-secret',
} as const;
const DERIVED_BYTES = 32;

/** How a case id is made: version 1 from the token alone, version 2 from the case's public keys. */
export type CaseIdVersion = 1 | 2;

export interface CaseKeys {
  readonly caseId: CaseId;
  readonly authPublicKey: Uint8Array;
  /** tweetnacl's 64-byte form: seed followed by the public key. */
  readonly authSecretKey: Uint8Array;
  readonly replyPublicKey: Uint8Array;
  readonly replySecretKey: Uint8Array;
}

function subtleCrypto(): SubtleCrypto {
  const subtle = globalThis.crypto?.subtle;
  if (subtle === undefined) {
    throw new CryptoError('unsupported-platform', 'WebCrypto is unavailable (it needs a secure context).');
  }
  return subtle;
}

async function hkdf(inputKey: CryptoKey, label: string): Promise<Uint8Array> {
  const bits = await subtleCrypto().deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: utf8Encode(CASE_KEY_SALT), info: utf8Encode(label) },
    inputKey,
    DERIVED_BYTES * 8,
  );
  return new Uint8Array(bits);
}

/**
 * The version 2 case id: hex(SHA-256(encodeFields([label, auth public key, reply public key]))). Anyone
 * can compute it from the keys; nobody can find other keys for the same id.
 */
export async function caseIdOfKeys(authPublicKey: Uint8Array, replyPublicKey: Uint8Array): Promise<CaseId> {
  const digest = await subtleCrypto().digest('SHA-256', encodeFields([utf8Encode(CASE_KEY_LABELS.caseIdFromKeys), authPublicKey, replyPublicKey]) as Uint8Array<ArrayBuffer>);
  return toHex(new Uint8Array(digest)) as CaseId;
}

/** The case's keys and its id of `caseIdVersion`: 2 for every new case, 1 to find a case created before version 2. */
export async function deriveCaseKeys(token: CaseToken, caseIdVersion: CaseIdVersion = 2): Promise<CaseKeys> {
  const inputKey = await subtleCrypto().importKey('raw', utf8Encode(tokenSymbols(token)), 'HKDF', false, [
    'deriveBits',
  ]);
  const [caseIdBytes, authSeed, replySecret] = await Promise.all([
    hkdf(inputKey, CASE_KEY_LABELS.caseId),
    hkdf(inputKey, CASE_KEY_LABELS.authSeed),
    hkdf(inputKey, CASE_KEY_LABELS.replySecret),
  ]);
  const auth = ed25519KeyPairFromSeed(authSeed);
  const reply = x25519KeyPairFromSecret(replySecret);
  authSeed.fill(0);
  replySecret.fill(0);
  return {
    caseId: caseIdVersion === 1 ? (toHex(caseIdBytes) as CaseId) : await caseIdOfKeys(auth.publicKey, reply.publicKey),
    authPublicKey: auth.publicKey,
    authSecretKey: auth.secretKey,
    replyPublicKey: reply.publicKey,
    replySecretKey: reply.secretKey,
  };
}

/** Overwrites the secret halves, e.g. when a reporter logs out. JavaScript cannot promise more. */
export function wipeCaseKeys(keys: CaseKeys): void {
  keys.authSecretKey.fill(0);
  keys.replySecretKey.fill(0);
}
