import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  binaryStringBase64Codec,
  bufferBase64Codec,
  fromBase64Url,
  toBase64Url,
  uint8ArrayBase64Codec,
  type Base64UrlCodec,
} from '../../../crypto/bytes';

const codecs: [string, Base64UrlCodec | undefined][] = [
  ['Uint8Array.toBase64', uint8ArrayBase64Codec],
  ['Buffer', bufferBase64Codec],
  ['btoa/atob', binaryStringBase64Codec],
];

describe('base64url', () => {
  it('when bytes of every length up to 70 are encoded, then each platform codec gives RFC 4648 §5 without padding and decodes back', () => {
    for (let length = 0; length <= 70; length++) {
      const bytes = new Uint8Array(randomBytes(length));
      const expected = Buffer.from(bytes).toString('base64url');
      for (const [name, codec] of codecs) {
        if (codec === undefined) continue;
        expect(codec.encode(bytes), `${name} ${length}`).toBe(expected);
        expect(fromBase64Url(expected, codec), `${name} ${length}`).toEqual(bytes);
      }
      expect(toBase64Url(bytes)).toBe(expected);
    }
  });

  it('when a view into a larger buffer is encoded, then only the viewed bytes are', () => {
    const whole = new Uint8Array([1, 2, 3, 4, 5, 6]);
    expect(toBase64Url(whole.subarray(2, 5))).toBe(Buffer.from([3, 4, 5]).toString('base64url'));
  });

  it('when text is not canonical unpadded base64url, then every codec refuses it alike', () => {
    for (const bad of ['A', 'AB=', 'AB+/', 'AB==', 'AB', 'AAB', 'a b', 'ä']) {
      for (const [name, codec] of codecs) {
        if (codec === undefined) continue;
        expect(() => fromBase64Url(bad, codec), `${name} ${bad}`).toThrow(/base64url/);
      }
    }
    expect(fromBase64Url('AA')).toEqual(new Uint8Array([0]));
    expect(fromBase64Url('AAA')).toEqual(new Uint8Array([0, 0]));
  });

  it('when megabytes are encoded and decoded, then the native codec keeps them exact', () => {
    const bytes = new Uint8Array(randomBytes(3 * 1024 * 1024 + 1));
    // Buffer.equals: a deep comparison of millions of elements would take the test's whole time.
    expect(Buffer.from(fromBase64Url(toBase64Url(bytes))).equals(bytes)).toBe(true);
    expect(Buffer.from(fromBase64Url(binaryStringBase64Codec.encode(bytes), binaryStringBase64Codec)).equals(bytes)).toBe(true);
  });
});
