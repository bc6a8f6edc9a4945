import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BLOCK_SHA256_BLOCK_BYTES, blockSha256OfStream, createBlockSha256, type Sha256Function } from '../../../crypto/index';
import { streamOf } from '../../helpers/crypto';

const MiB = BLOCK_SHA256_BLOCK_BYTES;

/** A fixed pattern, so that the known answers below can be recomputed anywhere. */
function pattern(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 7 + 3) & 0xff;
  return bytes;
}

/** The definition (docs/protocol.md §9) written out with Node's hash, as a second opinion. */
function reference(bytes: Uint8Array): string {
  const outer = createHash('sha256').update(`candor/v1/block-sha256/${MiB}\0`);
  for (let offset = 0; offset < bytes.length; offset += MiB) outer.update(createHash('sha256').update(bytes.subarray(offset, offset + MiB)).digest());
  return outer.digest('hex');
}

/** The server's choice (server/storage/blob-store.ts): Node's hash, synchronous, no copy. */
const nodeSha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest();

async function blockSha256(bytes: Uint8Array, pieceSizes: readonly number[] = [bytes.length], digest?: Sha256Function): Promise<string> {
  const hasher = createBlockSha256(digest);
  for (let offset = 0, i = 0; offset < bytes.length; i++) {
    const size = pieceSizes[i % pieceSizes.length]!;
    await hasher.update(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return hasher.digestHex();
}

describe('block SHA-256 (the upload completion digest)', () => {
  // Computed with Python's hashlib from the definition, independently of this code.
  const knownAnswers: readonly [number, string][] = [
    [0, '96039755ffd4f48025790e1c708f778d9dc3d3645af774d6aa7fdc7ce6f937df'],
    [1, 'a86767f23d2eb0d2eab0cb7558710486833aff76b7ed0e89f13d30d947dddb5a'],
    [MiB - 1, '0d1bf9d7d85d9adb8240a4a0e8aeca902b9e92351219fff46409270781c11c41'],
    [MiB, 'a5a8f93a1a02ab57740e1e585c503f5d196968a69d5a2585679b19dfb53cc38c'],
    [MiB + 1, 'f80f66da373565ef112edbfa39270cc1263f4f859d84db29dd4bbb6e18c49fe8'],
    [3 * MiB - 5, '72aaf9a620100ecfcb41751267f50d20ba172e0de9b00e8278d854700a465cf3'],
    [3 * MiB, '5755894067afd2f9e61917701c509f95e982825fa66a42052d2d740884e6dfd0'],
  ];

  it.each(knownAnswers)('when the file has %i bytes, then the digest is the known answer', async (length, expected) => {
    const bytes = pattern(length);
    expect(await blockSha256(bytes)).toBe(expected);
    expect(reference(bytes)).toBe(expected);
  });

  it.each(knownAnswers)('when the file has %i bytes and is hashed with Node\'s SHA-256 in pieces, then the digest is the known answer', async (length, expected) => {
    expect(await blockSha256(pattern(length), [MiB - 1, 3], nodeSha256)).toBe(expected);
  });

  it('when the file ends on a block boundary, then no empty block follows the last', async () => {
    const bytes = pattern(2 * MiB);
    const withEmptyBlock = createHash('sha256')
      .update(`candor/v1/block-sha256/${MiB}\0`)
      .update(createHash('sha256').update(bytes.subarray(0, MiB)).digest())
      .update(createHash('sha256').update(bytes.subarray(MiB)).digest())
      .update(createHash('sha256').update(new Uint8Array(0)).digest())
      .digest('hex');
    expect(await blockSha256(bytes)).toBe(reference(bytes));
    expect(await blockSha256(bytes)).not.toBe(withEmptyBlock);
  });

  it('when the file comes in pieces that straddle blocks, then the digest is that of the whole', async () => {
    const bytes = pattern(3 * MiB + 12_345);
    const expected = reference(bytes);
    for (const sizes of [[1], [MiB], [MiB + 600], [MiB - 1], [700_000, 3], [3 * MiB + 12_345], [2 * MiB + 1, 5]]) {
      // One byte at a time is slow; a few thousand show it well enough.
      const input = sizes[0] === 1 ? bytes.subarray(0, 5000) : bytes;
      expect(await blockSha256(input, sizes), `pieces ${sizes.join(',')}`).toBe(sizes[0] === 1 ? reference(input) : expected);
    }
  });

  it('when a whole stream is hashed, a byte stream or one of chunks, then the digest is the known answer', async () => {
    for (const [length, expected] of knownAnswers) {
      const bytes = pattern(length);
      expect(await blockSha256OfStream(new Blob([bytes.slice()]).stream()), `${length} bytes from a Blob`).toBe(expected);
      expect(await blockSha256OfStream(streamOf(bytes, 100_000)), `${length} bytes in chunks`).toBe(expected);
    }
  });

  it('when fed whole blocks, then each block\'s SHA-256 is returned and the digest is that of the whole', async () => {
    const bytes = pattern(2 * MiB + 10);
    const hasher = createBlockSha256();
    const digests = [];
    for (let offset = 0; offset < bytes.length; offset += MiB) digests.push(await hasher.updateBlock(bytes.subarray(offset, offset + MiB)));
    expect(digests.map((d) => Buffer.from(d).toString('hex'))).toEqual([0, MiB, 2 * MiB].map((o) => createHash('sha256').update(bytes.subarray(o, o + MiB)).digest('hex')));
    expect(await hasher.digestHex()).toBe(reference(bytes));
  });

  it('when a block is fed off its boundary or after the last, shorter one, then it is refused', async () => {
    const offBoundary = createBlockSha256();
    await offBoundary.update(new Uint8Array(10));
    await expect(offBoundary.updateBlock(new Uint8Array(MiB))).rejects.toThrow();
    const afterShort = createBlockSha256();
    await afterShort.updateBlock(new Uint8Array(10));
    await expect(afterShort.updateBlock(new Uint8Array(MiB))).rejects.toThrow();
    await expect(afterShort.update(new Uint8Array(1))).rejects.toThrow();
    await expect(createBlockSha256().updateBlock(new Uint8Array(MiB + 1))).rejects.toThrow();
  });

  it('when compared with a plain SHA-256 of the same bytes, then it differs', async () => {
    const bytes = pattern(1000);
    expect(await blockSha256(bytes)).not.toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(await blockSha256(bytes)).not.toBe(createHash('sha256').update(createHash('sha256').update(bytes).digest()).digest('hex'));
  });

  it('when its digest was taken, then it refuses more bytes or a second digest', async () => {
    const hasher = createBlockSha256();
    await hasher.digestHex();
    await expect(hasher.update(new Uint8Array(1))).rejects.toThrow();
    await expect(hasher.digestHex()).rejects.toThrow();
  });
});
