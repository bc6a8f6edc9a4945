/** WebP and GIF metadata removal: what goes, what a decoder needs stays byte for byte, ExifTool agrees. */
import { describe, expect, it } from 'vitest';
import { cleanFile } from '../../../../../client/intake/metadata/index';
import { cleanGif } from '../../../../../client/intake/metadata/gif';
import { MalformedImageError } from '../../../../../client/intake/metadata/report';
import { cleanWebp } from '../../../../../client/intake/metadata/webp';
import { concat, contains, exifTiff, MARKERS } from '../../../../fixtures/images/pictures';
import {
  animatedWebpWithMetadata,
  anmf,
  gifFrame,
  gifGraphicControl,
  gifLooping,
  gifWithMetadata,
  iccProfile,
  MEDIA_MARKERS,
  riffChunk,
  VP8L_1X1,
  vp8x,
  WEBP_FLAGS,
  webpFile,
  webpWithMetadata,
} from '../../../../fixtures/media/media-files';
import { exifToolTags, tagsMatching } from '../../../../helpers/exiftool';
import { malformedCode } from '../../../../helpers/malformed-image';

/** An independent walk of a WebP's top-level chunks: type and data. */
function webpChunks(bytes: Uint8Array): { type: string; data: Uint8Array }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(view.getUint32(4, true)).toBe(bytes.length - 8);
  const chunks = [];
  for (let at = 12; at < bytes.length; ) {
    const size = view.getUint32(at + 4, true);
    chunks.push({ type: String.fromCharCode(...bytes.subarray(at, at + 4)), data: bytes.subarray(at + 8, at + 8 + size) });
    at += 8 + size + (size & 1);
  }
  return chunks;
}

/** Tags that say who, where or with what; the ICC profile's header names a device class, not a person, and is kept. */
const IDENTIFYING_TAGS = /^(?!ICC).*(GPS|Make|Model|Software|XMP|Creator|Comment|Thumbnail)/;

describe('WebP', () => {
  it('when a still WebP carries EXIF with GPS and a thumbnail, XMP and an unknown chunk, then they go, the VP8X flags say so, and ICC and pixels stay', () => {
    const input = webpWithMetadata();
    expect(tagsMatching(exifToolTags(input, 'webp'), IDENTIFYING_TAGS).length).toBeGreaterThan(5);
    const { bytes, removed } = cleanWebp(input);
    expect(removed).toEqual(['gps', 'exif', 'thumbnail', 'xmp', 'other']);
    expect(webpChunks(bytes).map((chunk) => chunk.type)).toEqual(['VP8X', 'ICCP', 'VP8L']);
    const [header, icc, frame] = webpChunks(bytes);
    expect(header!.data[0]).toBe(WEBP_FLAGS.icc);
    expect(icc!.data).toEqual(iccProfile());
    expect(frame!.data).toEqual(VP8L_1X1);
    for (const marker of [MARKERS.camera, MARKERS.gps, MEDIA_MARKERS.xmp, MEDIA_MARKERS.unknown]) expect(contains(bytes, marker), marker).toBe(false);

    const tags = exifToolTags(bytes, 'webp');
    expect(tagsMatching(tags, IDENTIFYING_TAGS)).toEqual([]);
    expect(tagsMatching(tags, /^ExifTool:(Warning|Error)/)).toEqual([]);
    expect(tags['RIFF:ImageWidth']).toBe(1);
  });

  it('when an animated WebP is cleaned, then both frames stay, and an unknown chunk inside a frame goes', () => {
    const input = animatedWebpWithMetadata();
    const { bytes, removed } = cleanWebp(input);
    expect(removed).toEqual(['gps', 'exif', 'xmp', 'other']);
    const chunks = webpChunks(bytes);
    expect(chunks.map((chunk) => chunk.type)).toEqual(['VP8X', 'ANIM', 'ANMF', 'ANMF']);
    expect(chunks[0]!.data[0]).toBe(WEBP_FLAGS.animation);
    expect(riffChunk('ANMF', chunks[2]!.data)).toEqual(anmf(100));
    expect(riffChunk('ANMF', chunks[3]!.data)).toEqual(anmf(200));
    const tags = exifToolTags(bytes, 'webp');
    expect(tagsMatching(tags, IDENTIFYING_TAGS)).toEqual([]);
    expect(tags['RIFF:Duration']).toBe(0.3);
  });

  it('when the EXIF says the picture was turned, then an orientation-only EXIF chunk stays with its flag', () => {
    const input = webpFile([vp8x(WEBP_FLAGS.exif), riffChunk('VP8L', VP8L_1X1), riffChunk('EXIF', exifTiff({ orientation: 6, gps: true }))]);
    const { bytes, removed } = cleanWebp(input);
    expect(removed).toEqual(['gps', 'exif']);
    expect(webpChunks(bytes)[0]!.data[0]).toBe(WEBP_FLAGS.exif);
    const tags = exifToolTags(bytes, 'webp');
    expect(tags['IFD0:Orientation']).toBe(6);
    expect(tagsMatching(tags, IDENTIFYING_TAGS)).toEqual([]);
    expect(cleanWebp(bytes).removed).toEqual([]);
  });

  it('when a WebP has no metadata, then the very same bytes come back; trailing data after the RIFF chunk goes', () => {
    const plain = webpFile([riffChunk('VP8L', VP8L_1X1)]);
    expect(cleanWebp(plain).bytes).toBe(plain);
    const withTrailing = webpFile([riffChunk('VP8L', VP8L_1X1)], new TextEncoder().encode(MARKERS.trailing));
    const { bytes, removed } = cleanWebp(withTrailing);
    expect(removed).toEqual(['trailing']);
    expect(bytes).toEqual(plain);
  });

  it('when a WebP is cut at any byte, or its structure is wrong, then it is refused, never half-cleaned', () => {
    const input = webpWithMetadata();
    for (let length = 0; length < input.length; length++) {
      expect(() => cleanWebp(input.slice(0, length)), `cut at ${length}`).toThrow(MalformedImageError);
    }
    expect(malformedCode(() => cleanWebp(webpFile([vp8x(0), riffChunk('EXIF', exifTiff())])))).toBe('webp-bad-order');
    expect(malformedCode(() => cleanWebp(webpFile([riffChunk('EXIF', exifTiff()), riffChunk('VP8L', VP8L_1X1)])))).toBe('webp-bad-order');
    expect(malformedCode(() => cleanWebp(webpFile([vp8x(0), riffChunk('VP8L', VP8L_1X1), vp8x(0)])))).toBe('webp-bad-order');
    const lying = webpWithMetadata();
    new DataView(lying.buffer).setUint32(4, lying.length, true);
    expect(malformedCode(() => cleanWebp(lying))).toBe('truncated');
  });

  it('when random bytes of a WebP are changed, then cleaning either succeeds or throws MalformedImageError', () => {
    const input = webpWithMetadata();
    for (let round = 0; round < 300; round++) {
      const changed = input.slice();
      changed[(round * 7919) % changed.length] = (round * 31) & 0xff;
      try {
        cleanWebp(changed);
      } catch (error) {
        expect(error).toBeInstanceOf(MalformedImageError);
      }
    }
  });
});

describe('GIF', () => {
  it('when a looping GIF carries comments, XMP and a private application extension, then they go and the frames, timing and looping stay', () => {
    const input = gifWithMetadata(new TextEncoder().encode(MARKERS.trailing));
    expect(tagsMatching(exifToolTags(input, 'gif'), IDENTIFYING_TAGS).length).toBeGreaterThan(1);
    const { bytes, removed } = cleanGif(input);
    expect(removed).toEqual(['xmp', 'comment', 'trailing', 'other']);
    const expected = concat(input.subarray(0, 19), gifLooping(), gifGraphicControl(10), gifFrame(), gifGraphicControl(20), gifFrame(), Uint8Array.of(0x3b));
    expect(bytes).toEqual(expected);
    for (const marker of [MEDIA_MARKERS.comment, MEDIA_MARKERS.xmp, MEDIA_MARKERS.application, MARKERS.trailing]) expect(contains(bytes, marker), marker).toBe(false);

    const tags = exifToolTags(bytes, 'gif');
    expect(tagsMatching(tags, IDENTIFYING_TAGS)).toEqual([]);
    expect(tagsMatching(tags, /^ExifTool:(Warning|Error)/)).toEqual([]);
    expect(tags['GIF:FrameCount']).toBe(2);
    expect(tags['GIF:AnimationIterations']).toBe(0);
    expect(cleanGif(bytes)).toEqual({ bytes, removed: [] });
  });

  it('when a GIF is cut at any byte, or holds a block it does not know, then it is refused, never half-cleaned', () => {
    const input = gifWithMetadata();
    for (let length = 0; length < input.length; length++) {
      expect(() => cleanGif(input.slice(0, length)), `cut at ${length}`).toThrow(MalformedImageError);
    }
    const header = input.subarray(0, 19);
    expect(malformedCode(() => cleanGif(concat(header, Uint8Array.of(0x3b))))).toBe('gif-no-image');
    expect(malformedCode(() => cleanGif(concat(header, Uint8Array.of(0x2a), gifFrame(), Uint8Array.of(0x3b))))).toBe('gif-bad-block');
    expect(malformedCode(() => cleanGif(new TextEncoder().encode('GIF90a')))).toBe('gif-bad-signature');
  });

  it('when random bytes of a GIF are changed, then cleaning either succeeds or throws MalformedImageError', () => {
    const input = gifWithMetadata();
    for (let round = 0; round < 300; round++) {
      const changed = input.slice();
      changed[(round * 7919) % changed.length] = (round * 31) & 0xff;
      try {
        cleanGif(changed);
      } catch (error) {
        expect(error).toBeInstanceOf(MalformedImageError);
      }
    }
  });
});

describe('cleanFile with WebP and GIF', () => {
  it('when a WebP or a GIF is picked, then it is recognised by its bytes, cleaned, and the report names what went', async () => {
    const webp = await cleanFile(new File([webpWithMetadata()], 'photo.bin'));
    expect(webp.report).toEqual({ format: 'webp', status: 'cleaned', removed: ['gps', 'exif', 'thumbnail', 'xmp', 'other'], advice: 'picture' });
    expect(new Uint8Array(await webp.file.arrayBuffer())).toEqual(cleanWebp(webpWithMetadata()).bytes);
    const gif = await cleanFile(new File([gifWithMetadata()], 'animation.gif', { type: 'image/gif' }));
    expect(gif.report).toEqual({ format: 'gif', status: 'cleaned', removed: ['xmp', 'comment', 'other'], advice: 'picture' });
    expect(gif.file.type).toBe('image/gif');
  });

  it('when a WebP is malformed, then it is flagged and left as it is', async () => {
    const original = new File([webpWithMetadata().slice(0, 60)], 'cut.webp');
    const { file, report } = await cleanFile(original);
    expect(file).toBe(original);
    expect(report).toEqual({ format: 'webp', status: 'could-not-clean', removed: [], advice: 'malformed', problem: 'truncated' });
  });
});
