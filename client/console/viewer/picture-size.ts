/**
 * The width and height a picture's header declares, read before anything decodes it: a small file
 * can declare a huge picture (a "decompression bomb"), and the browser would allocate all of it.
 */
import type { PictureFormat } from './file-kind';

export interface PictureSize {
  readonly width: number;
  readonly height: number;
}

/** The byte at `at`, or 0 past the end (callers check lengths first; a short read then yields no size). */
const byte = (bytes: Uint8Array, at: number): number => bytes[at] ?? 0;
const u16be = (bytes: Uint8Array, at: number) => (byte(bytes, at) << 8) | byte(bytes, at + 1);
const u16le = (bytes: Uint8Array, at: number) => byte(bytes, at) | (byte(bytes, at + 1) << 8);
const u24le = (bytes: Uint8Array, at: number) => u16le(bytes, at) | (byte(bytes, at + 2) << 16);
const u32be = (bytes: Uint8Array, at: number) => ((byte(bytes, at) << 24) >>> 0) + (byte(bytes, at + 1) << 16) + (byte(bytes, at + 2) << 8) + byte(bytes, at + 3);

function pngSize(bytes: Uint8Array): PictureSize | null {
  // The IHDR chunk must come first: length 13, "IHDR", then width and height.
  if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return null;
  return { width: u32be(bytes, 16), height: u32be(bytes, 20) };
}

function gifSize(bytes: Uint8Array): PictureSize | null {
  // The logical screen; a frame cannot be drawn outside it.
  if (bytes.length < 10) return null;
  return { width: u16le(bytes, 6), height: u16le(bytes, 8) };
}

/** JPEG markers that start a frame (SOF0–SOF15 but DHT, JPG and DAC, which share the range). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegSize(bytes: Uint8Array): PictureSize | null {
  let at = 2;
  // Each step moves forward by at least 2 bytes, so the walk ends.
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = byte(bytes, at + 1);
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image, or scan data before any frame header
    if (isStartOfFrame(marker)) return { height: u16be(bytes, at + 5), width: u16be(bytes, at + 7) };
    at += 2 + u16be(bytes, at + 2);
  }
  return null;
}

function webpSize(bytes: Uint8Array): PictureSize | null {
  if (bytes.length < 30) return null;
  const chunk = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunk === 'VP8X') return { width: u24le(bytes, 24) + 1, height: u24le(bytes, 27) + 1 };
  if (chunk === 'VP8L') {
    if (bytes[20] !== 0x2f) return null;
    const bits = (u24le(bytes, 21) | (byte(bytes, 24) << 24)) >>> 0;
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8 ') {
    if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) return null;
    return { width: u16le(bytes, 26) & 0x3fff, height: u16le(bytes, 28) & 0x3fff };
  }
  return null;
}

/** The declared size, or null when the header cannot be read (and the picture is then not decoded). */
export function pictureSizeOf(bytes: Uint8Array, format: PictureFormat): PictureSize | null {
  const size = { png: pngSize, gif: gifSize, jpeg: jpegSize, webp: webpSize }[format](bytes);
  return size !== null && size.width > 0 && size.height > 0 ? size : null;
}
