/**
 * A phone video built in the Firefox suite's page, for the intake's video cleaner to clean: the unit
 * tests' movie box (test/fixtures/media/mp4-boxes.ts) around media data of pseudo-random bytes. One
 * audio track whose one sample is the whole media data; a place, make, model and software in udta,
 * as Android writes them, and in meta keys and ilst, as iPhones write them; recording times.
 */
import { ascii, concat, isoBox, movieBox, RECORDED_AT, u32be, type PhoneMetadata } from '../../fixtures/media/mp4-boxes';
import { webPseudoRandomStream } from '../web-pseudo-random-stream';

/** What the video says about its recording: bench markers in the places phones write them. */
const BENCH_PHONE: PhoneMetadata = {
  keysPlace: '+52.5200+013.4050+034.000/',
  udtaPlace: '+52.5200+013.4050/',
  make: 'Bench Phones',
  model: 'Bench Phone 12',
  software: 'Bench OS 17.4',
  keyMake: 'Bench Phones',
  keyModel: 'Bench Phone 12',
  encoder: 'Bench Encoder 1.0',
};

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
  const moov = movieBox({ time: RECORDED_AT, sampleSize: mediaBytes, sampleOffset: ftyp.length + mdatHeader.length, metadata: BENCH_PHONE });
  return new File([ftyp, mdatHeader, ...media, moov], 'bench-video.mp4', { type: 'video/mp4' });
}
