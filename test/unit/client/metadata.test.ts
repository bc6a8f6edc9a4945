/** Metadata removal in the intake client: JPEG and PNG cleaned byte-exactly, everything else reported. */
import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inspectExif, orientationOnlyExif } from '../../../client/intake/metadata/exif';
import { cleanFile, MAX_CLEANED_BYTES } from '../../../client/intake/metadata/index';
import { cleanJpeg } from '../../../client/intake/metadata/jpeg';
import { cleanPng, crc32 } from '../../../client/intake/metadata/png';
import { MalformedImageError, type MalformedImageCode } from '../../../client/intake/metadata/report';
import {
  app0Jfif,
  app14Adobe,
  app1Exif,
  app2Icc,
  buildJpeg,
  buildPng,
  comSegment,
  concat,
  contains,
  exifTiff,
  GPS_LATITUDE_RATIONALS,
  jpegHeaderSegments,
  jpegSegment,
  jpegWithEverything,
  MARKERS,
  pngChunk,
  pngChunks,
  pngExif,
  pngGama,
  pngIccp,
  pngIText,
  pngPhys,
  pngPrivate,
  pngRows,
  pngText,
  pngTime,
  pngZText,
} from '../../fixtures/images/pictures';
import { Random } from '../../helpers/random';
import { malformedCode } from '../../helpers/malformed-image';

const SOS = 0xda;
const EOI = Uint8Array.of(0xff, 0xd9);

/** The first SOS segment and everything after it up to and including EOI. */
function scanPart(jpeg: Uint8Array): Uint8Array {
  const { segments } = jpegHeaderSegments(jpeg);
  const sos = segments.at(-1)!;
  const end = Buffer.from(jpeg).lastIndexOf(Buffer.from(EOI));
  return jpeg.subarray(sos.start, end + 2);
}

function gpsRationalBytes(littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(GPS_LATITUDE_RATIONALS.length * 4);
  GPS_LATITUDE_RATIONALS.forEach((n, i) => new DataView(bytes.buffer).setUint32(i * 4, n, littleEndian));
  return bytes;
}

function pictureFile(bytes: Uint8Array<ArrayBuffer>, name: string, type: string): File {
  return new File([bytes], name, { type });
}

describe('JPEG', () => {
  it('when a photo carries EXIF with GPS and a thumbnail, XMP, IPTC, a comment, MPF and trailing data, then all are removed and named', () => {
    const input = jpegWithEverything();
    const { bytes, removed } = cleanJpeg(input);
    expect(removed).toEqual(['gps', 'exif', 'thumbnail', 'xmp', 'iptc', 'comment', 'trailing', 'other']);
    for (const marker of [MARKERS.camera, MARKERS.gps, MARKERS.thumbnail, MARKERS.xmp, MARKERS.iptc, MARKERS.comment, MARKERS.trailing, MARKERS.unknown]) {
      expect(contains(bytes, marker), marker).toBe(false);
    }
    expect(contains(bytes, gpsRationalBytes(false))).toBe(false);
    expect(contains(bytes, 'Exif')).toBe(false);
  });

  it('when a photo is cleaned, then the segments a decoder needs remain, in order, and the scan data is byte-identical', () => {
    const input = jpegWithEverything();
    const { bytes } = cleanJpeg(input);
    const { segments } = jpegHeaderSegments(bytes);
    // JFIF, ICC profile, Adobe, DQT, SOF0, two DHT, SOS.
    expect(segments.map((s) => s.marker)).toEqual([0xe0, 0xe2, 0xee, 0xdb, 0xc0, 0xc4, 0xc4, SOS]);
    const original = jpegHeaderSegments(input).segments;
    for (const marker of [0xe2, 0xee, 0xdb, 0xc0, 0xc4]) {
      const kept = segments.filter((s) => s.marker === marker).map((s) => Buffer.from(bytes.subarray(s.start, s.end)).toString('hex'));
      const before = original
        .filter((s) => s.marker === marker && !(marker === 0xe2 && contains(input.subarray(s.start, s.end), 'MPF')))
        .map((s) => Buffer.from(input.subarray(s.start, s.end)).toString('hex'));
      expect(kept).toEqual(before);
    }
    expect(Buffer.from(scanPart(bytes)).equals(Buffer.from(scanPart(input)))).toBe(true);
    expect(Buffer.from(bytes.subarray(-2)).equals(Buffer.from(EOI))).toBe(true);
  });

  it('when the fixture is built, then its scan data really holds stuffed 0xFF bytes and restart markers for the cleaner to step over', () => {
    const input = buildJpeg({ blocksWide: 8, blocksHigh: 8, restartInterval: 5, metadata: [comSegment()] });
    const scan = input.subarray(jpegHeaderSegments(input).scanStart);
    expect(contains(scan, Uint8Array.of(0xff, 0x00))).toBe(true);
    expect(contains(scan, Uint8Array.of(0xff, 0xd0))).toBe(true);
    const { bytes, removed } = cleanJpeg(input);
    expect(removed).toEqual(['comment']);
    expect(Buffer.from(scanPart(bytes)).equals(Buffer.from(scanPart(input)))).toBe(true);
  });

  it.each([
    ['big-endian', false],
    ['little-endian', true],
  ])('when %s EXIF says the photo was turned, then only the orientation is kept', (_order, littleEndian) => {
    const input = buildJpeg({ metadata: [app1Exif(exifTiff({ littleEndian, orientation: 6, gps: true }))] });
    const { bytes, removed } = cleanJpeg(input);
    expect(removed).toEqual(['gps', 'exif']);
    const app1 = jpegHeaderSegments(bytes).segments.find((s) => s.marker === 0xe1)!;
    const payload = bytes.subarray(app1.start + 4, app1.end);
    expect(Buffer.from(payload).equals(Buffer.from(concat(Buffer.from('Exif\0\0'), orientationOnlyExif(6))))).toBe(true);
    expect(inspectExif(payload.subarray(6))).toEqual({ readable: true, orientation: 6, hasGps: false, hasThumbnail: false });
    expect(contains(bytes, MARKERS.camera)).toBe(false);
    expect(contains(bytes, gpsRationalBytes(littleEndian))).toBe(false);
  });

  it('when a JFIF header holds a thumbnail, then the density stays and the thumbnail goes', () => {
    const { bytes, removed } = cleanJpeg(buildJpeg({ metadata: [app0Jfif(true)] }));
    expect(removed).toEqual(['thumbnail']);
    expect(contains(bytes, MARKERS.jfifThumbnail)).toBe(false);
    const app0 = jpegHeaderSegments(bytes).segments[0]!;
    expect(Buffer.from(bytes.subarray(app0.start, app0.end)).equals(Buffer.from(app0Jfif(false)))).toBe(true);
  });

  it('when metadata sits between the scans of a progressive picture, then it goes and the tables between scans stay', () => {
    const picture = buildJpeg();
    const firstScan = picture.subarray(0, -2);
    const dhtAt = jpegHeaderSegments(picture).segments.find((s) => s.marker === 0xc4)!;
    const dht = picture.subarray(dhtAt.start, dhtAt.end);
    const secondScan = concat(jpegSegment(SOS, Uint8Array.of(1, 1, 0x00, 1, 5, 0)), Uint8Array.of(0x12, 0x34, 0xff, 0x00, 0x56));
    const xmp = jpegSegment(0xe1, Buffer.from(`http://ns.adobe.com/xap/1.0/\0${MARKERS.xmp}`));
    const { bytes, removed } = cleanJpeg(concat(firstScan, comSegment(), dht, xmp, secondScan, EOI));
    expect(removed).toEqual(['xmp', 'comment']);
    expect(Buffer.from(bytes).equals(Buffer.from(concat(firstScan, dht, secondScan, EOI)))).toBe(true);
  });

  it('when a picture has no metadata, then nothing is reported and the very same bytes come back', () => {
    const input = buildJpeg({ metadata: [app0Jfif(), app2Icc(), app14Adobe()] });
    const result = cleanJpeg(input);
    expect(result.removed).toEqual([]);
    expect(result.bytes).toBe(input);
  });

  it('when a cleaned picture is cleaned again, then nothing more is found', () => {
    for (const exif of [{ gps: true, thumbnail: true }, { orientation: 8, gps: true }]) {
      const once = cleanJpeg(jpegWithEverything(exif)).bytes;
      const twice = cleanJpeg(once);
      expect(twice.removed).toEqual([]);
      expect(twice.bytes).toBe(once);
    }
  });

  it.each<[string, () => Uint8Array<ArrayBuffer>, MalformedImageCode]>([
    ['no start-of-image marker', () => buildJpeg().subarray(2), 'jpeg-bad-marker'],
    ['garbage between segments', () => concat(Uint8Array.of(0xff, 0xd8, 0x00), buildJpeg().subarray(2)), 'jpeg-bad-marker'],
    ['a segment length below two', () => concat(Uint8Array.of(0xff, 0xd8, 0xff, 0xfe, 0x00, 0x01), buildJpeg().subarray(2)), 'jpeg-bad-length'],
    ['a segment longer than the file', () => Uint8Array.of(0xff, 0xd8, 0xff, 0xe1, 0x40, 0x00, 0x45), 'truncated'],
    ['a scan before any frame', () => concat(Uint8Array.of(0xff, 0xd8), jpegSegment(0xda, Uint8Array.of(1, 1, 0, 0, 63, 0)), Uint8Array.of(1, 2), EOI), 'jpeg-no-frame'],
    ['an end marker before any scan', () => Uint8Array.of(0xff, 0xd8, 0xff, 0xd9), 'jpeg-no-frame'],
    ['scan data cut before the end marker', () => buildJpeg().subarray(0, -2), 'jpeg-no-end'],
    ['two frames', () => {
      const picture = buildJpeg();
      const sof = jpegHeaderSegments(picture).segments.find((s) => s.marker === 0xc0)!;
      return concat(picture.subarray(0, sof.end), picture.subarray(sof.start, sof.end), picture.subarray(sof.end));
    }, 'jpeg-unsupported'],
    ['a JPEG-LS frame', () => concat(Uint8Array.of(0xff, 0xd8), jpegSegment(0xf7, Uint8Array.of(8, 0, 8, 0, 8, 1, 1, 0x11, 0)), buildJpeg().subarray(2)), 'jpeg-unsupported'],
    ['a restart marker outside a scan', () => concat(Uint8Array.of(0xff, 0xd8, 0xff, 0xd0), buildJpeg().subarray(2)), 'jpeg-bad-marker'],
  ])('when a file has %s, then it is refused with a reason', (_what, make, code) => {
    expect(malformedCode(() => cleanJpeg(make()))).toBe(code);
  });

  it('when a picture is cut at any byte, then it is refused, never half-cleaned and never a crash', () => {
    const input = jpegWithEverything();
    const end = Buffer.from(input).lastIndexOf(Buffer.from(EOI));
    for (let length = 0; length < end + 2; length++) {
      expect(() => cleanJpeg(input.subarray(0, length))).toThrow(MalformedImageError);
    }
  });

  it('when random bytes of a picture are changed, then cleaning either succeeds or throws MalformedImageError', () => {
    const random = new Random(0x6a706567);
    const input = jpegWithEverything();
    for (let round = 0; round < 2000; round++) {
      const mutated = input.slice();
      for (let flips = random.between(1, 4); flips > 0; flips--) mutated[random.int(mutated.length)] = random.pick([0x00, 0xff, 0xd9, 0xda, random.int(256)]);
      try {
        const { bytes, removed } = cleanJpeg(mutated);
        if (removed.length > 0) expect(() => cleanJpeg(bytes)).not.toThrow();
      } catch (error) {
        expect(error).toBeInstanceOf(MalformedImageError);
      }
    }
  });
});

describe('PNG', () => {
  const everything = () =>
    buildPng({
      before: [pngGama(), pngIccp(), pngPhys(), pngText(), pngExif(), pngTime(), pngPrivate()],
      after: [pngZText(), pngIText()],
      trailing: Buffer.from(`PK\x03\x04${MARKERS.trailing}`),
    });

  it('when a picture carries text, EXIF with GPS, a time, a private chunk and trailing data, then all are removed and named', () => {
    const { bytes, removed } = cleanPng(everything());
    expect(removed).toEqual(['gps', 'exif', 'thumbnail', 'text', 'time', 'trailing', 'other']);
    for (const marker of [MARKERS.camera, MARKERS.gps, MARKERS.thumbnail, MARKERS.pngText, MARKERS.pngIText, MARKERS.pngZTextKeyword, MARKERS.trailing, MARKERS.unknown]) {
      expect(contains(bytes, marker), marker).toBe(false);
    }
  });

  it('when a picture is cleaned, then the chunks needed to show it remain byte-identical, with right CRCs, and the pixels are the same', () => {
    const input = everything();
    const { bytes } = cleanPng(input);
    const chunks = pngChunks(bytes);
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'gAMA', 'iCCP', 'pHYs', 'IDAT', 'IDAT', 'IEND']);
    expect(chunks.every((c) => c.crcOk)).toBe(true);
    const before = pngChunks(input).filter((c) => chunks.some((kept) => kept.type === c.type));
    expect(chunks.map((c) => Buffer.from(c.data).toString('hex'))).toEqual(before.map((c) => Buffer.from(c.data).toString('hex')));
    const idat = concat(...chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
    expect(Buffer.from(inflateSync(idat)).equals(Buffer.from(pngRows(8, 8)))).toBe(true);
    const end = Buffer.from(bytes).lastIndexOf(Buffer.from('IEND'));
    expect(bytes.length).toBe(end + 8);
  });

  it('when the EXIF says the picture was turned, then an orientation-only eXIf chunk replaces it', () => {
    const { bytes, removed } = cleanPng(buildPng({ before: [pngExif({ littleEndian: true, orientation: 3, gps: true })] }));
    expect(removed).toEqual(['gps', 'exif']);
    const exif = pngChunks(bytes).find((c) => c.type === 'eXIf')!;
    expect(exif.crcOk).toBe(true);
    expect(Buffer.from(exif.data).equals(Buffer.from(orientationOnlyExif(3)))).toBe(true);
  });

  it('when a picture has no metadata, then the very same bytes come back; cleaned twice, nothing more is found', () => {
    const plain = buildPng({ before: [pngGama(), pngPhys()] });
    expect(cleanPng(plain).bytes).toBe(plain);
    for (const input of [everything(), buildPng({ before: [pngExif({ orientation: 5 })] })]) {
      const once = cleanPng(input).bytes;
      const twice = cleanPng(once);
      expect(twice.removed).toEqual([]);
      expect(twice.bytes).toBe(once);
    }
  });

  it('when a chunk that is dropped anyway has a wrong CRC, then the picture is still cleaned', () => {
    const text = pngText();
    text[text.length - 1]! ^= 1;
    expect(cleanPng(buildPng({ before: [text] })).removed).toEqual(['text']);
  });

  it.each<[string, () => Uint8Array<ArrayBuffer>, MalformedImageCode]>([
    ['no PNG signature', () => buildPng().subarray(1), 'png-bad-signature'],
    ['a wrong CRC on image data', () => {
      const png = buildPng();
      const idat = Buffer.from(png).indexOf('IDAT');
      png[idat + 6]! ^= 0x01;
      return png;
    }, 'png-bad-crc'],
    ['an unknown critical chunk', () => buildPng({ before: [pngChunk('CgBI', Uint8Array.of(0x50, 0, 0x20, 2))] }), 'png-unknown-critical'],
    ['a chunk type that is not letters', () => buildPng({ before: [pngChunk('te1t', Uint8Array.of(1))] }), 'png-bad-chunk'],
    ['a chunk before IHDR', () => {
      const png = buildPng();
      return concat(png.subarray(0, 8), pngGama(), png.subarray(8));
    }, 'png-bad-order'],
    ['no image data', () => {
      const png = buildPng();
      const chunks = pngChunks(png);
      return concat(png.subarray(0, 8), pngChunk('IHDR', chunks[0]!.data), pngChunk('IEND', new Uint8Array(0)));
    }, 'png-bad-order'],
    ['no IEND', () => buildPng().subarray(0, -12), 'png-no-end'],
    ['a chunk longer than the file', () => buildPng().subarray(0, -13), 'truncated'],
  ])('when a file has %s, then it is refused with a reason', (_what, make, code) => {
    expect(malformedCode(() => cleanPng(make()))).toBe(code);
  });

  it('when a picture is cut at any byte, then it is refused, never half-cleaned and never a crash', () => {
    const input = everything();
    const end = Buffer.from(input).lastIndexOf(Buffer.from('IEND')) + 8;
    for (let length = 0; length < end; length++) {
      expect(() => cleanPng(input.subarray(0, length))).toThrow(MalformedImageError);
    }
  });

  it('when CRCs are computed, then they equal those of Node’s zlib', () => {
    const random = new Random(0x706e67);
    for (const length of [0, 1, 7, 64, 1000, 65_537]) {
      const data = random.bytes(length);
      expect(crc32(data)).toBe(zlibCrc32(data));
    }
  });
});

describe('cleanFile', () => {
  it('when a JPEG is named like a text file, then it is still recognised by its bytes and cleaned', async () => {
    const input = jpegWithEverything();
    const original = pictureFile(input, 'notes.txt', 'text/plain');
    const { file, report } = await cleanFile(original);
    expect(report).toEqual({ format: 'jpeg', status: 'cleaned', removed: ['gps', 'exif', 'thumbnail', 'xmp', 'iptc', 'comment', 'trailing', 'other'], advice: 'picture' });
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect(Buffer.from(bytes).equals(Buffer.from(cleanJpeg(input).bytes))).toBe(true);
    expect(file.size).toBeLessThan(original.size);
    expect(file.type).toBe('text/plain');
  });

  it('when a text file is named like a photo, then it is not checked and the reporter is told', async () => {
    const original = pictureFile(new Uint8Array(Buffer.from('just some text')), 'photo.jpg', 'image/jpeg');
    const result = await cleanFile(original);
    expect(result.report).toEqual({ format: 'other', status: 'not-checked', removed: [], advice: 'other' });
    expect(result.file).toBe(original);
  });

  it('when a PNG has metadata, then the cleaned copy is what would be sent', async () => {
    const original = pictureFile(buildPng({ before: [pngText()] }), 'scan.png', 'image/png');
    const { file, report, original: kept } = await cleanFile(original);
    expect(report.status).toBe('cleaned');
    expect(report.removed).toEqual(['text']);
    expect(kept).toBe(original);
    expect(contains(new Uint8Array(await file.arrayBuffer()), MARKERS.pngText)).toBe(false);
  });

  it('when a picture has nothing to remove, then the picked file itself is kept', async () => {
    const original = pictureFile(buildJpeg({ metadata: [app0Jfif()] }), 'plain.jpg', 'image/jpeg');
    const result = await cleanFile(original);
    expect(result.report).toEqual({ format: 'jpeg', status: 'nothing-found', removed: [], advice: 'picture' });
    expect(result.file).toBe(original);
  });

  it('when a picture is malformed, then it is flagged, left as it is, and the reason kept', async () => {
    const original = pictureFile(jpegWithEverything().subarray(0, 200), 'cut.jpg', 'image/jpeg');
    const result = await cleanFile(original);
    expect(result.report).toEqual({ format: 'jpeg', status: 'could-not-clean', removed: [], advice: 'malformed', problem: 'truncated' });
    expect(result.file).toBe(original);
  });

  it.each([
    ['an old Office document', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'office', 'document'],
    ['a ZIP archive', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(22), Buffer.from([9, 0, 0, 0]), Buffer.from('photo.jpg')]), 'archive', 'archive'],
    ['a TIFF picture', Buffer.from('II*\0\x08\0\0\0'), 'image', 'image-format'],
    ['a WAV recording', Buffer.from('RIFF\x24\0\0\0WAVEfmt '), 'media', 'media'],
    ['an Ogg recording', Buffer.from('OggS\0\x02\0\0'), 'media', 'media'],
    ['an empty file', Buffer.alloc(0), 'other', 'other'],
  ] as const)('when the file is %s, then it is not checked and the advice fits it', async (_what, bytes, format, advice) => {
    const result = await cleanFile(new File([new Uint8Array(bytes)], 'file.bin'));
    expect(result.report).toEqual({ format, status: 'not-checked', removed: [], advice });
  });

  it('when a picture is larger than the limit, then it is not read whole and is reported as too large to check', async () => {
    const original = new File([jpegWithEverything(), new Uint8Array(MAX_CLEANED_BYTES)], 'huge.jpg', { type: 'image/jpeg' });
    const result = await cleanFile(original);
    expect(result.report).toEqual({ format: 'jpeg', status: 'not-checked', removed: [], advice: 'too-large' });
    expect(result.file).toBe(original);
  });

  it('when the file cannot be read any more, then it is reported as unreadable', async () => {
    class VanishedFile extends File {
      override slice(): Blob {
        return this;
      }
      override arrayBuffer(): Promise<ArrayBuffer> {
        return Promise.reject(new DOMException('The file changed on disk.', 'NotReadableError'));
      }
    }
    const result = await cleanFile(new VanishedFile([buildJpeg()], 'gone.jpg'));
    expect(result.report).toEqual({ format: 'other', status: 'not-checked', removed: [], advice: 'unreadable' });
  });
});
