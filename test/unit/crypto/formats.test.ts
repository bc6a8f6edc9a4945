import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  constantTimeEqual,
  createSha256,
  CryptoError,
  fromBase64Url,
  padmeLength,
  paddedLength,
  parseEnvelopeHeader,
  toBase64Url,
  utf8Decode,
} from '../../../crypto/index';
import { patternBytes } from '../../helpers/crypto';

describe('byte encodings', () => {
  it('when bytes of every length up to 70 round-trip through base64url, then they match Node’s encoder', () => {
    for (let length = 0; length <= 70; length++) {
      const bytes = patternBytes(length, length + 1);
      const encoded = toBase64Url(bytes);
      expect(encoded).toBe(Buffer.from(bytes).toString('base64url'));
      expect(fromBase64Url(encoded)).toEqual(bytes);
    }
  });

  it('when base64url text is padded, non-canonical or has foreign characters, then it is refused', () => {
    for (const text of ['AA==', 'A', 'AB', 'AAA+', 'AAA/', 'A A']) {
      expect(() => fromBase64Url(text), text).toThrow(CryptoError);
    }
  });

  it('when bytes are not UTF-8, then decoding is refused', () => {
    expect(() => utf8Decode(Uint8Array.of(0xff, 0xfe))).toThrow(CryptoError);
  });

  it('when compared in constant time, then equal and unequal byte strings are told apart', () => {
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3))).toBe(true);
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4))).toBe(false);
    expect(constantTimeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3))).toBe(false);
  });
});

describe('incremental SHA-256', () => {
  it('when fed in uneven pieces, then it equals Node’s SHA-256 of the whole', () => {
    const bytes = patternBytes(100_000);
    const hasher = createSha256();
    for (let offset = 0; offset < bytes.length; offset += 7919) hasher.update(bytes.subarray(offset, offset + 7919));
    expect(hasher.digestHex()).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});

describe('Padmé padding', () => {
  it('when lengths are rounded, then the published examples hold and the overhead stays under 12 %', () => {
    expect([0, 1, 2, 3, 8, 9, 100, 1000, 4096, 5000, 1_000_000].map(padmeLength)).toEqual([
      0, 1, 2, 3, 8, 10, 104, 1024, 4096, 5120, 1_015_808,
    ]);
    for (let length = 2; length < 200_000; length += 997) {
      const padded = padmeLength(length);
      expect(padded).toBeGreaterThanOrEqual(length);
      expect(padded / length).toBeLessThan(1.12);
      expect(padmeLength(padded)).toBe(padded);
    }
  });

  it('when lengths are past 2^32, then rounding still works exactly', () => {
    expect(padmeLength(2 ** 33 + 1)).toBe(2 ** 33 + 2 ** 27);
  });

  it('when below the floor, then every length pads to the floor', () => {
    expect(new Set([0, 1, 100, 4095, 4096].map((length) => paddedLength(length, 4096)))).toEqual(new Set([4096]));
  });
});

describe('envelope headers', () => {
  const header = (...bytes: number[]) => Uint8Array.from([0x43, 0x4e, 0x44, 0x52, ...bytes]);
  const codeOf = (bytes: Uint8Array) => {
    try {
      return parseEnvelopeHeader(bytes);
    } catch (error) {
      return error instanceof CryptoError ? error.code : 'unexpected';
    }
  };

  it('when the header names a known version, kind and algorithm, then the kind is read', () => {
    expect(codeOf(header(1, 1, 1))).toBe('report');
    expect(codeOf(header(1, 5, 1))).toBe('attachment');
    expect(codeOf(header(1, 6, 2))).toBe('reply');
  });

  it('when the version is unknown, then it is refused loudly, not guessed', () => {
    expect(codeOf(header(2, 1, 1))).toBe('envelope-unknown-version');
    expect(codeOf(header(0, 1, 1))).toBe('envelope-unknown-version');
  });

  it('when the magic, kind or algorithm is wrong, or the header is short, then it is refused', () => {
    expect(codeOf(Uint8Array.from([0x43, 0x4e, 0x44, 0x53, 1, 1, 1]))).toBe('envelope-invalid');
    expect(codeOf(header(1, 99, 1))).toBe('envelope-invalid');
    expect(codeOf(header(1, 1, 2))).toBe('envelope-invalid');
    expect(codeOf(header(1, 1))).toBe('envelope-invalid');
  });
});
