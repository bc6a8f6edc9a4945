/** A picture's declared size, read from its header before any decoder runs: the guard against a small file that decodes huge. */
import { describe, expect, it } from 'vitest';
import { pictureSizeOf } from '../../../../../client/console/viewer/picture-size';
import { gifHead, jpegHead, pngHead, webpHead } from './picture-headers.data';

describe('reading a picture header', () => {
  it('when the header is whole, then each format gives the width and height its encoder wrote', () => {
    expect(pictureSizeOf(pngHead(640, 480), 'png')).toEqual({ width: 640, height: 480 });
    expect(pictureSizeOf(pngHead(100_000, 100_000), 'png')).toEqual({ width: 100_000, height: 100_000 });
    expect(pictureSizeOf(gifHead(320, 200), 'gif')).toEqual({ width: 320, height: 200 });
    expect(pictureSizeOf(jpegHead(4032, 3024), 'jpeg')).toEqual({ width: 4032, height: 3024 });
    expect(pictureSizeOf(webpHead('VP8 ', 1024, 768), 'webp')).toEqual({ width: 1024, height: 768 });
    expect(pictureSizeOf(webpHead('VP8L', 16_384, 3), 'webp')).toEqual({ width: 16_384, height: 3 });
    expect(pictureSizeOf(webpHead('VP8X', 16_777_216, 2), 'webp')).toEqual({ width: 16_777_216, height: 2 });
  });

  it('when the header is cut short, malformed or declares no pixels, then there is no size (and the picture is not decoded)', () => {
    expect(pictureSizeOf(pngHead(10, 10).subarray(0, 20), 'png')).toBeNull();
    expect(pictureSizeOf(gifHead(0, 10), 'gif')).toBeNull();
    // A JPEG whose scan starts before any frame header, and one whose segments run off the end.
    expect(pictureSizeOf(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0]), 'jpeg')).toBeNull();
    expect(pictureSizeOf(jpegHead(10, 10).subarray(0, 30), 'jpeg')).toBeNull();
    expect(pictureSizeOf(new Uint8Array([0xff, 0xd8, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]), 'jpeg')).toBeNull();
    expect(pictureSizeOf(webpHead('VP8 ', 10, 10).map((byte, i) => (i === 23 ? 0 : byte)), 'webp')).toBeNull();
  });
});
