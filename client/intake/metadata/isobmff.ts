/**
 * MP4, MOV, 3GP and M4A (ISO base media file format, QuickTime) metadata neutralised in place: no
 * byte moves, so the sample offsets of stco/co64 stay valid and nothing is re-encoded. The top-level
 * boxes are walked by reading their headers only; the movie box (moov, the index of the samples,
 * a small part of a video) is read whole, its user data items and metadata items are turned into
 * 'free' boxes of the same size with their payload zeroed, and the creation and modification times
 * of the movie, tracks and media are set to zero. The cleaned file is a Blob of slices of the
 * original around the rewritten moov, so memory stays bounded whatever the size of the video.
 * Anything unexpected is refused, never guessed at.
 */
import { MalformedImageError, RemovedItems, startsWithAscii, type RemovedItem } from './report';

/** A moov larger than this is refused: a long phone video's index is a few megabytes. */
export const MAX_MOVIE_BOX_BYTES = 64 * 1024 * 1024;

const HEADER_BYTES = 8;
const LARGE_HEADER_BYTES = 16;
const FREE = [0x66, 0x72, 0x65, 0x65];
/** The UUID Adobe gives the XMP box: BE7ACFCB-97A9-42E8-9C71-999491E3AFAC. */
const XMP_UUID = [0xbe, 0x7a, 0xcf, 0xcb, 0x97, 0xa9, 0x42, 0xe8, 0x9c, 0x71, 0x99, 0x94, 0x91, 0xe3, 0xaf, 0xac];

export interface VideoCleanResult {
  /** The input itself when nothing was found. */
  readonly file: Blob;
  readonly removed: readonly RemovedItem[];
}

/** What was neutralised, and whether the box being walked was changed. */
class Findings {
  readonly removed = new RemovedItems();
  changed = false;

  add(item: RemovedItem): void {
    this.removed.add(item);
    this.changed = true;
  }
}

export interface Box {
  readonly type: string;
  readonly start: number;
  /** Where the payload starts, after the size, type and any 64-bit size. */
  readonly payload: number;
  readonly end: number;
}

/** Reads the box header at `at` in `bytes`; `limit` is the end of its parent. */
export function boxAt(bytes: Uint8Array, at: number, limit: number, topLevel: boolean): Box {
  if (at + HEADER_BYTES > limit) throw new MalformedImageError('truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size32 = view.getUint32(at);
  const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
  let size = size32;
  let payload = at + HEADER_BYTES;
  if (size32 === 1) {
    if (at + LARGE_HEADER_BYTES > limit) throw new MalformedImageError('truncated');
    const large = view.getBigUint64(at + 8);
    if (large > BigInt(Number.MAX_SAFE_INTEGER)) throw new MalformedImageError('video-bad-box');
    size = Number(large);
    payload = at + LARGE_HEADER_BYTES;
  } else if (size32 === 0) {
    // "Extends to the end of the file": only the last top-level box may say so.
    if (!topLevel) throw new MalformedImageError('video-bad-box');
    size = limit - at;
  }
  if (size < payload - at) throw new MalformedImageError('video-bad-box');
  if (at + size > limit) throw new MalformedImageError('truncated');
  return { type, start: at, payload, end: at + size };
}

/** The boxes between `from` and `to`, which they must fill exactly (QuickTime may end a list with four zero bytes). */
export function childBoxes(bytes: Uint8Array, from: number, to: number): Box[] {
  const boxes: Box[] = [];
  let at = from;
  while (at < to) {
    if (to - at === 4 && bytes[at] === 0 && bytes[at + 1] === 0 && bytes[at + 2] === 0 && bytes[at + 3] === 0) break;
    const box = boxAt(bytes, at, to, false);
    boxes.push(box);
    at = box.end;
  }
  return boxes;
}

/** Turns a box into a 'free' box of the same size with a zeroed payload, unless it is one already. */
function neutralise(bytes: Uint8Array, box: Box): boolean {
  const payload = bytes.subarray(box.payload, box.end);
  if (box.type === 'free' && payload.every((byte) => byte === 0)) return false;
  bytes.set(FREE, box.start + 4);
  payload.fill(0);
  return true;
}

/** What a QuickTime user data item or an iTunes-style metadata item holds, by its type. */
function itemOfType(type: string): RemovedItem {
  if (type === '\xa9xyz' || type === 'loci') return 'gps';
  if (['\xa9mak', '\xa9mod', '\xa9swr', '\xa9too', '\xa9enc', 'manu', 'modl'].includes(type)) return 'device';
  if (type === '\xa9day') return 'recording-time';
  if (type === '\xa9cmt') return 'comment';
  if (type === 'XMP_') return 'xmp';
  return 'other';
}

/** What a QuickTime metadata item holds, by its key (com.apple.quicktime.location.ISO6709 and the like). */
function itemOfKey(key: string): RemovedItem {
  if (key.startsWith('com.apple.quicktime.location.')) return 'gps';
  if (/\.(make|model|software)$/.test(key) || key.startsWith('com.apple.quicktime.camera.') || key === 'com.android.version') return 'device';
  if (key.endsWith('.creationdate')) return 'recording-time';
  if (key.endsWith('.comment')) return 'comment';
  return 'other';
}

/** The names of a 'keys' box, indexed from 1 as metadata items refer to them. */
function readKeys(bytes: Uint8Array, box: Box): Map<number, string> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (box.payload + 8 > box.end) throw new MalformedImageError('video-bad-box');
  const count = view.getUint32(box.payload + 4);
  const keys = new Map<number, string>();
  let at = box.payload + 8;
  for (let index = 1; index <= count; index++) {
    if (at + 8 > box.end) throw new MalformedImageError('video-bad-box');
    const size = view.getUint32(at);
    if (size < 8 || at + size > box.end) throw new MalformedImageError('video-bad-box');
    keys.set(index, String.fromCharCode(...bytes.subarray(at + 8, at + size)));
    at += size;
  }
  return keys;
}

/** A metadata box: every item of its item list goes. QuickTime's meta has no version field, ISO's has. */
function cleanMeta(bytes: Uint8Array, meta: Box, findings: Findings): void {
  let from: number;
  if (startsWithAscii(bytes, 'hdlr', meta.payload + 4)) from = meta.payload;
  else if (startsWithAscii(bytes, 'hdlr', meta.payload + 8) && bytes[meta.payload] === 0) from = meta.payload + 4;
  else throw new MalformedImageError('video-bad-structure');
  const children = childBoxes(bytes, from, meta.end);
  const keysBox = children.find((box) => box.type === 'keys');
  const keys = keysBox === undefined ? undefined : readKeys(bytes, keysBox);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const list of children.filter((box) => box.type === 'ilst')) {
    for (const item of childBoxes(bytes, list.payload, list.end)) {
      const kind = keys === undefined ? itemOfType(item.type) : itemOfKey(keys.get(view.getUint32(item.start + 4)) ?? '');
      if (neutralise(bytes, item)) findings.add(kind);
    }
  }
}

/** Sets the creation and modification times of an mvhd, tkhd or mdhd box to zero. */
function clearTimes(bytes: Uint8Array, box: Box, findings: Findings): void {
  const width = bytes[box.payload] === 1 ? 8 : 4;
  const times = bytes.subarray(box.payload + 4, box.payload + 4 + 2 * width);
  if (times.length !== 2 * width) throw new MalformedImageError('video-bad-box');
  if (times.some((byte) => byte !== 0)) findings.add('recording-time');
  times.fill(0);
}

/** Walks a container inside the moov; `bytes` is the moov, edited in place. */
function cleanContainer(bytes: Uint8Array, from: number, to: number, findings: Findings): void {
  for (const box of childBoxes(bytes, from, to)) {
    if (box.type === 'mvhd' || box.type === 'tkhd' || box.type === 'mdhd') clearTimes(bytes, box, findings);
    else if (box.type === 'trak' || box.type === 'mdia') cleanContainer(bytes, box.payload, box.end, findings);
    else if (box.type === 'meta') cleanMeta(bytes, box, findings);
    else if (box.type === 'udta') {
      // User data is never needed to play a file: every item goes, metadata items one by one.
      for (const item of childBoxes(bytes, box.payload, box.end)) {
        if (item.type === 'meta') cleanMeta(bytes, item, findings);
        else if (neutralise(bytes, item)) findings.add(itemOfType(item.type));
      }
    }
  }
}

export async function readRange(file: Blob, start: number, end: number): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await file.slice(start, end).arrayBuffer());
}

/**
 * Neutralises the metadata of an ISO base media or QuickTime file; throws MalformedImageError for
 * a box structure it does not fully understand, and the browser's error when the file cannot be read.
 */
export async function cleanIsobmff(file: Blob): Promise<VideoCleanResult> {
  const findings = new Findings();
  /** Rewritten boxes, by offset in the file, in order; each replaces as many bytes as it holds. */
  const patches: { at: number; bytes: Uint8Array<ArrayBuffer> }[] = [];
  let movieSeen = false;
  let at = 0;
  while (at < file.size) {
    // Enough for a 64-bit size and a uuid box's identifier.
    const head = await readRange(file, at, Math.min(at + LARGE_HEADER_BYTES + XMP_UUID.length, file.size));
    const header = boxAt(head, 0, file.size - at, true);
    const box = { ...header, start: at, payload: at + header.payload, end: at + header.end };
    const isXmp = box.type === 'uuid' && XMP_UUID.every((byte, i) => head[header.payload + i] === byte);
    if (box.type === 'moov' || box.type === 'meta' || isXmp) {
      if (box.type === 'moov' && movieSeen) throw new MalformedImageError('video-bad-structure');
      movieSeen ||= box.type === 'moov';
      if (box.end - box.start > MAX_MOVIE_BOX_BYTES) throw new MalformedImageError('video-too-large-index');
      const bytes = await readRange(file, box.start, box.end);
      const local = boxAt(bytes, 0, bytes.length, true);
      findings.changed = false;
      if (isXmp) {
        if (neutralise(bytes, local)) findings.add('xmp');
      } else if (box.type === 'meta') cleanMeta(bytes, local, findings);
      else cleanContainer(bytes, local.payload, local.end, findings);
      if (findings.changed) patches.push({ at: box.start, bytes });
    }
    at = box.end;
  }
  if (!movieSeen) throw new MalformedImageError('video-bad-structure');
  if (patches.length === 0) return { file, removed: [] };
  const pieces: BlobPart[] = [];
  let copied = 0;
  for (const patch of patches) {
    pieces.push(file.slice(copied, patch.at), patch.bytes);
    copied = patch.at + patch.bytes.length;
  }
  pieces.push(file.slice(copied));
  return { file: new Blob(pieces, { type: file.type }), removed: findings.removed.list() };
}
