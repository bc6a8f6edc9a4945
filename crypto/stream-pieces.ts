/**
 * Reads a byte stream in pieces of exactly one size into a few buffers used in turn, so that reading
 * a large file leaves no garbage behind. Without a JIT (Tor Browser's "Safer" level) the collector
 * falls far behind a file read at hundreds of MiB/s, and every chunk a reader allocates then stays in
 * the tab's memory until it catches up (issue 16).
 */

/**
 * Yields `source` in pieces of `size` bytes (the last may be shorter). A byte stream, as
 * `Blob.stream()` is, is read with a BYOB reader straight into the buffers; any other stream's chunks
 * are copied into them. There are `buffers` buffers, so a piece stays intact until `buffers` more
 * pieces have been asked for; after that its bytes are overwritten, or, from a byte stream, its view
 * is detached (reads zero bytes). A caller that keeps a piece longer must copy it.
 */
export async function* streamPieces(source: ReadableStream<Uint8Array>, size: number, buffers: number): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  if (!Number.isSafeInteger(size) || size < 1 || !Number.isSafeInteger(buffers) || buffers < 1) throw new RangeError('Pieces need a size and buffers.');
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = source.getReader({ mode: 'byob' });
  } catch {
    // Not a byte stream: its chunks are copied.
  }
  const reader = byob ?? source.getReader();
  const fill = byob === undefined ? copyingFiller(reader as ReadableStreamDefaultReader<Uint8Array>) : inPlaceFiller(byob);
  const pool = Array.from({ length: buffers }, () => new ArrayBuffer(size));
  let finished = false;
  try {
    for (let turn = 0; ; turn = (turn + 1) % buffers) {
      const { bytes, ended } = await fill(pool, turn);
      if (bytes.length > 0) yield bytes;
      if (ended) break;
    }
    finished = true;
  } finally {
    // A consumer that stops early (a cancelled upload) must also stop the source, e.g. close a file.
    if (finished) reader.releaseLock();
    else await reader.cancel().catch(() => undefined);
  }
}

interface Fill {
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** The stream ended: `bytes` is its last piece, possibly empty. */
  readonly ended: boolean;
}

/** Fills `pool[turn]` from the stream's chunks; a chunk can straddle two pieces. */
function copyingFiller(reader: ReadableStreamDefaultReader<Uint8Array>) {
  let leftover: Uint8Array | undefined;
  return async (pool: ArrayBuffer[], turn: number): Promise<Fill> => {
    const piece = new Uint8Array(pool[turn] as ArrayBuffer);
    let filled = 0;
    for (;;) {
      let chunk = leftover;
      leftover = undefined;
      if (chunk === undefined) {
        const { done, value } = await reader.read();
        if (done) return { bytes: piece.subarray(0, filled), ended: true };
        chunk = value;
      }
      const take = Math.min(piece.length - filled, chunk.length);
      piece.set(chunk.subarray(0, take), filled);
      filled += take;
      if (take < chunk.length) leftover = chunk.subarray(take);
      if (filled === piece.length) return { bytes: piece, ended: false };
    }
  };
}

/** Reads into `pool[turn]` itself, as often as it takes to fill it. */
function inPlaceFiller(reader: ReadableStreamBYOBReader) {
  return async (pool: ArrayBuffer[], turn: number): Promise<Fill> => {
    const size = (pool[turn] as ArrayBuffer).byteLength;
    let filled = 0;
    for (;;) {
      const { done, value } = await reader.read(new Uint8Array(pool[turn] as ArrayBuffer, filled, size - filled));
      // Only a cancelled stream answers without the buffer, and only this generator could cancel it.
      if (value === undefined) throw new Error('The stream was cancelled while being read.');
      // The reader took the buffer and gives its memory back in a new ArrayBuffer, kept for the next turn.
      pool[turn] = value.buffer as ArrayBuffer;
      filled += value.byteLength;
      const bytes = new Uint8Array(pool[turn] as ArrayBuffer, 0, filled);
      if (done) return { bytes, ended: true };
      if (filled === size) return { bytes, ended: false };
    }
  };
}
