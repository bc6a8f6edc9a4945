/**
 * HEIC and AVIF (HEIF, ISO/IEC 23008-12) metadata neutralised in place, nothing re-encoded and no
 * byte moved, so every item location (iloc) stays valid. EXIF and XMP are items of the meta box:
 * each extent of their data is overwritten with zeros, and their item type in iinf becomes
 * `HIDDEN_ITEM_TYPE` with the hidden flag set, so that no reader parses the zeros as EXIF or XMP.
 * Only the top-level box headers and the meta box are read (plus the EXIF item, to say whether it
 * held a position); the cleaned file is a Blob of slices of the original around the small patched
 * pieces. Thumbnails and every other item stay (see SECURITY.md: a cropped HEIC may keep the parts cut
 * away in the picture itself, which the reporter is told). Anything not understood is refused whole.
 */
import { exifItems, inspectExif } from './exif';
import { boxAt, childBoxes, readRange, type Box } from './isobmff';
import { MalformedImageError, RemovedItems, startsWithAscii, type RemovedItem } from './report';

/** A meta box larger than this is refused: a phone photo's item index is a few kilobytes. */
export const MAX_META_BOX_BYTES = 16 * 1024 * 1024;
/** An EXIF item larger than this is not read to look for a position; it is then said to hold one. */
const MAX_EXIF_INSPECTED_BYTES = 1024 * 1024;

/**
 * What EXIF and XMP items become: a four-character code no specification defines, so readers skip the
 * item as one they do not know (HEIF requires that) instead of parsing its zeroed data.
 */
export const HIDDEN_ITEM_TYPE = 'hidn';
const XMP_CONTENT_TYPE = 'application/rdf+xml';
const HIDDEN_ITEM_FLAG = 1;
const ZERO_CHUNK = new Uint8Array(64 * 1024);
const HEADER_BYTES = 16;

export interface HeifCleanResult {
  /** The input itself when nothing was found. */
  readonly file: Blob;
  readonly removed: readonly RemovedItem[];
}

/** A range of the file, [start, end). */
interface Range {
  readonly start: number;
  readonly end: number;
}

interface ItemInfo {
  readonly id: number;
  readonly type: string;
  /** The infe box, in the meta buffer, and where its item type and (for mime items) content type are. */
  readonly box: Box;
  readonly typeAt: number;
  readonly contentType?: Range;
}

/** Reads the unsigned integers of an ISO box body, refusing any read past `end`. */
class FieldReader {
  private readonly view: DataView;
  constructor(
    private readonly bytes: Uint8Array,
    public at: number,
    private readonly end: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(count: number): void {
    if (this.at + count > this.end) throw new MalformedImageError('heif-bad-item');
  }

  uint(size: number): number {
    this.need(size);
    let value: number;
    if (size === 0) value = 0;
    else if (size === 1) value = this.bytes[this.at] ?? 0;
    else if (size === 2) value = this.view.getUint16(this.at);
    else if (size === 4) value = this.view.getUint32(this.at);
    else if (size === 8) {
      const large = this.view.getBigUint64(this.at);
      if (large > BigInt(Number.MAX_SAFE_INTEGER)) throw new MalformedImageError('heif-bad-extent');
      value = Number(large);
    } else throw new MalformedImageError('heif-bad-item');
    this.at += size;
    return value;
  }

  skip(count: number): void {
    this.need(count);
    this.at += count;
  }

  fourcc(): string {
    this.need(4);
    const code = String.fromCharCode(...this.bytes.subarray(this.at, this.at + 4));
    this.at += 4;
    return code;
  }

  /** A NUL-terminated string; returns its range, without the NUL. */
  string(): Range {
    const start = this.at;
    while (this.at < this.end && this.bytes[this.at] !== 0) this.at++;
    if (this.at >= this.end) throw new MalformedImageError('heif-bad-item');
    this.at++;
    return { start, end: this.at - 1 };
  }
}

/** The item information entries of an iinf box (infe versions 2 and 3 only: earlier ones have no item type). */
function readItemInfos(meta: Uint8Array, iinf: Box): Map<number, ItemInfo> {
  const header = new FieldReader(meta, iinf.payload, iinf.end);
  const version = header.uint(1);
  header.skip(3); // flags
  const count = header.uint(version === 0 ? 2 : 4);
  const entries = childBoxes(meta, header.at, iinf.end);
  if (entries.length !== count || entries.some((box) => box.type !== 'infe')) throw new MalformedImageError('heif-bad-item');
  const items = new Map<number, ItemInfo>();
  for (const box of entries) {
    const fields = new FieldReader(meta, box.payload, box.end);
    const infeVersion = fields.uint(1);
    fields.skip(3); // flags
    if (infeVersion !== 2 && infeVersion !== 3) throw new MalformedImageError('heif-unsupported');
    const id = fields.uint(infeVersion === 2 ? 2 : 4);
    fields.uint(2); // item_protection_index
    const typeAt = fields.at;
    const type = fields.fourcc();
    fields.string(); // item_name
    const contentType = type === 'mime' ? fields.string() : undefined;
    if (items.has(id)) throw new MalformedImageError('heif-bad-item');
    items.set(id, { id, type, box, typeAt, ...(contentType === undefined ? {} : { contentType }) });
  }
  return items;
}

/**
 * Where each item's data is, as ranges of the file: iloc versions 0 to 2, in the file (construction
 * method 0) or in the meta box's idat (method 1). Data in other files or built from other items is refused.
 */
function readItemLocations(meta: Uint8Array, iloc: Box, idat: Range | undefined, metaStart: number, fileSize: number): Map<number, Range[]> {
  const fields = new FieldReader(meta, iloc.payload, iloc.end);
  const version = fields.uint(1);
  fields.skip(3); // flags
  if (version > 2) throw new MalformedImageError('heif-unsupported');
  const sizes = fields.uint(2);
  const [offsetSize, lengthSize, baseOffsetSize, indexSize] = [sizes >> 12, (sizes >> 8) & 15, (sizes >> 4) & 15, version === 0 ? 0 : sizes & 15];
  if (![offsetSize, lengthSize, baseOffsetSize, indexSize].every((size) => size === 0 || size === 4 || size === 8)) throw new MalformedImageError('heif-bad-item');
  const count = fields.uint(version < 2 ? 2 : 4);
  const locations = new Map<number, Range[]>();
  for (let i = 0; i < count; i++) {
    const id = fields.uint(version < 2 ? 2 : 4);
    const method = version === 0 ? 0 : fields.uint(2) & 15;
    if (fields.uint(2) !== 0 || method > 1) throw new MalformedImageError('heif-unsupported');
    const base = fields.uint(baseOffsetSize);
    const extentCount = fields.uint(2);
    if (method === 1 && idat === undefined) throw new MalformedImageError('heif-bad-extent');
    const [from, to] = method === 0 || idat === undefined ? [0, fileSize] : [metaStart + idat.start, metaStart + idat.end];
    const extents: Range[] = [];
    for (let e = 0; e < extentCount; e++) {
      fields.uint(indexSize);
      const offset = fields.uint(offsetSize);
      const length = fields.uint(lengthSize);
      const start = from + base + offset;
      // A length of zero means "to the end of the data": the file, or the idat box.
      const end = length === 0 ? to : start + length;
      if (start > to || end > to || end < start || !Number.isSafeInteger(end)) throw new MalformedImageError('heif-bad-extent');
      extents.push({ start, end });
    }
    if (locations.has(id)) throw new MalformedImageError('heif-bad-item');
    locations.set(id, extents);
  }
  return locations;
}

const overlaps = (a: Range, b: Range) => a.start < b.end && b.start < a.end;
const inside = (inner: Range, outer: Range) => inner.start >= outer.start && inner.end <= outer.end;

/** Which items go, and what the reporter is told each held. */
function metadataKind(item: ItemInfo, meta: Uint8Array): 'exif' | 'xmp' | undefined {
  if (item.type === 'Exif') return 'exif';
  if (item.type !== 'mime' || item.contentType === undefined) return undefined;
  const contentType = String.fromCharCode(...meta.subarray(item.contentType.start, item.contentType.end));
  return contentType.trim().toLowerCase() === XMP_CONTENT_TYPE ? 'xmp' : undefined;
}

/** What an EXIF item held; it starts with the offset of its TIFF header (ISO/IEC 23008-12 A.2.1). */
async function exifItemKinds(file: Blob, extents: readonly Range[]): Promise<RemovedItem[]> {
  const size = extents.reduce((sum, extent) => sum + extent.end - extent.start, 0);
  if (size > MAX_EXIF_INSPECTED_BYTES) return ['exif', 'gps'];
  const parts = await Promise.all(extents.map((extent) => readRange(file, extent.start, extent.end)));
  const bytes = new Uint8Array(await new Blob(parts).arrayBuffer());
  if (bytes.length < 4) return ['exif'];
  const tiffAt = 4 + new DataView(bytes.buffer).getUint32(0);
  return exifItems(inspectExif(bytes.subarray(Math.min(tiffAt, bytes.length))));
}

/** A run of zeros as Blob parts that share one small buffer. */
function zeros(length: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let left = length; left > 0; left -= ZERO_CHUNK.length) parts.push(ZERO_CHUNK.subarray(0, Math.min(left, ZERO_CHUNK.length)));
  return parts;
}

/**
 * Neutralises the EXIF and XMP items of a HEIC or AVIF picture; throws MalformedImageError for a
 * structure it does not fully understand (code 'heif-sequence' for image sequences, which carry a
 * movie box this cleaner does not walk), and the browser's error when the file cannot be read.
 */
export async function cleanHeif(file: Blob): Promise<HeifCleanResult> {
  let metaBox: Box | undefined;
  const mediaData: Range[] = [];
  let at = 0;
  while (at < file.size) {
    const head = await readRange(file, at, Math.min(at + HEADER_BYTES, file.size));
    const header = boxAt(head, 0, file.size - at, true);
    const box = { ...header, start: at, payload: at + header.payload, end: at + header.end };
    if (at === 0 && box.type !== 'ftyp') throw new MalformedImageError('heif-bad-structure');
    if (box.type === 'moov') throw new MalformedImageError('heif-sequence');
    if (box.type === 'meta') {
      if (metaBox !== undefined) throw new MalformedImageError('heif-bad-structure');
      metaBox = box;
    }
    if (box.type === 'mdat') mediaData.push({ start: box.payload, end: box.end });
    at = box.end;
  }
  if (metaBox === undefined) throw new MalformedImageError('heif-bad-structure');
  if (metaBox.end - metaBox.start > MAX_META_BOX_BYTES) throw new MalformedImageError('heif-bad-structure');

  const meta = await readRange(file, metaBox.start, metaBox.end);
  const local = boxAt(meta, 0, meta.length, true);
  // ISO's meta is a full box: version 0, then its handler first.
  if (local.payload + 12 > local.end || meta[local.payload] !== 0 || !startsWithAscii(meta, 'hdlr', local.payload + 8)) throw new MalformedImageError('heif-bad-structure');
  const children = childBoxes(meta, local.payload + 4, local.end);
  const single = (type: string): Box | undefined => {
    const found = children.filter((box) => box.type === type);
    if (found.length > 1) throw new MalformedImageError('heif-bad-structure');
    return found[0];
  };
  const hdlr = single('hdlr');
  if (hdlr === undefined || !startsWithAscii(meta, 'pict', hdlr.payload + 8)) throw new MalformedImageError('heif-bad-structure');
  const iinf = single('iinf');
  const iloc = single('iloc');
  const idat = single('idat');
  if (iinf === undefined) throw new MalformedImageError('heif-bad-structure');
  const items = readItemInfos(meta, iinf);
  const locations = iloc === undefined ? new Map<number, Range[]>() : readItemLocations(meta, iloc, idat === undefined ? undefined : { start: idat.payload, end: idat.end }, metaBox.start, file.size);

  const removed = new RemovedItems();
  const cleared: Range[] = [];
  const clearedItems = new Set<number>();
  for (const item of items.values()) {
    const kind = metadataKind(item, meta);
    if (kind === undefined) continue;
    clearedItems.add(item.id);
    const extents = locations.get(item.id) ?? [];
    removed.add(...(kind === 'exif' ? await exifItemKinds(file, extents) : ['xmp' as const]));
    meta.set(Array.from(HIDDEN_ITEM_TYPE, (c) => c.charCodeAt(0)), item.typeAt);
    meta[item.box.payload + 3] = (meta[item.box.payload + 3] ?? 0) | HIDDEN_ITEM_FLAG;
    if (item.contentType !== undefined) meta.fill(0x20, item.contentType.start, item.contentType.end);
    cleared.push(...extents);
  }
  if (removed.size === 0) return { file, removed: [] };

  // Zeros may only land on data that belongs to no other item: in a media data box or in idat.
  const idatRange = idat === undefined ? undefined : { start: metaBox.start + idat.payload, end: metaBox.start + idat.end };
  const kept = [...locations].filter(([id]) => !clearedItems.has(id));
  for (const [index, range] of cleared.entries()) {
    if (!mediaData.some((data) => inside(range, data)) && !(idatRange !== undefined && inside(range, idatRange))) throw new MalformedImageError('heif-bad-extent');
    if (cleared.some((other, i) => i !== index && overlaps(range, other))) throw new MalformedImageError('heif-bad-extent');
    if (kept.some(([, extents]) => extents.some((other) => overlaps(range, other)))) throw new MalformedImageError('heif-bad-extent');
  }
  for (const range of cleared.filter((r) => idatRange !== undefined && inside(r, idatRange))) meta.fill(0, range.start - metaBox.start, range.end - metaBox.start);

  const inFile = cleared.filter((range) => !(idatRange !== undefined && inside(range, idatRange)));
  const patches = [...inFile.map((range) => ({ ...range, parts: zeros(range.end - range.start) })), { start: metaBox.start, end: metaBox.end, parts: [meta] }].sort((a, b) => a.start - b.start);
  const pieces: BlobPart[] = [];
  let copied = 0;
  for (const patch of patches) {
    pieces.push(file.slice(copied, patch.start), ...(patch.parts as Uint8Array<ArrayBuffer>[]));
    copied = patch.end;
  }
  pieces.push(file.slice(copied));
  return { file: new Blob(pieces, { type: file.type }), removed: removed.list() };
}
