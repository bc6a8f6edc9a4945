/**
 * A small proof of work on case creation. Behind Tor every request comes from 127.0.0.1, so the
 * intake cannot limit by address; making each new case cost the sender a few seconds of hashing does.
 * Pure-JS SHA-256 (@noble/hashes): Tor Browser's "Safer" level has no WebAssembly and no JIT.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, fromBase64Url, utf8Encode } from './bytes';
import { CryptoError } from './errors';

export const PROOF_OF_WORK_CONTEXT = 'candor/v1/proof-of-work';
/** Upper bound on attempts, so a solver with an impossible difficulty stops instead of spinning. */
const MAX_ATTEMPTS = 2 ** 32;

function leadingZeroBits(hash: Uint8Array): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

function attempt(prefix: Uint8Array, nonce: number): Uint8Array {
  return sha256(concatBytes(prefix, utf8Encode(nonce.toString(36))));
}

function prefixFor(challenge: string): Uint8Array {
  return concatBytes(utf8Encode(PROOF_OF_WORK_CONTEXT), fromBase64Url(challenge));
}

/** True when SHA-256(context ‖ challenge ‖ nonce) starts with `difficultyBits` zero bits. */
export function checkProofOfWork(challenge: string, nonce: string, difficultyBits: number): boolean {
  if (!/^[0-9a-z]{1,7}$/.test(nonce)) return false;
  let prefix: Uint8Array;
  try {
    prefix = prefixFor(challenge);
  } catch {
    return false;
  }
  return leadingZeroBits(sha256(concatBytes(prefix, utf8Encode(nonce)))) >= difficultyBits;
}

/**
 * Finds a nonce. `onProgress` is called every `yieldEvery` attempts and may be async, so that a
 * browser can update a progress bar and stay responsive.
 */
export async function solveProofOfWork(
  challenge: string,
  difficultyBits: number,
  options: { readonly yieldEvery?: number; readonly onProgress?: (attempts: number) => void | Promise<void> } = {},
): Promise<string> {
  const prefix = prefixFor(challenge);
  const yieldEvery = options.yieldEvery ?? 4096;
  for (let nonce = 0; nonce < MAX_ATTEMPTS; nonce++) {
    if (leadingZeroBits(attempt(prefix, nonce)) >= difficultyBits) return nonce.toString(36);
    if (nonce % yieldEvery === yieldEvery - 1) await options.onProgress?.(nonce + 1);
  }
  throw new CryptoError('proof-of-work-exhausted', 'No proof of work found within the attempt limit.');
}
