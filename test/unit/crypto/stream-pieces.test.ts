import { describe, expect, it } from 'vitest';
import { streamPieces } from '../../../crypto/stream-pieces';
import { patternBytes, streamOf } from '../../helpers/crypto';

async function collect(source: ReadableStream<Uint8Array>, size: number, buffers: number): Promise<{ pieces: Uint8Array[]; lengths: number[] }> {
  const pieces: Uint8Array[] = [];
  const lengths: number[] = [];
  // Copied as they come: a piece is only intact until `buffers` more are asked for.
  for await (const piece of streamPieces(source, size, buffers)) {
    pieces.push(piece.slice());
    lengths.push(piece.length);
  }
  return { pieces, lengths };
}

const joined = (pieces: readonly Uint8Array[]) => new Uint8Array(pieces.flatMap((piece) => [...piece]));

describe('reading a stream in pieces', () => {
  for (const [kind, streamFor] of [
    ['a stream of chunks', (bytes: Uint8Array) => streamOf(bytes, 700)],
    ['a byte stream', (bytes: Uint8Array) => new Blob([bytes.slice()]).stream()],
  ] as const) {
    it(`when ${kind} is read, then every piece has the size but the last, and together they are the stream`, async () => {
      for (const length of [0, 1, 999, 1000, 1001, 5000, 5500]) {
        const bytes = patternBytes(length);
        const { pieces, lengths } = await collect(streamFor(bytes), 1000, 2);
        expect(joined(pieces), `length ${length}`).toEqual(bytes);
        expect(lengths.slice(0, -1).every((l) => l === 1000), `length ${length}`).toBe(true);
        expect(lengths.length).toBe(Math.ceil(length / 1000));
      }
    });
  }

  it('when a piece is kept, then it stays intact until as many more pieces as there are buffers were asked for', async () => {
    const bytes = patternBytes(4000);
    const pieces = streamPieces(streamOf(bytes, 300), 1000, 2);
    const first = (await pieces.next()).value as Uint8Array;
    const second = (await pieces.next()).value as Uint8Array;
    expect(first).toEqual(bytes.subarray(0, 1000));
    expect(second).toEqual(bytes.subarray(1000, 2000));
    await pieces.next();
    // The first buffer now holds the third piece.
    expect(first).toEqual(bytes.subarray(2000, 3000));
    await pieces.return(undefined);
  });

  it('when the consumer stops early, then the source is cancelled', async () => {
    let cancelled = false;
    const source = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(new Uint8Array(100)),
      cancel: () => {
        cancelled = true;
      },
    });
    for await (const piece of streamPieces(source, 1000, 1)) {
      expect(piece.length).toBe(1000);
      break;
    }
    expect(cancelled).toBe(true);
  });
});
