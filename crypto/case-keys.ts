/**
 * Everything a case needs, derived from its token with HKDF-SHA-256 (WebCrypto): the server's lookup
 * id, an Ed25519 key pair that proves possession of the token, and an X25519 key pair for replies.
 */
import { toHex, utf8Encode } from './bytes';
import { tokenSymbols } from './case-token';
import { CryptoError } from './errors';
import { ed25519KeyPairFromSeed, x25519KeyPairFromSecret } from './nacl';
import type { CaseId, CaseToken } from './types';

export const CASE_KEY_SALT = 'candor/v1/case-token';
export const CASE_KEY_LABELS = {
  caseId: 'candor/v1/case-id',
  authSeed: 'candor/v1/auth-ed25519-seed',
  replySecret: 'candor/v1/reply-x25519-secret',
} as const;
const DERIVED_BYTES = 32;

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

export async function deriveCaseKeys(token: CaseToken): Promise<CaseKeys> {
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
    caseId: toHex(caseIdBytes) as CaseId,
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
