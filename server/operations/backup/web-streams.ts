/**
 * The platform's own adapters between async iterables and the web streams that crypto/'s attachment
 * streams read and return. crypto/ is typed with the DOM lib's streams, which lack `from` and async
 * iteration; at run time they are Node's, which have both.
 */
import { ReadableStream as NodeReadableStream } from 'node:stream/web';

/** A pull-driven web stream over an async iterable: nothing is read before the consumer asks. */
export function webStreamOf(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  return NodeReadableStream.from(source) as unknown as ReadableStream<Uint8Array>;
}

/** A web stream's chunks; a loop that stops early (a throw, a failed write) cancels the stream. */
export function chunksOf(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  return stream as unknown as NodeReadableStream<Uint8Array>;
}
