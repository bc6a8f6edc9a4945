/**
 * The upload completion's digest (docs/protocol.md §9): SHA-256 over a domain prefix and the
 * SHA-256 of each 1 MiB block of the file. Unlike a plain SHA-256 of the whole file it can be made
 * piece by piece with WebCrypto alone, which is native, and so fast at Tor Browser's JIT-less
 * "Safer" level (issue 16); a plain SHA-256 fed piece by piece needs JavaScript there.
 */
import { concatBytes, toHex, utf8Encode } from './bytes';
import { sha256Digest } from './case-auth';
import { streamPieces } from './stream-pieces';
import type { Hex } from './types';

/** Bytes per block, fixed by the protocol: blocks start at multiples of it in the file, whatever the pieces sent. */
export const BLOCK_SHA256_BLOCK_BYTES = 1024 * 1024;

/** Names the construction and its block size, so that it cannot be taken for a plain SHA-256 (or one of other blocks). */
const DOMAIN_PREFIX = utf8Encode(`candor/v1/block-sha256/${BLOCK_SHA256_BLOCK_BYTES}\0`);

export interface BlockSha256 {
  /** Feeds the next bytes of the file, in order; await each call before the next. Holds at most one block. */
  update(bytes: Uint8Array): Promise<void>;
  /**
   * Feeds one whole block at a block boundary (or the file's last, shorter block) and returns that
   * block's SHA-256, for a caller who needs it too: an upload sends the file in pieces of exactly one
   * block and signs each piece's SHA-256, which is then hashed once rather than twice.
   */
  updateBlock(block: Uint8Array): Promise<Uint8Array>;
  /** The digest of everything fed, as lower-case hex; the hasher takes nothing after it. */
  digestHex(): Promise<Hex>;
}

/** A SHA-256 function; a block is hashed before the next is fed, so it may run synchronously. */
export type Sha256Function = (bytes: Uint8Array) => Promise<Uint8Array> | Uint8Array;

/**
 * `digest` is WebCrypto's unless the caller has a better one: Node's hash does not copy the block,
 * which matters on a server that hashes a gigabyte (server/storage/blob-store.ts).
 */
export function createBlockSha256(digest: Sha256Function = sha256Digest): BlockSha256 {
  // Made on first need: a caller that feeds whole blocks never needs it.
  let block: Uint8Array | undefined;
  let filled = 0;
  const blockDigests: Uint8Array[] = [DOMAIN_PREFIX];
  let finished = false;
  // Only the last block may be shorter than the others.
  let shortBlockFed = false;
  // Feeding a hasher after its digest, or after the file's last block, is a bug in the caller, not a condition to handle.
  const assertOpen = () => {
    if (finished) throw new Error('The block digest was already taken.');
  };
  const assertFeedable = () => {
    assertOpen();
    if (shortBlockFed) throw new Error('The file\'s last, shorter block was already fed.');
  };
  return {
    async updateBlock(bytes) {
      assertFeedable();
      if (filled !== 0 || bytes.length === 0 || bytes.length > BLOCK_SHA256_BLOCK_BYTES) throw new Error('Not one block at a block boundary.');
      shortBlockFed = bytes.length < BLOCK_SHA256_BLOCK_BYTES;
      const blockDigest = await digest(bytes);
      blockDigests.push(blockDigest);
      return blockDigest;
    },
    async update(bytes) {
      assertFeedable();
      let at = 0;
      while (at < bytes.length) {
        // A whole block in the input is hashed where it lies: no copy.
        if (filled === 0 && bytes.length - at >= BLOCK_SHA256_BLOCK_BYTES) {
          blockDigests.push(await digest(bytes.subarray(at, at + BLOCK_SHA256_BLOCK_BYTES)));
          at += BLOCK_SHA256_BLOCK_BYTES;
          continue;
        }
        const take = Math.min(BLOCK_SHA256_BLOCK_BYTES - filled, bytes.length - at);
        block ??= new Uint8Array(BLOCK_SHA256_BLOCK_BYTES);
        block.set(bytes.subarray(at, at + take), filled);
        filled += take;
        at += take;
        if (filled === BLOCK_SHA256_BLOCK_BYTES) {
          blockDigests.push(await digest(block));
          filled = 0;
        }
      }
    },
    async digestHex() {
      assertOpen();
      finished = true;
      // The last block may be shorter; a file that ends on a block boundary has no empty block after it.
      if (block !== undefined && filled > 0) blockDigests.push(await digest(block.subarray(0, filled)));
      return toHex(await digest(concatBytes(...blockDigests))) as Hex;
    },
  };
}

/** The block SHA-256 of a whole stream (a file's), read block by block into one reused buffer. */
export async function blockSha256OfStream(source: ReadableStream<Uint8Array>): Promise<Hex> {
  const hasher = createBlockSha256();
  for await (const block of streamPieces(source, BLOCK_SHA256_BLOCK_BYTES, 1)) await hasher.updateBlock(block);
  return hasher.digestHex();
}
