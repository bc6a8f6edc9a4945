/**
 * PNG metadata removal: walks the chunks, keeps the critical ones and the ancillary ones that only
 * say how to show the picture (each CRC checked), drops text, EXIF, time and anything unknown, and
 * drops whatever follows IEND. Anything unexpected is refused, never guessed at.
 */
import { exifItems, exifReplacement, inspectExif } from './exif';
import { concatBytes, MalformedImageError, RemovedItems, type ImageCleanResult } from './report';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const MAX_CHUNK_LENGTH = 0x7fffffff;

/** Colour, transparency, size, palette and animation: needed to show the picture as it was made. */
const KEPT_ANCILLARY = new Set(['tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'cICP', 'mDCV', 'mDCv', 'cLLI', 'cLLi', 'sBIT', 'bKGD', 'pHYs', 'hIST', 'acTL', 'fcTL', 'fdAT']);
const TEXT_CHUNKS = new Set(['tEXt', 'zTXt', 'iTXt']);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as PNG (ISO 3309) defines it. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = (CRC_TABLE[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(12 + data.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) bytes[4 + i] = type.charCodeAt(i);
  bytes.set(data, 8);
  view.setUint32(8 + data.length, crc32(bytes.subarray(4, 8 + data.length)));
  return bytes;
}

function isLetter(byte: number): boolean {
  return (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
}

/** Removes metadata from a PNG; throws MalformedImageError for anything it does not fully understand. */
export function cleanPng(bytes: Uint8Array<ArrayBuffer>): ImageCleanResult {
  if (bytes.length < SIGNATURE.length || SIGNATURE.some((byte, i) => bytes[i] !== byte)) throw new MalformedImageError('png-bad-signature');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [bytes.subarray(0, SIGNATURE.length)];
  const removed = new RemovedItems();
  let exifKept = false;
  let dataSeen = false;
  let at = SIGNATURE.length;
  for (let index = 0; ; index++) {
    if (at === bytes.length) throw new MalformedImageError('png-no-end');
    if (at + 8 > bytes.length) throw new MalformedImageError('truncated');
    const length = view.getUint32(at);
    const typeBytes = bytes.subarray(at + 4, at + 8);
    if (length > MAX_CHUNK_LENGTH || !typeBytes.every(isLetter)) throw new MalformedImageError('png-bad-chunk');
    const type = String.fromCharCode(...typeBytes);
    const end = at + 12 + length;
    if (end > bytes.length) throw new MalformedImageError('truncated');
    const start = at;
    const whole = bytes.subarray(start, end);
    const data = bytes.subarray(start + 8, end - 4);
    at = end;

    if ((index === 0) !== (type === 'IHDR') || (type === 'IHDR' && length !== 13)) throw new MalformedImageError('png-bad-order');
    const critical = type === 'IHDR' || type === 'PLTE' || type === 'IDAT' || type === 'IEND';
    // Bit 5 of the first letter: an unknown chunk with it clear is critical, and a decoder must stop.
    if (!critical && ((typeBytes[0] as number) & 0x20) === 0) throw new MalformedImageError('png-unknown-critical');

    if (critical || KEPT_ANCILLARY.has(type)) {
      if (crc32(bytes.subarray(start + 4, end - 4)) !== view.getUint32(end - 4)) throw new MalformedImageError('png-bad-crc');
      parts.push(whole);
      if (type === 'IDAT') dataSeen = true;
      if (type === 'IEND') {
        if (!dataSeen) throw new MalformedImageError('png-bad-order');
        // Archives and other files are sometimes hidden after the end of a picture.
        if (at < bytes.length) removed.add('trailing');
        break;
      }
    } else if (type === 'eXIf') {
      const summary = inspectExif(data);
      const items = exifItems(summary);
      const orientation = exifKept ? undefined : exifReplacement(summary);
      if (orientation === undefined) {
        removed.add(...items);
      } else {
        exifKept = true;
        const replacement = chunk('eXIf', orientation);
        const unchanged = replacement.length === whole.length && replacement.every((byte, i) => byte === whole[i]);
        parts.push(unchanged ? whole : replacement);
        if (!unchanged) removed.add(...items);
      }
    } else if (TEXT_CHUNKS.has(type)) {
      removed.add('text');
    } else if (type === 'tIME') {
      removed.add('time');
    } else {
      removed.add('other');
    }
  }
  if (removed.size === 0) return { bytes, removed: [] };
  return { bytes: concatBytes(parts), removed: removed.list() };
}
