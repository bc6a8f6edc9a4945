import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSha256, randomBytes } from '../../../crypto/index';

const nodeSha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('incremental SHA-256', () => {
  it('when given the FIPS 180-4 examples, then it gives their digests', () => {
    const abc = createSha256();
    abc.update(new TextEncoder().encode('abc'));
    expect(abc.digestHex()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const empty = createSha256();
    expect(empty.digestHex()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('when fed every length around the block and padding boundaries, then it agrees with Node', () => {
    for (let length = 0; length <= 200; length++) {
      const bytes = randomBytes(length);
      const hasher = createSha256();
      hasher.update(bytes);
      expect(hasher.digestHex(), `length ${length}`).toBe(nodeSha256(bytes));
    }
  });

  it('when a stream arrives in pieces of any size, then the digest is that of the whole', () => {
    const bytes = randomBytes(300_000);
    for (const sizes of [[1], [63], [64], [65], [1000, 7], [65_536], [4, 200_000, 3]]) {
      const hasher = createSha256();
      for (let offset = 0, i = 0; offset < bytes.length; i++) {
        const size = sizes[i % sizes.length]!;
        hasher.update(bytes.subarray(offset, offset + size));
        offset += size;
      }
      expect(hasher.digestHex(), `pieces ${sizes.join(',')}`).toBe(nodeSha256(bytes));
    }
  });

  it('when finished, then it refuses more bytes or a second digest', () => {
    const hasher = createSha256();
    hasher.digestHex();
    expect(() => hasher.update(new Uint8Array(1))).toThrow();
    expect(() => hasher.digestHex()).toThrow();
  });
});
