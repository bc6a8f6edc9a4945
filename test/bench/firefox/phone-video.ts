/**
 * A phone video built in the Firefox suite's page, for the intake's video cleaner to clean: the box
 * tree of the unit tests' MP4 (mp4WithMetadata in test/fixtures/media/media-files.ts, which uses
 * Node's Buffer and so cannot be bundled here) around media data of pseudo-random bytes. One audio
 * track whose one sample is the whole media data; a place, make, model and software in udta, as
 * Android writes them, and in meta keys and ilst, as iPhones write them; recording times.
 */
import { webPseudoRandomStream } from '../web-pseudo-random-stream';

/** The place the video says it was recorded, in ISO 6709 as phones write it. */
const KEYS_ISO6709 = '+52.5200+013.4050+034.000/';
const UDTA_ISO6709 = '+52.5200+013.4050/';
/** 2024-05-01 12:00:00 UTC in seconds since 1904, as QuickTime counts. */
const RECORDED_AT = 3797409600;

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const u32be = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
const u16be = (n: number) => Uint8Array.of(n >>> 8, n & 0xff);

function concat(...parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}

const isoBox = (type: string, ...payload: Uint8Array[]) => {
  const body = concat(...payload);
  return concat(u32be(8 + body.length), ascii(type), body);
};
const fullBox = (type: string, version: number, flags: number, ...payload: Uint8Array[]) => isoBox(type, Uint8Array.of(version, flags >> 16, (flags >> 8) & 0xff, flags & 0xff), ...payload);
/** A QuickTime text item of udta: length, language, text. */
const userText = (type: string, text: string) => isoBox(type, u16be(text.length), u16be(0x15c7), ascii(text));
/** A metadata item of an ilst: a data box holding UTF-8 text, named by its index in keys. */
const ilstItem = (index: number, text: string) => concat(u32be(8 + 16 + text.length), u32be(index), isoBox('data', u32be(1), u32be(0), ascii(text)));

const MATRIX = concat(u32be(0x10000), u32be(0), u32be(0), u32be(0), u32be(0x10000), u32be(0), u32be(0), u32be(0), u32be(0x40000000));

function movieBox(sampleBytes: number, sampleOffset: number): Uint8Array<ArrayBuffer> {
  const t = RECORDED_AT;
  const mvhd = fullBox('mvhd', 0, 0, u32be(t), u32be(t), u32be(1000), u32be(1000), u32be(0x10000), u16be(0x100), new Uint8Array(10), MATRIX, new Uint8Array(24), u32be(2));
  const tkhd = fullBox('tkhd', 0, 3, u32be(t), u32be(t), u32be(1), u32be(0), u32be(1000), new Uint8Array(8), u16be(0), u16be(0), u16be(0x100), u16be(0), MATRIX, u32be(0), u32be(0));
  const mdhd = fullBox('mdhd', 0, 0, u32be(t), u32be(t), u32be(1000), u32be(1000), u16be(0x55c4), u16be(0));
  const hdlr = fullBox('hdlr', 0, 0, u32be(0), ascii('soun'), new Uint8Array(12), ascii('SoundHandler\0'));
  const mp4a = isoBox('mp4a', new Uint8Array(6), u16be(1), new Uint8Array(8), u16be(1), u16be(16), u16be(0), u16be(0), u32be(1000 << 16));
  const stbl = isoBox(
    'stbl',
    fullBox('stsd', 0, 0, u32be(1), mp4a),
    fullBox('stts', 0, 0, u32be(1), u32be(1), u32be(1000)),
    fullBox('stsc', 0, 0, u32be(1), u32be(1), u32be(1), u32be(1)),
    fullBox('stsz', 0, 0, u32be(sampleBytes), u32be(1)),
    fullBox('stco', 0, 0, u32be(1), u32be(sampleOffset)),
  );
  const minf = isoBox('minf', fullBox('smhd', 0, 0, u32be(0)), isoBox('dinf', fullBox('dref', 0, 0, u32be(1), fullBox('url ', 0, 1))), stbl);
  const trak = isoBox('trak', tkhd, isoBox('mdia', mdhd, hdlr, minf));

  const itunes = fullBox('meta', 0, 0, fullBox('hdlr', 0, 0, u32be(0), ascii('mdir'), ascii('appl'), new Uint8Array(8), Uint8Array.of(0)), isoBox('ilst', isoBox('\xa9too', isoBox('data', u32be(1), u32be(0), ascii('Bench Encoder 1.0')))));
  const udta = isoBox('udta', userText('\xa9xyz', UDTA_ISO6709), userText('\xa9mak', 'Bench Phones'), userText('\xa9mod', 'Bench Phone 12'), userText('\xa9swr', 'Bench OS 17.4'), itunes);
  const keyNames = ['com.apple.quicktime.location.ISO6709', 'com.apple.quicktime.make', 'com.apple.quicktime.model', 'com.apple.quicktime.creationdate'];
  const keys = fullBox('keys', 0, 0, u32be(keyNames.length), ...keyNames.map((name) => concat(u32be(8 + name.length), ascii('mdta'), ascii(name))));
  const ilst = isoBox('ilst', ilstItem(1, KEYS_ISO6709), ilstItem(2, 'Bench Phones'), ilstItem(3, 'Bench Phone 12'), ilstItem(4, '2024-05-01T14:00:00+0200'));
  const meta = isoBox('meta', fullBox('hdlr', 0, 0, u32be(0), ascii('mdta'), new Uint8Array(12), Uint8Array.of(0)), keys, ilst);
  return isoBox('moov', mvhd, trak, udta, meta);
}

/**
 * An MP4 of `mediaBytes` of media data, laid out as phones record (ftyp, mdat, then moov), as a File
 * like one a reporter picks. The media data stays in 64 KiB pieces: no second copy of it is made.
 */
export async function phoneVideo(mediaBytes: number): Promise<File> {
  const ftyp = isoBox('ftyp', ascii('isom'), u32be(0x200), ascii('isomiso2mp41'));
  const media: Uint8Array<ArrayBuffer>[] = [];
  const reader = webPseudoRandomStream(mediaBytes).getReader();
  for (let piece = await reader.read(); !piece.done; piece = await reader.read()) media.push(piece.value as Uint8Array<ArrayBuffer>);
  const mdatHeader = concat(u32be(8 + mediaBytes), ascii('mdat'));
  const moov = movieBox(mediaBytes, ftyp.length + mdatHeader.length);
  return new File([ftyp, mdatHeader, ...media, moov], 'bench-video.mp4', { type: 'video/mp4' });
}
