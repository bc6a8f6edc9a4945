import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { blockSha256OfFile } from '../../../../client/intake/file-digest';
import { BLOCK_SHA256_BLOCK_BYTES } from '../../../../crypto/index';
import { patternBytes } from '../../../helpers/crypto';

const MiB = BLOCK_SHA256_BLOCK_BYTES;

/** The block SHA-256 as docs/protocol.md §9.6 defines it, with Node's hash. */
function blockSha256(bytes: Uint8Array): string {
  const outer = createHash('sha256').update(`candor/v1/block-sha256/${MiB}\0`);
  for (let offset = 0; offset < bytes.length; offset += MiB) outer.update(createHash('sha256').update(bytes.subarray(offset, offset + MiB)).digest());
  return outer.digest('hex');
}

describe('the digest the intake names for each file it sends', () => {
  it('when a file spans several blocks and ends mid-block, then its digest is the block SHA-256 of its bytes', async () => {
    const bytes = patternBytes(2 * MiB + 12_345, 3);
    expect(await blockSha256OfFile(new Blob([bytes.slice()]))).toBe(blockSha256(bytes));
  });

  it('when a file is empty or ends on a block boundary, then its digest is still the block SHA-256 of its bytes', async () => {
    for (const bytes of [new Uint8Array(0), patternBytes(MiB, 5)]) {
      expect(await blockSha256OfFile(new Blob([bytes.slice()]))).toBe(blockSha256(bytes));
    }
  });
});
