/** Incremental SHA-256 for checking large uploads piece by piece (pure JS, as for the proof of work). */
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from './bytes';
import type { Hex } from './types';

export interface Sha256Hasher {
  update(bytes: Uint8Array): void;
  digestHex(): Hex;
}

export function createSha256(): Sha256Hasher {
  const hash = sha256.create();
  return {
    update: (bytes) => void hash.update(bytes),
    digestHex: () => toHex(hash.digest()),
  };
}
