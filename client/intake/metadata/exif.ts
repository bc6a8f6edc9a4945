/**
 * EXIF (a TIFF structure) read only as far as needed to say what it held, and an orientation-only
 * replacement: without the orientation tag, photos taken upright on a phone would show sideways.
 */
import type { RemovedItem } from './report';

export type ExifSummary =
  | { readonly readable: true; readonly orientation: number; readonly hasGps: boolean; readonly hasThumbnail: boolean }
  | { readonly readable: false };

const TAG_ORIENTATION = 0x0112;
const TAG_GPS_IFD = 0x8825;
const GPS_LATITUDE = 0x0002;
const GPS_LONGITUDE = 0x0004;
const TYPE_SHORT = 3;
const ENTRY_BYTES = 12;

class TiffReader {
  private readonly view: DataView;
  constructor(
    private readonly tiff: Uint8Array,
    private readonly littleEndian: boolean,
  ) {
    this.view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  }

  u16(offset: number): number {
    return this.view.getUint16(offset, this.littleEndian);
  }

  u32(offset: number): number {
    return this.view.getUint32(offset, this.littleEndian);
  }

  /** The tags of the IFD at `offset` and the offset of the next IFD, or undefined if it does not fit. */
  ifd(offset: number): { entries: { tag: number; at: number }[]; next: number } | undefined {
    if (offset < 8 || offset + 2 > this.tiff.length) return undefined;
    const count = this.u16(offset);
    const end = offset + 2 + count * ENTRY_BYTES;
    if (end + 4 > this.tiff.length) return undefined;
    const entries = Array.from({ length: count }, (_, i) => {
      const at = offset + 2 + i * ENTRY_BYTES;
      return { tag: this.u16(at), at };
    });
    return { entries, next: this.u32(end) };
  }
}

/** Says what an EXIF block holds: its orientation (1 when absent), a GPS position, a thumbnail. */
export function inspectExif(tiff: Uint8Array): ExifSummary {
  if (tiff.length < 8) return { readable: false };
  const order = String.fromCharCode(tiff[0] ?? 0, tiff[1] ?? 0);
  if (order !== 'II' && order !== 'MM') return { readable: false };
  const reader = new TiffReader(tiff, order === 'II');
  if (reader.u16(2) !== 42) return { readable: false };
  const ifd0 = reader.ifd(reader.u32(4));
  if (ifd0 === undefined) return { readable: false };

  let orientation = 1;
  let hasGps = false;
  for (const { tag, at } of ifd0.entries) {
    if (tag === TAG_ORIENTATION && reader.u16(at + 2) === TYPE_SHORT && reader.u32(at + 4) === 1) {
      const value = reader.u16(at + 8);
      if (value >= 1 && value <= 8) orientation = value;
    }
    if (tag === TAG_GPS_IFD) {
      const gps = reader.ifd(reader.u32(at + 8));
      // A GPS block that cannot be read is counted as a position: better to say too much than too little.
      hasGps = gps === undefined || gps.entries.some((entry) => entry.tag === GPS_LATITUDE || entry.tag === GPS_LONGITUDE);
    }
  }
  // A second IFD (IFD1) describes the embedded thumbnail, which may show the picture before it was cropped.
  return { readable: true, orientation, hasGps, hasThumbnail: ifd0.next !== 0 };
}

/** A minimal big-endian TIFF holding only the orientation tag. */
export function orientationOnlyExif(orientation: number): Uint8Array {
  const tiff = new Uint8Array(8 + 2 + ENTRY_BYTES + 4);
  const view = new DataView(tiff.buffer);
  tiff.set([0x4d, 0x4d, 0x00, 0x2a]);
  view.setUint32(4, 8);
  view.setUint16(8, 1);
  view.setUint16(10, TAG_ORIENTATION);
  view.setUint16(12, TYPE_SHORT);
  view.setUint32(14, 1);
  view.setUint16(18, orientation);
  view.setUint32(22, 0);
  return tiff;
}

/** What replaces an EXIF block: an orientation-only block when the picture is rotated, else nothing. */
export function exifReplacement(summary: ExifSummary): Uint8Array | undefined {
  return summary.readable && summary.orientation !== 1 ? orientationOnlyExif(summary.orientation) : undefined;
}

/** What removing an EXIF block takes away, as the reporter is told. */
export function exifItems(summary: ExifSummary): RemovedItem[] {
  const items: RemovedItem[] = ['exif'];
  if (summary.readable && summary.hasGps) items.push('gps');
  if (summary.readable && summary.hasThumbnail) items.push('thumbnail');
  return items;
}
