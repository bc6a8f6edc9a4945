/**
 * MP4/MOV metadata neutralised in place: location, device and times gone as ExifTool reads them,
 * no byte moved (the sample offsets still point at the samples), and only headers and the movie
 * box read from the file.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanFile } from '../../../../../client/intake/metadata/index';
import { cleanIsobmff } from '../../../../../client/intake/metadata/isobmff';
import { MalformedImageError, type MalformedImageCode } from '../../../../../client/intake/metadata/report';
import { concat, contains } from '../../../../fixtures/images/pictures';
import { isoBox, ISO6709, MEDIA_MARKERS, mp4WithMetadata, UDTA_ISO6709, xmpUuidBox } from '../../../../fixtures/media/media-files';
import { exifToolTags, tagsMatching } from '../../../../helpers/exiftool';

async function clean(bytes: Uint8Array<ArrayBuffer>) {
  const { file, removed } = await cleanIsobmff(new Blob([bytes], { type: 'video/mp4' }));
  return { bytes: new Uint8Array(await file.arrayBuffer()), removed, file };
}

async function malformedCode(bytes: Uint8Array<ArrayBuffer>): Promise<MalformedImageCode> {
  try {
    await cleanIsobmff(new Blob([bytes]));
  } catch (error) {
    if (error instanceof MalformedImageError) return error.code;
    throw error;
  }
  throw new Error('expected MalformedImageError');
}

/** The sample's bytes where the stco box says they are, read independently of the cleaner. */
function sampleAtChunkOffset(bytes: Uint8Array): string {
  const at = Buffer.from(bytes).indexOf('stco');
  const offset = new DataView(bytes.buffer, bytes.byteOffset).getUint32(at + 12);
  return Buffer.from(bytes.subarray(offset, offset + MEDIA_MARKERS.sample.length)).toString('latin1');
}

const IDENTIFYING_TAGS = /GPS|Make|Model|Software|Encoder|XMP|Creator|CreationDate/;

describe('MP4 and MOV', () => {
  afterEach(() => vi.restoreAllMocks());

  it('when a phone video holds its place, make, model and software in udta and in meta keys, and its times, then all are neutralised and ExifTool finds none', async () => {
    const input = mp4WithMetadata();
    const before = exifToolTags(input, 'mp4');
    expect(before['UserData:GPSCoordinates']).toBe('52.52 13.405');
    expect(before['Keys:GPSCoordinates']).toBe('52.52 13.405 34');
    expect(before['UserData:Make']).toBe(MEDIA_MARKERS.make);
    expect(before['Keys:Model']).toBe(MEDIA_MARKERS.keyModel);
    expect(Object.values(before)).toContain(MEDIA_MARKERS.encoder);

    const { bytes, removed } = await clean(input);
    expect(removed).toEqual(['gps', 'device', 'recording-time']);
    expect(bytes.length).toBe(input.length);
    for (const marker of [ISO6709, UDTA_ISO6709, MEDIA_MARKERS.make, MEDIA_MARKERS.model, MEDIA_MARKERS.software, MEDIA_MARKERS.keyMake, MEDIA_MARKERS.keyModel, MEDIA_MARKERS.encoder, '2024-05-01']) {
      expect(contains(bytes, marker), marker).toBe(false);
    }
    const tags = exifToolTags(bytes, 'mp4');
    expect(tagsMatching(tags, IDENTIFYING_TAGS)).toEqual([]);
    expect(tagsMatching(tags, /^ExifTool:(Warning|Error)/)).toEqual([]);
    for (const name of ['QuickTime:CreateDate', 'QuickTime:ModifyDate', 'Track1:TrackCreateDate', 'Track1:MediaModifyDate']) expect(tags[name], name).toBe('0000:00:00 00:00:00');
    expect(tags['Track1:AudioFormat']).toBe('mp4a');
    expect(sampleAtChunkOffset(bytes)).toBe(MEDIA_MARKERS.sample);
    // Cleaned again, nothing more is found.
    expect((await clean(bytes)).removed).toEqual([]);
  });

  it('when the movie box comes first and the media data is large, then no byte moves and only the headers and the movie box are read', async () => {
    const padding = 8 * 1024 * 1024;
    const input = mp4WithMetadata({ movieFirst: true, padding, extra: [xmpUuidBox()] });
    expect(sampleAtChunkOffset(input)).toBe(MEDIA_MARKERS.sample);
    const read = vi.spyOn(Blob.prototype, 'arrayBuffer');
    const blob = new Blob([input]);
    const result = await cleanIsobmff(blob);
    const readBytes = read.mock.contexts.reduce<number>((sum, context) => sum + (context as Blob).size, 0);
    expect(readBytes).toBeLessThan(64 * 1024);
    read.mockRestore();

    expect(result.removed).toEqual(['gps', 'device', 'xmp', 'recording-time']);
    const bytes = new Uint8Array(await result.file.arrayBuffer());
    expect(bytes.length).toBe(input.length);
    expect(sampleAtChunkOffset(bytes)).toBe(MEDIA_MARKERS.sample);
    // Everything from the media data on, but the XMP box at the end, is the very same bytes.
    const mdatAt = Buffer.from(input).indexOf('mdat') - 4;
    const xmpAt = input.length - xmpUuidBox().length;
    expect(Buffer.from(bytes.subarray(mdatAt, xmpAt)).equals(Buffer.from(input.subarray(mdatAt, xmpAt)))).toBe(true);
    expect(contains(bytes.subarray(xmpAt), MEDIA_MARKERS.xmp)).toBe(false);
  });

  it('when a video has no metadata, then the very file picked comes back', async () => {
    const blob = new Blob([mp4WithMetadata({ metadata: false })]);
    const result = await cleanIsobmff(blob);
    expect(result).toEqual({ file: blob, removed: [] });
  });

  it('when the media data box has a 64-bit size, then it is walked like any other', async () => {
    const input = mp4WithMetadata();
    const mdatAt = Buffer.from(input).indexOf('mdat') - 4;
    const moovAt = Buffer.from(input).indexOf('moov') - 4;
    const sample = input.subarray(mdatAt + 8, moovAt);
    const largeHeader = new Uint8Array(16);
    const header = new DataView(largeHeader.buffer);
    header.setUint32(0, 1);
    largeHeader.set(Buffer.from('mdat'), 4);
    header.setBigUint64(8, BigInt(16 + sample.length));
    const fixed = concat(input.subarray(0, mdatAt), largeHeader, sample, input.subarray(moovAt));
    // The sample moved 8 bytes further: so does the offset the movie gives for it.
    const stco = Buffer.from(fixed).indexOf('stco');
    const view = new DataView(fixed.buffer);
    view.setUint32(stco + 12, view.getUint32(stco + 12) + 8);
    expect(sampleAtChunkOffset(fixed)).toBe(MEDIA_MARKERS.sample);
    const { bytes, removed } = await clean(fixed);
    expect(removed).toEqual(['gps', 'device', 'recording-time']);
    expect(tagsMatching(exifToolTags(bytes, 'mp4'), IDENTIFYING_TAGS)).toEqual([]);
  });

  it('when a box is cut or claims more than its parent holds, or the movie box is missing or doubled, then the file is refused, never half-cleaned', async () => {
    const input = mp4WithMetadata();
    const moovAt = Buffer.from(input).indexOf('moov') - 4;
    for (const length of [3, 12, 30, moovAt + 4, moovAt + 100, input.length - 1]) {
      await expect(cleanIsobmff(new Blob([input.slice(0, length)])), `cut at ${length}`).rejects.toBeInstanceOf(MalformedImageError);
    }
    const udtaAt = Buffer.from(input).indexOf('udta') - 4;
    const overlong = input.slice();
    new DataView(overlong.buffer).setUint32(udtaAt, 0x10000);
    expect(await malformedCode(overlong)).toBe('truncated');
    const tiny = input.slice();
    new DataView(tiny.buffer).setUint32(udtaAt, 4);
    expect(await malformedCode(tiny)).toBe('video-bad-box');
    expect(await malformedCode(input.slice(0, moovAt))).toBe('video-bad-structure');
    expect(await malformedCode(concat(input, input.subarray(moovAt)))).toBe('video-bad-structure');
    expect(await malformedCode(concat(input.subarray(0, moovAt), isoBox('moov', isoBox('meta', new Uint8Array(16)))))).toBe('video-bad-structure');
  });

  it('when random bytes of a video are changed, then cleaning either succeeds or throws MalformedImageError', async () => {
    const input = mp4WithMetadata();
    for (let round = 0; round < 200; round++) {
      const changed = input.slice();
      changed[(round * 7919) % changed.length] = (round * 31) & 0xff;
      try {
        await cleanIsobmff(new Blob([changed]));
      } catch (error) {
        expect(error).toBeInstanceOf(MalformedImageError);
      }
    }
  });
});

describe('cleanFile with videos', () => {
  it('when an MP4 is picked, then it is cleaned whatever its size, and the report names what went with the video advice', async () => {
    const { file, report } = await cleanFile(new File([mp4WithMetadata()], 'clip.mov', { type: 'video/quicktime' }));
    expect(report).toEqual({ format: 'video', status: 'cleaned', removed: ['gps', 'device', 'recording-time'], advice: 'video' });
    expect(file.type).toBe('video/quicktime');
  });

  it('when a video is malformed, then it is flagged and left as it is', async () => {
    const original = new File([mp4WithMetadata().slice(0, 100)], 'cut.mp4');
    const { file, report } = await cleanFile(original);
    expect(file).toBe(original);
    expect(report).toEqual({ format: 'video', status: 'could-not-clean', removed: [], advice: 'video-malformed', problem: 'truncated' });
  });
});
