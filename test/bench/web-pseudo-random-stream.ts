/**
 * The bytes of pseudo-random-stream.ts, generated with Web Crypto instead of node:crypto, so that
 * the browser suite's page and its Node side encrypt exactly the same data. It imports nothing from
 * Node: the page bundles it.
 */

const PIECE_BYTES = 64 * 1024;

// The same AES-256-CTR keystream under the same fixed key as pseudo-random-stream.ts. Web Crypto's
// counter is the low 64 bits of the block (`length: 64`); node:crypto increments all 128, which
// differs only after 2^64 blocks, so the two generators agree on every length a benchmark uses.
const KEY = new Uint8Array(32).fill(0x42);
const AES_BLOCK_BYTES = 16;
const COUNTER_BITS = 64;
const ZEROS = new Uint8Array(PIECE_BYTES);

function importKey(): Promise<CryptoKey> {
  return globalThis.crypto.subtle.importKey('raw', KEY, 'AES-CTR', false, ['encrypt']);
}

async function piece(key: CryptoKey, index: number, length: number): Promise<Uint8Array> {
  const counter = new Uint8Array(AES_BLOCK_BYTES);
  new DataView(counter.buffer).setBigUint64(8, BigInt((index * PIECE_BYTES) / AES_BLOCK_BYTES));
  const keystream = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-CTR', counter, length: COUNTER_BITS },
    key,
    ZEROS.subarray(0, length),
  );
  return new Uint8Array(keystream);
}

/** `totalBytes` of deterministic pseudo-random data in pieces of 64 KiB, each generated when read. */
export function webPseudoRandomStream(totalBytes: number): ReadableStream<Uint8Array> {
  let key: Promise<CryptoKey> | undefined;
  let index = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const offset = index * PIECE_BYTES;
        if (offset >= totalBytes) {
          controller.close();
          return;
        }
        key ??= importKey();
        controller.enqueue(await piece(await key, index, Math.min(PIECE_BYTES, totalBytes - offset)));
        index++;
      },
    },
    // Generate only on demand: no read-ahead queue.
    { highWaterMark: 0 },
  );
}
