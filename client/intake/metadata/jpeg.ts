/**
 * JPEG metadata removal: walks the marker segments (ITU T.81 B.1), drops the ones that carry
 * metadata, keeps what a decoder needs, copies entropy-coded scan data byte for byte, and drops
 * anything after the end-of-image marker. Anything unexpected is refused, never guessed at.
 */
import { exifItems, exifReplacement, inspectExif } from './exif';
import { concatBytes, MalformedImageError, RemovedItems, startsWithAscii, type ImageCleanResult, type RemovedItem } from './report';

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP2 = 0xe2;
const APP13 = 0xed;
const APP14 = 0xee;
const APP15 = 0xef;
const COM = 0xfe;

const EXIF_ID = 'Exif\0';
const EXIF_HEADER = 6; // "Exif\0\0"
const JFIF_BYTES = 14; // "JFIF\0", version, units, densities, thumbnail size
const ADOBE_BYTES = 12; // "Adobe", version, two flag words, colour transform

type SegmentAction =
  | { readonly kind: 'keep' }
  | { readonly kind: 'drop'; readonly items: readonly RemovedItem[] }
  | { readonly kind: 'replace'; readonly payload: Uint8Array; readonly items: readonly RemovedItem[] };

const keep: SegmentAction = { kind: 'keep' };
const drop = (...items: RemovedItem[]): SegmentAction => ({ kind: 'drop', items });

type MarkerKind = 'frame' | 'table' | 'scan' | 'metadata';

/** Sorts a marker that starts a segment; markers without a place there (SOI, RSTn, TEM, reserved) are refused. */
function classify(marker: number): MarkerKind {
  if (marker === SOS) return 'scan';
  // Start of frame: C0–CF except DHT (C4), JPG (C8) and DAC (CC).
  if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return 'frame';
  // Tables and parameters a decoder needs: DHT, DAC, DQT, DNL, DRI, DHP, EXP.
  if (marker === 0xc4 || marker === 0xcc || (marker >= 0xdb && marker <= 0xdf)) return 'table';
  if (marker === COM || (marker >= APP0 && marker <= APP15)) return 'metadata';
  // JPG and JPGn are extensions (JPEG-LS among them) that browsers do not show.
  throw new MalformedImageError(marker === 0xc8 || (marker >= 0xf0 && marker <= 0xfd) ? 'jpeg-unsupported' : 'jpeg-bad-marker');
}

function segment(marker: number, payload: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(4 + payload.length);
  bytes.set([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]);
  bytes.set(payload, 4);
  return bytes;
}

function jfifAction(payload: Uint8Array): SegmentAction {
  if (startsWithAscii(payload, 'JFXX\0')) return drop('thumbnail');
  if (!startsWithAscii(payload, 'JFIF\0') || payload.length < JFIF_BYTES) return drop('other');
  if (payload.length === JFIF_BYTES && payload[12] === 0 && payload[13] === 0) return keep;
  // Keep the density (it sets the aspect ratio) but not the thumbnail, which may show an uncropped picture.
  const kept = payload.slice(0, JFIF_BYTES);
  const hadThumbnail = (kept[12] ?? 0) * (kept[13] ?? 0) > 0;
  kept[12] = 0;
  kept[13] = 0;
  return { kind: 'replace', payload: kept, items: [hadThumbnail ? 'thumbnail' : 'other'] };
}

function exifAction(payload: Uint8Array): SegmentAction {
  const summary = inspectExif(payload.subarray(EXIF_HEADER));
  const items = exifItems(summary);
  const orientation = exifReplacement(summary);
  if (orientation === undefined) return { kind: 'drop', items };
  const replacement = new Uint8Array(EXIF_HEADER + orientation.length);
  replacement.set([0x45, 0x78, 0x69, 0x66, 0, 0]);
  replacement.set(orientation, EXIF_HEADER);
  const unchanged = replacement.length === payload.length && replacement.every((byte, i) => byte === payload[i]);
  return unchanged ? keep : { kind: 'replace', payload: replacement, items };
}

function adobeAction(payload: Uint8Array): SegmentAction {
  // The colour transform flag decides how CMYK and some RGB pictures decode, so it stays.
  if (!startsWithAscii(payload, 'Adobe') || payload.length < ADOBE_BYTES) return drop('other');
  return payload.length === ADOBE_BYTES ? keep : { kind: 'replace', payload: payload.slice(0, ADOBE_BYTES), items: ['other'] };
}

function appAction(marker: number, payload: Uint8Array, state: { exifKept: boolean }): SegmentAction {
  if (marker === APP0) return jfifAction(payload);
  if (marker === APP1 && startsWithAscii(payload, EXIF_ID)) {
    const action = exifAction(payload);
    if (action.kind === 'drop' || !state.exifKept) {
      state.exifKept ||= action.kind !== 'drop';
      return action;
    }
    // One orientation is enough: a second EXIF block goes entirely.
    return drop(...(action.kind === 'replace' ? action.items : (['exif'] as const)));
  }
  if (marker === APP1 && (startsWithAscii(payload, 'http://ns.adobe.com/xap/1.0/\0') || startsWithAscii(payload, 'http://ns.adobe.com/xmp/extension/\0'))) return drop('xmp');
  // The ICC profile is kept so that colours stay right; it describes a colour space, not a person.
  if (marker === APP2 && startsWithAscii(payload, 'ICC_PROFILE\0')) return keep;
  if (marker === APP13) return drop('iptc');
  if (marker === APP14) return adobeAction(payload);
  return drop('other');
}

/**
 * Finds where the entropy-coded data that starts at `from` ends: at the first 0xFF that is not
 * followed by a stuffed 0x00, a restart marker or another 0xFF (a fill byte).
 */
function scanEnd(bytes: Uint8Array, from: number): number {
  let at = from;
  for (;;) {
    const ff = bytes.indexOf(0xff, at);
    if (ff < 0 || ff + 1 >= bytes.length) throw new MalformedImageError('jpeg-no-end');
    const next = bytes[ff + 1] as number;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) at = ff + 2;
    else if (next === 0xff) at = ff + 1;
    else return ff;
  }
}

/** Removes metadata from a JPEG; throws MalformedImageError for anything it does not fully understand. */
export function cleanJpeg(bytes: Uint8Array<ArrayBuffer>): ImageCleanResult {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== SOI) throw new MalformedImageError('jpeg-bad-marker');
  const parts: Uint8Array[] = [bytes.subarray(0, 2)];
  const removed = new RemovedItems();
  const state = { exifKept: false };
  let frameSeen = false;
  let scanSeen = false;
  let at = 2;
  for (;;) {
    if (at >= bytes.length) throw new MalformedImageError('jpeg-no-end');
    if (bytes[at] !== 0xff) throw new MalformedImageError('jpeg-bad-marker');
    // Any number of 0xFF fill bytes may come before a marker code.
    while (bytes[at] === 0xff) at++;
    if (at >= bytes.length) throw new MalformedImageError('jpeg-no-end');
    const marker = bytes[at] as number;
    const start = at - 1;
    at++;
    if (marker === EOI) {
      if (!scanSeen) throw new MalformedImageError('jpeg-no-frame');
      parts.push(bytes.subarray(start, at));
      // Phones append extra pictures (with their own EXIF), motion-photo videos and vendor trailers here.
      if (at < bytes.length) removed.add('trailing');
      break;
    }
    const kind = classify(marker);
    if (at + 2 > bytes.length) throw new MalformedImageError('truncated');
    const length = ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
    if (length < 2) throw new MalformedImageError('jpeg-bad-length');
    const end = at + length;
    if (end > bytes.length) throw new MalformedImageError('truncated');
    const whole = bytes.subarray(start, end);
    const payload = bytes.subarray(at + 2, end);
    at = end;

    if (kind === 'scan') {
      if (!frameSeen) throw new MalformedImageError('jpeg-no-frame');
      scanSeen = true;
      const dataEnd = scanEnd(bytes, at);
      parts.push(whole, bytes.subarray(at, dataEnd));
      at = dataEnd;
      continue;
    }
    if (kind === 'frame') {
      // More than one frame (hierarchical JPEG) is not something browsers show; refuse it.
      if (frameSeen) throw new MalformedImageError('jpeg-unsupported');
      frameSeen = true;
      parts.push(whole);
      continue;
    }
    if (kind === 'table') {
      parts.push(whole);
      continue;
    }
    const action = marker === COM ? drop('comment') : appAction(marker, payload, state);
    if (action.kind === 'keep') parts.push(whole);
    else removed.add(...action.items);
    if (action.kind === 'replace') parts.push(segment(marker, action.payload));
  }
  if (removed.size === 0) return { bytes, removed: [] };
  return { bytes: concatBytes(parts), removed: removed.list() };
}
