import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkProofOfWork, randomBytes, solveProofOfWork, toBase64Url } from '../../../crypto/index';

/** The same check redone with Node's SHA-256: an independent reading of the specification. */
function leadingZeroBits(challenge: string, nonce: string): number {
  const hash = createHash('sha256')
    .update('candor/v1/proof-of-work')
    .update(Buffer.from(challenge, 'base64url'))
    .update(nonce)
    .digest();
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) bits += 8;
    else return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

describe('proof of work', () => {
  it('when solved at 12 bits, then the nonce passes the check and Node’s own SHA-256 agrees', async () => {
    const challenge = toBase64Url(randomBytes(24));
    const nonce = await solveProofOfWork(challenge, 12);
    expect(checkProofOfWork(challenge, nonce, 12)).toBe(true);
    expect(leadingZeroBits(challenge, nonce)).toBeGreaterThanOrEqual(12);
  });

  it('when the nonce is checked against another challenge or a higher difficulty, then it fails', async () => {
    const challenge = toBase64Url(randomBytes(24));
    const nonce = await solveProofOfWork(challenge, 8);
    const needed = leadingZeroBits(challenge, nonce) + 1;
    expect(checkProofOfWork(challenge, nonce, needed)).toBe(false);
    const other = toBase64Url(randomBytes(24));
    expect(checkProofOfWork(other, nonce, 8)).toBe(leadingZeroBits(other, nonce) >= 8);
  });

  it('when the nonce or challenge is malformed, then the check fails instead of throwing', () => {
    const challenge = toBase64Url(randomBytes(24));
    for (const nonce of ['', 'ABC', '12345678', ' 1', '-1']) expect(checkProofOfWork(challenge, nonce, 0)).toBe(false);
    expect(checkProofOfWork('not base64url!', '1', 0)).toBe(false);
  });

  it('when solving, then progress is reported so a page can show it', async () => {
    const reports: number[] = [];
    await solveProofOfWork(toBase64Url(randomBytes(24)), 14, { yieldEvery: 1000, onProgress: (attempts) => void reports.push(attempts) });
    expect(reports.every((attempts, i) => attempts === (i + 1) * 1000)).toBe(true);
  });

  it('when the challenge has the intake’s length or any other, then every nonce found passes Node’s check', async () => {
    // 38 bytes is the intake's challenge (docs/protocol.md §4.4): its prefix fills one SHA-256 block with the leading digits.
    for (const length of [0, 1, 24, 38, 39, 41, 48, 100]) {
      const challenge = toBase64Url(randomBytes(length));
      const nonce = await solveProofOfWork(challenge, 10);
      expect(nonce).toMatch(/^[0-9a-z]{1,7}$/);
      expect(checkProofOfWork(challenge, nonce, 10)).toBe(true);
      expect(leadingZeroBits(challenge, nonce)).toBeGreaterThanOrEqual(10);
    }
  });
});
