/**
 * Deterministic pseudo-random bytes of any length as a stream, generated piece by piece so that a
 * benchmark of hundreds of MiB never holds more than one piece of its input.
 */
import { createCipheriv } from 'node:crypto';

const PIECE_BYTES = 64 * 1024;

// The AES-256-CTR keystream under a fixed key: counter-based, so piece i depends only on i, and fast
// enough (native AES) that generating the input costs little next to what is being measured.
const KEY = new Uint8Array(32).fill(0x42);
const AES_BLOCK_BYTES = 16;
const ZEROS = new Uint8Array(PIECE_BYTES);

function piece(index: number, length: number): Uint8Array {
  const iv = new Uint8Array(AES_BLOCK_BYTES);
  new DataView(iv.buffer).setBigUint64(8, BigInt((index * PIECE_BYTES) / AES_BLOCK_BYTES));
  const cipher = createCipheriv('aes-256-ctr', KEY, iv);
  return cipher.update(ZEROS.subarray(0, length));
}

export function pseudoRandomStream(totalBytes: number): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const offset = index * PIECE_BYTES;
        if (offset >= totalBytes) {
          controller.close();
          return;
        }
        controller.enqueue(piece(index, Math.min(PIECE_BYTES, totalBytes - offset)));
        index++;
      },
    },
    // Generate only on demand: no read-ahead queue.
    { highWaterMark: 0 },
  );
}

/**
 * Passes a stream through unchanged, showing every piece to `observe` on the way (to hash or count
 * it), without buffering anything.
 */
export function tap(source: ReadableStream<Uint8Array>, observe: (piece: Uint8Array) => void): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          return;
        }
        observe(value);
        controller.enqueue(value);
      },
      async cancel(reason) {
        await reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
