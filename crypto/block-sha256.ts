/**
 * The upload completion's digest (docs/protocol.md §9): SHA-256 over a domain prefix and the
 * SHA-256 of each 1 MiB block of the file. Unlike a plain SHA-256 of the whole file it can be made
 * piece by piece with WebCrypto alone, which is native, and so fast at Tor Browser's JIT-less
 * "Safer" level (issue 16); a plain SHA-256 fed piece by piece needs JavaScript there.
 */
import { concatBytes, toHex, utf8Encode } from './bytes';
import { sha256Digest } from './case-auth';
import type { Hex } from './types';

/** Bytes per block, fixed by the protocol: blocks start at multiples of it in the file, whatever the pieces sent. */
export const BLOCK_SHA256_BLOCK_BYTES = 1024 * 1024;

/** Names the construction and its block size, so that it cannot be taken for a plain SHA-256 (or one of other blocks). */
const DOMAIN_PREFIX = utf8Encode(`candor/v1/block-sha256/${BLOCK_SHA256_BLOCK_BYTES}\0`);

export interface BlockSha256 {
  /** Feeds the next bytes of the file, in order; await each call before the next. Holds at most one block. */
  update(bytes: Uint8Array): Promise<void>;
  /** The digest of everything fed, as lower-case hex; the hasher takes nothing after it. */
  digestHex(): Promise<Hex>;
}

export function createBlockSha256(): BlockSha256 {
  const block = new Uint8Array(BLOCK_SHA256_BLOCK_BYTES);
  let filled = 0;
  const blockDigests: Uint8Array[] = [DOMAIN_PREFIX];
  let finished = false;
  // Feeding a hasher after its digest is a bug in the caller, not a condition to handle.
  const assertOpen = () => {
    if (finished) throw new Error('The block digest was already taken.');
  };
  return {
    async update(bytes) {
      assertOpen();
      let at = 0;
      while (at < bytes.length) {
        // A whole block in the input is hashed where it lies: no copy.
        if (filled === 0 && bytes.length - at >= BLOCK_SHA256_BLOCK_BYTES) {
          blockDigests.push(await sha256Digest(bytes.subarray(at, at + BLOCK_SHA256_BLOCK_BYTES)));
          at += BLOCK_SHA256_BLOCK_BYTES;
          continue;
        }
        const take = Math.min(BLOCK_SHA256_BLOCK_BYTES - filled, bytes.length - at);
        block.set(bytes.subarray(at, at + take), filled);
        filled += take;
        at += take;
        if (filled === BLOCK_SHA256_BLOCK_BYTES) {
          blockDigests.push(await sha256Digest(block));
          filled = 0;
        }
      }
    },
    async digestHex() {
      assertOpen();
      finished = true;
      // The last block may be shorter; a file that ends on a block boundary has no empty block after it.
      if (filled > 0) blockDigests.push(await sha256Digest(block.subarray(0, filled)));
      return toHex(await sha256Digest(concatBytes(...blockDigests))) as Hex;
    },
  };
}
