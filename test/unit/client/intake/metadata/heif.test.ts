/**
 * HEIC/AVIF metadata neutralised in place: EXIF (with GPS) and XMP items gone as ExifTool reads
 * them, no byte moved, every other item's bytes unchanged, and anything not understood refused.
 * The fixture is a HEIF container built here byte by byte; its image item need not decode, as
 * ExifTool (the outside judge) reads the container, not the picture. No browser test: the cleaner
 * uses only Blob slicing, which the unit tests exercise in Node as browsers provide it.
 */
import { describe, expect, it } from 'vitest';
import { HIDDEN_ITEM_TYPE, cleanHeif } from '../../../../../client/intake/metadata/heif';
import { cleanFile } from '../../../../../client/intake/metadata/index';
import { MalformedImageError, type MalformedImageCode } from '../../../../../client/intake/metadata/report';
import { concat, contains, exifTiff, MARKERS } from '../../../../fixtures/images/pictures';
import { xmpPacket } from '../../../../fixtures/media/media-files';
import { exifToolTags, tagsMatching } from '../../../../helpers/exiftool';

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const u8 = (n: number) => Uint8Array.of(n);
const u16 = (n: number) => Uint8Array.of(n >>> 8, n & 0xff);
const u32 = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
const box = (type: string, ...parts: Uint8Array[]) => {
  const body = concat(...parts);
  return concat(u32(8 + body.length), ascii(type), body);
};
const fullBox = (type: string, version: number, ...parts: Uint8Array[]) => box(type, u8(version), new Uint8Array(3), ...parts);

const IMAGE = ascii('FIXTURE-HEVC-IMAGE-DATA-5d2e'.repeat(4));
const THUMBNAIL = ascii('FIXTURE-HEVC-THUMBNAIL-8a41');
const EXIF_ITEM = concat(u32(6), ascii('Exif\0\0'), exifTiff({ gps: true }));
const XMP_ITEM = xmpPacket();

interface HeifOptions {
  readonly ilocVersion?: 0 | 1 | 2;
  /** The XMP item in the meta box's idat (construction method 1) rather than in mdat. */
  readonly xmpInIdat?: boolean;
  readonly brand?: string;
}

interface Item {
  readonly id: number;
  readonly infe: Uint8Array;
  readonly data: Uint8Array;
  readonly inIdat?: boolean;
}

/** A HEIF file: a primary 'hvc1' image with a thumbnail, an EXIF item with GPS and an XMP item, described by iinf, iref, iprp and iloc. */
function buildHeif(options: HeifOptions = {}): { bytes: Uint8Array<ArrayBuffer>; extents: Map<number, [number, number]> } {
  const version = options.ilocVersion ?? 1;
  const infe = (id: number, type: string, ...rest: Uint8Array[]) => fullBox('infe', 2, u16(id), u16(0), ascii(type), ascii('\0'), ...rest);
  const items: Item[] = [
    { id: 1, infe: infe(1, 'hvc1'), data: IMAGE },
    { id: 2, infe: infe(2, 'hvc1'), data: THUMBNAIL },
    { id: 3, infe: infe(3, 'Exif'), data: EXIF_ITEM },
    { id: 4, infe: infe(4, 'mime', ascii('application/rdf+xml\0')), data: XMP_ITEM, inIdat: options.xmpInIdat ?? false },
  ];
  const ftyp = box('ftyp', ascii(options.brand ?? 'heic'), u32(0), ascii('mif1'), ascii(options.brand ?? 'heic'));
  const idatItems = items.filter((item) => item.inIdat);
  const mdatItems = items.filter((item) => !item.inIdat);
  const meta = (offsets: Map<number, number>) => {
    const idSize = version === 2 ? u32 : u16;
    const iloc = fullBox(
      'iloc',
      version,
      u8(0x44),
      u8(0x00),
      idSize(items.length),
      ...items.flatMap((item) => [idSize(item.id), ...(version === 0 ? [] : [u16(item.inIdat ? 1 : 0)]), u16(0), u16(1), u32(offsets.get(item.id) ?? 0), u32(item.data.length)]),
    );
    return fullBox(
      'meta',
      0,
      fullBox('hdlr', 0, u32(0), ascii('pict'), new Uint8Array(12), ascii('\0')),
      fullBox('pitm', 0, u16(1)),
      fullBox('iinf', 0, u16(items.length), ...items.map((item) => item.infe)),
      fullBox('iref', 0, box('thmb', u16(2), u16(1), u16(1)), box('cdsc', u16(3), u16(1), u16(1)), box('cdsc', u16(4), u16(1), u16(1))),
      box('iprp', box('ipco', fullBox('ispe', 0, u32(64), u32(64))), fullBox('ipma', 0, u32(2), u16(1), u8(1), u8(0x81), u16(2), u8(1), u8(0x81))),
      iloc,
      ...(idatItems.length > 0 ? [box('idat', ...idatItems.map((item) => item.data))] : []),
    );
  };
  const metaSize = meta(new Map()).length;
  const offsets = new Map<number, number>();
  const extents = new Map<number, [number, number]>();
  let at = ftyp.length + metaSize + 8;
  for (const item of mdatItems) {
    offsets.set(item.id, at);
    extents.set(item.id, [at, at + item.data.length]);
    at += item.data.length;
  }
  let inIdat = 0;
  const idatStart = ftyp.length + metaSize - idatItems.reduce((sum, item) => sum + item.data.length, 0);
  for (const item of idatItems) {
    offsets.set(item.id, inIdat);
    extents.set(item.id, [idatStart + inIdat, idatStart + inIdat + item.data.length]);
    inIdat += item.data.length;
  }
  const bytes = concat(ftyp, meta(offsets), box('mdat', ...mdatItems.map((item) => item.data)));
  return { bytes, extents };
}

async function clean(bytes: Uint8Array<ArrayBuffer>) {
  const { file, removed } = await cleanHeif(new Blob([bytes], { type: 'image/heic' }));
  return { bytes: new Uint8Array(await file.arrayBuffer()), removed, file };
}

async function malformedCode(bytes: Uint8Array<ArrayBuffer>): Promise<MalformedImageCode> {
  try {
    await cleanHeif(new Blob([bytes]));
  } catch (error) {
    if (error instanceof MalformedImageError) return error.code;
    throw error;
  }
  throw new Error('expected MalformedImageError');
}

const IDENTIFYING_TAGS = /GPS|Make|Model|XMP|Creator|IFD0|ExifIFD/;
const bytesOf = (bytes: Uint8Array, [start, end]: [number, number]) => Buffer.from(bytes.subarray(start, end));

describe('HEIC and AVIF', () => {
  it.each([
    ['iloc version 1, everything in mdat', { ilocVersion: 1 }],
    ['iloc version 0', { ilocVersion: 0 }],
    ['iloc version 2, the XMP in idat', { ilocVersion: 2, xmpInIdat: true }],
    ['an AVIF picture', { brand: 'avif' }],
  ] as [string, HeifOptions][])('when a photo (%s) holds EXIF with GPS and XMP, then both are zeroed in place and ExifTool finds none, without a warning', async (_what, options) => {
    const { bytes: input, extents } = buildHeif(options);
    const extension = options.brand === 'avif' ? 'avif' : 'heic';
    const before = exifToolTags(input, extension);
    expect(before['IFD0:Make']).toBe(MARKERS.camera);
    expect(before['GPS:GPSLatitude']).toBeCloseTo(52.52, 2);
    expect(contains(input, MARKERS.xmp)).toBe(true);
    if (options.xmpInIdat) {
      // ExifTool 12 does not read items stored in idat; other readers (libheif) do.
      expect(before['ExifTool:Warning']).toMatch(/application\/rdf\+xml with construction method 1/);
    } else {
      expect(tagsMatching(before, /^ExifTool:(Warning|Error)/)).toEqual([]);
      expect(before['XMP-dc:Creator']).toBe(MARKERS.xmp);
    }

    const { bytes, removed } = await clean(input);
    expect(removed).toEqual(['gps', 'exif', 'xmp']);
    expect(bytes.length).toBe(input.length);
    for (const marker of [MARKERS.camera, MARKERS.gps, MARKERS.xmp, 'application/rdf+xml', 'Exif']) expect(contains(bytes, marker), marker).toBe(false);
    expect(bytesOf(bytes, extents.get(3)!).every((byte) => byte === 0)).toBe(true);
    expect(bytesOf(bytes, extents.get(4)!).every((byte) => byte === 0)).toBe(true);
    // Every byte outside the meta box and the two metadata items is the same as before.
    for (const id of [1, 2]) expect(bytesOf(bytes, extents.get(id)!).equals(bytesOf(input, extents.get(id)!))).toBe(true);
    expect(contains(bytes, HIDDEN_ITEM_TYPE)).toBe(true);

    const tags = exifToolTags(bytes, extension);
    expect(tagsMatching(tags, IDENTIFYING_TAGS)).toEqual([]);
    expect(tagsMatching(tags, /^ExifTool:(Warning|Error)/)).toEqual([]);
    expect(tags['Meta:PrimaryItemReference']).toBe(1);
    expect(tags['QuickTime:ImageSpatialExtent']).toBe('64 64');
    // Cleaned again, nothing more is found.
    expect((await clean(bytes)).removed).toEqual([]);
  });

  it('when a photo has no EXIF or XMP item, then the very file picked comes back', async () => {
    const { bytes: input } = buildHeif();
    const stripped = input.slice();
    // Rename the two metadata items' types to ordinary image items: nothing to clean.
    for (const type of ['Exif', 'mime']) stripped.set(ascii('hvc1'), Buffer.from(stripped).indexOf(type));
    const blob = new Blob([stripped]);
    expect(await cleanHeif(blob)).toEqual({ file: blob, removed: [] });
  });

  it('when an EXIF extent overlaps the picture, lies outside the media data, or the file holds an image sequence or data elsewhere, then the file is refused', async () => {
    const { bytes: input, extents } = buildHeif();
    const ilocAt = Buffer.from(input).indexOf('iloc') - 4;
    // In iloc version 1 with 4-byte offsets (16 bytes an item after 16 bytes of header), item 3's offset field.
    const exifOffsetAt = ilocAt + 16 + 2 * 16 + 8;
    const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset);
    expect(view(input).getUint32(exifOffsetAt)).toBe(extents.get(3)![0]);
    const withExifAt = (offset: number) => {
      const changed = input.slice();
      view(changed).setUint32(exifOffsetAt, offset);
      return changed;
    };
    expect(await malformedCode(withExifAt(extents.get(1)![0]))).toBe('heif-bad-extent');
    expect(await malformedCode(withExifAt(extents.get(4)![0]))).toBe('heif-bad-extent');
    expect(await malformedCode(withExifAt(20))).toBe('heif-bad-extent');
    expect(await malformedCode(withExifAt(input.length))).toBe('heif-bad-extent');
    const method2 = input.slice();
    view(method2).setUint16(exifOffsetAt - 6, 2);
    expect(await malformedCode(method2)).toBe('heif-unsupported');
    const otherFile = input.slice();
    view(otherFile).setUint16(exifOffsetAt - 4, 1);
    expect(await malformedCode(otherFile)).toBe('heif-unsupported');
    expect(await malformedCode(concat(input, box('moov', box('mvhd', new Uint8Array(100)))))).toBe('heif-sequence');
    expect(await malformedCode(input.slice(Buffer.from(input).indexOf('meta') - 4))).toBe('heif-bad-structure');
  });

  it('when a photo is cut at any byte, then cleaning throws MalformedImageError', async () => {
    const { bytes: input } = buildHeif({ xmpInIdat: true });
    for (let length = 0; length < input.length; length++) {
      await expect(cleanHeif(new Blob([input.slice(0, length)])), `cut at ${length}`).rejects.toBeInstanceOf(MalformedImageError);
    }
  });

  it('when random bytes of a photo are changed, then cleaning either succeeds or throws MalformedImageError', async () => {
    const { bytes: input } = buildHeif({ xmpInIdat: true });
    const metaEnd = Buffer.from(input).indexOf('mdat');
    for (let round = 0; round < 400; round++) {
      const changed = input.slice();
      // Mostly in the boxes, where the structure is.
      changed[(round * 7919) % metaEnd] = (round * 31) & 0xff;
      try {
        await cleanHeif(new Blob([changed]));
      } catch (error) {
        expect(error).toBeInstanceOf(MalformedImageError);
      }
    }
  });
});

describe('cleanFile with HEIC pictures', () => {
  it('when a HEIC photo is picked, then it is cleaned and the report names what went with the HEIF advice', async () => {
    const { file, report } = await cleanFile(new File([buildHeif().bytes], 'IMG_0001.HEIC', { type: 'image/heic' }));
    expect(report).toEqual({ format: 'heif', status: 'cleaned', removed: ['gps', 'exif', 'xmp'], advice: 'heif' });
    expect(file.type).toBe('image/heic');
  });

  it('when a HEIC file holds a picture sequence, then it is not checked and the reporter is told to add a screenshot', async () => {
    const original = new File([concat(buildHeif({ brand: 'msf1' }).bytes, box('moov', box('mvhd', new Uint8Array(100))))], 'burst.heics');
    const { file, report } = await cleanFile(original);
    expect(file).toBe(original);
    expect(report).toEqual({ format: 'heif', status: 'not-checked', removed: [], advice: 'image-format' });
  });

  it('when a HEIC photo is malformed, then it is flagged and left as it is', async () => {
    const original = new File([buildHeif().bytes.slice(0, 100)], 'cut.heic');
    const { file, report } = await cleanFile(original);
    expect(file).toBe(original);
    expect(report).toMatchObject({ format: 'heif', status: 'could-not-clean', removed: [], advice: 'malformed' });
  });
});
