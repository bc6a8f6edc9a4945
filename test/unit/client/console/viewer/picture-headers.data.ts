/** The first bytes of pictures of a given size, in each format the viewer shows, as their encoders write them. */

const bytes = (...parts: (number[] | string)[]): Uint8Array<ArrayBuffer> =>
  new Uint8Array(parts.flatMap((part) => (typeof part === 'string' ? [...part].map((char) => char.charCodeAt(0)) : part)));
const u16be = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const u16le = (n: number) => [n & 0xff, (n >> 8) & 0xff];
const u24le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff];
const u32be = (n: number) => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];

export function pngHead(width: number, height: number): Uint8Array<ArrayBuffer> {
  return bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], u32be(13), 'IHDR', u32be(width), u32be(height), [8, 6, 0, 0, 0], [0, 0, 0, 0]);
}

export function gifHead(width: number, height: number): Uint8Array<ArrayBuffer> {
  return bytes('GIF89a', u16le(width), u16le(height), [0, 0, 0]);
}

/** JFIF, an EXIF segment and a DHT table before the baseline frame header, as cameras write them. */
export function jpegHead(width: number, height: number): Uint8Array<ArrayBuffer> {
  const app0 = [0xff, 0xe0, ...u16be(16), ...bytes('JFIF', [0, 1, 1, 0, 0, 1, 0, 1, 0, 0])];
  const app1 = [0xff, 0xe1, ...u16be(8), ...bytes('Exif', [0, 0])];
  const dht = [0xff, 0xc4, ...u16be(4), 0, 0];
  const sof0 = [0xff, 0xc0, ...u16be(17), 8, ...u16be(height), ...u16be(width), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  return bytes([0xff, 0xd8], app0, app1, dht, sof0, [0xff, 0xda]);
}

export function webpHead(chunk: 'VP8 ' | 'VP8L' | 'VP8X', width: number, height: number): Uint8Array<ArrayBuffer> {
  const riff = (payload: number[]) => bytes('RIFF', u16le(payload.length + 4), [0, 0], 'WEBP', chunk, u16le(payload.length), [0, 0], payload);
  if (chunk === 'VP8X') return riff([0x10, 0, 0, 0, ...u24le(width - 1), ...u24le(height - 1)]);
  if (chunk === 'VP8L') {
    const bits = ((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14);
    return riff([0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, (bits >>> 24) & 0xff, 0, 0, 0, 0, 0]);
  }
  return riff([0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a, ...u16le(width), ...u16le(height), 0, 0]);
}
