/**
 * WebP metadata removal without re-encoding: walks the RIFF chunks (RFC 9649), drops EXIF, XMP and
 * unknown chunks, clears their VP8X flags, keeps the image data, alpha, animation frames and the ICC
 * profile (as the JPEG cleaner does), rewrites the RIFF size and drops what follows the RIFF chunk.
 * Anything unexpected is refused, never guessed at.
 */
import { exifItems, exifReplacement, inspectExif } from './exif';
import { concatBytes, MalformedImageError, RemovedItems, startsWithAscii, type ImageCleanResult } from './report';

const RIFF_HEADER = 12; // "RIFF", size, "WEBP"
const CHUNK_HEADER = 8;
const VP8X_BYTES = 10;
const ANMF_HEADER = 16; // offsets, size, duration, flags
const FLAG_EXIF = 0x08;
const FLAG_XMP = 0x04;
const EXIF_PREFIX = 'Exif\0\0';

/** Chunks needed to show a picture or its frames, as the format defines them. */
const IMAGE_CHUNKS = new Set(['VP8 ', 'VP8L', 'ALPH', 'ANIM', 'ANMF', 'ICCP']);
const FRAME_CHUNKS = new Set(['VP8 ', 'VP8L', 'ALPH']);

interface RiffChunk {
  readonly type: string;
  /** The whole chunk: header, data and padding byte. */
  readonly whole: Uint8Array;
  readonly data: Uint8Array;
}

/** Splits `bytes` into RIFF chunks; every chunk must fit exactly, padding included. */
function readChunks(bytes: Uint8Array): RiffChunk[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: RiffChunk[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + CHUNK_HEADER > bytes.length) throw new MalformedImageError('truncated');
    const type = String.fromCharCode(...bytes.subarray(at, at + 4));
    if (!/^[\x20-\x7e]{4}$/.test(type)) throw new MalformedImageError('webp-bad-chunk');
    const size = view.getUint32(at + 4, true);
    const end = at + CHUNK_HEADER + size + (size & 1);
    if (end > bytes.length) throw new MalformedImageError('truncated');
    chunks.push({ type, whole: bytes.subarray(at, end), data: bytes.subarray(at + CHUNK_HEADER, at + CHUNK_HEADER + size) });
    at = end;
  }
  return chunks;
}

function riffChunk(type: string, data: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(CHUNK_HEADER + data.length + (data.length & 1));
  for (let i = 0; i < 4; i++) bytes[i] = type.charCodeAt(i);
  new DataView(bytes.buffer).setUint32(4, data.length, true);
  bytes.set(data, CHUNK_HEADER);
  return bytes;
}

/** An animation frame without unknown chunks; its header and image chunks stay byte for byte. */
function cleanFrame(frame: RiffChunk, removed: RemovedItems): Uint8Array {
  if (frame.data.length < ANMF_HEADER) throw new MalformedImageError('webp-bad-chunk');
  const inner = readChunks(frame.data.subarray(ANMF_HEADER));
  if (!inner.some((chunk) => chunk.type === 'VP8 ' || chunk.type === 'VP8L')) throw new MalformedImageError('webp-bad-order');
  const kept = inner.filter((chunk) => FRAME_CHUNKS.has(chunk.type));
  if (kept.length === inner.length) return frame.whole;
  removed.add('other');
  return riffChunk('ANMF', concatBytes([frame.data.subarray(0, ANMF_HEADER), ...kept.map((chunk) => chunk.whole)]));
}

/** Removes metadata from a WebP; throws MalformedImageError for anything it does not fully understand. */
export function cleanWebp(bytes: Uint8Array<ArrayBuffer>): ImageCleanResult {
  if (bytes.length < RIFF_HEADER + CHUNK_HEADER || !startsWithAscii(bytes, 'RIFF') || !startsWithAscii(bytes, 'WEBP', 8)) throw new MalformedImageError('webp-bad-chunk');
  const riffSize = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
  if (riffSize < 4 || riffSize & 1) throw new MalformedImageError('webp-bad-chunk');
  const riffEnd = 8 + riffSize;
  if (riffEnd > bytes.length) throw new MalformedImageError('truncated');
  const chunks = readChunks(bytes.subarray(RIFF_HEADER, riffEnd));
  const removed = new RemovedItems();
  // Other files are sometimes hidden after the end of a picture.
  if (riffEnd < bytes.length) removed.add('trailing');

  const first = chunks[0];
  if (first === undefined) throw new MalformedImageError('webp-bad-order');
  // The simple formats hold one image chunk and nothing else; anything after it is not shown.
  if (first.type === 'VP8 ' || first.type === 'VP8L') {
    if (chunks.length > 1) removed.add('other');
    return removed.size === 0 ? { bytes, removed: [] } : { bytes: assemble([first.whole]), removed: removed.list() };
  }
  if (first.type !== 'VP8X' || first.data.length !== VP8X_BYTES) throw new MalformedImageError('webp-bad-order');

  const parts: Uint8Array[] = [];
  let imageSeen = false;
  let exifKept = false;
  for (const chunk of chunks.slice(1)) {
    if (chunk.type === 'VP8X') throw new MalformedImageError('webp-bad-order');
    if (chunk.type === 'ANMF') {
      parts.push(cleanFrame(chunk, removed));
      imageSeen = true;
    } else if (IMAGE_CHUNKS.has(chunk.type)) {
      parts.push(chunk.whole);
      imageSeen ||= chunk.type === 'VP8 ' || chunk.type === 'VP8L';
    } else if (chunk.type === 'EXIF') {
      // Some writers keep JPEG's "Exif\0\0" prefix before the TIFF structure.
      const tiff = startsWithAscii(chunk.data, EXIF_PREFIX) ? chunk.data.subarray(EXIF_PREFIX.length) : chunk.data;
      const summary = inspectExif(tiff);
      // Browsers turn a WebP as its EXIF says; without the orientation a phone photo would show sideways.
      const orientation = exifKept ? undefined : exifReplacement(summary);
      if (orientation !== undefined) exifKept = true;
      const unchanged = orientation !== undefined && orientation.length === chunk.data.length && orientation.every((byte, i) => byte === chunk.data[i]);
      if (orientation !== undefined) parts.push(unchanged ? chunk.whole : riffChunk('EXIF', orientation));
      if (!unchanged) removed.add(...exifItems(summary));
    } else if (chunk.type === 'XMP ') {
      removed.add('xmp');
    } else {
      removed.add('other');
    }
  }
  if (!imageSeen) throw new MalformedImageError('webp-bad-order');
  if (removed.size === 0) return { bytes, removed: [] };
  const vp8x = first.whole.slice();
  vp8x[CHUNK_HEADER] = (vp8x[CHUNK_HEADER] as number) & ~(exifKept ? FLAG_XMP : FLAG_EXIF | FLAG_XMP);
  return { bytes: assemble([vp8x, ...parts]), removed: removed.list() };
}

/** A RIFF WebP file around `chunks`, with its size written anew. */
function assemble(chunks: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const header = new Uint8Array(RIFF_HEADER);
  header.set([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50]);
  const out = concatBytes([header, ...chunks]);
  new DataView(out.buffer).setUint32(4, out.length - 8, true);
  return out;
}
