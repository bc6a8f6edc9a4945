/**
 * GIF metadata removal without re-encoding: walks the blocks (GIF89a specification), keeps what a
 * decoder needs to show the picture and its animation (images, graphic control, plain text, the
 * looping extensions and the ICC profile), drops comments, XMP and other application extensions,
 * and drops what follows the trailer. Anything unexpected is refused, never guessed at.
 */
import { concatBytes, MalformedImageError, RemovedItems, startsWithAscii, type ImageCleanResult, type RemovedItem } from './report';

const HEADER_BYTES = 13; // signature, version, logical screen descriptor
const IMAGE_DESCRIPTOR_BYTES = 10;
const EXTENSION = 0x21;
const IMAGE = 0x2c;
const TRAILER = 0x3b;
const PLAIN_TEXT = 0x01;
const GRAPHIC_CONTROL = 0xf9;
const COMMENT = 0xfe;
const APPLICATION = 0xff;
const APPLICATION_ID_BYTES = 11;

/** Application extensions that only say how to show the picture: looping, and the colour profile. */
const KEPT_APPLICATIONS = ['NETSCAPE2.0', 'ANIMEXTS1.0', 'ICCRGBG1012'];

/** Where the chain of data sub-blocks starting at `at` ends, after its zero-length terminator. */
function subBlocksEnd(bytes: Uint8Array, at: number): number {
  let position = at;
  for (;;) {
    if (position >= bytes.length) throw new MalformedImageError('truncated');
    const length = bytes[position] as number;
    position += 1 + length;
    if (length === 0) return position;
  }
}

/** The size of a colour table the packed byte announces, or 0 when it has none. */
function colourTableBytes(packed: number): number {
  return packed & 0x80 ? 3 * (1 << ((packed & 0x07) + 1)) : 0;
}

function applicationItem(bytes: Uint8Array, at: number): RemovedItem | 'keep' {
  if (bytes[at] !== APPLICATION_ID_BYTES) throw new MalformedImageError('gif-bad-block');
  const id = String.fromCharCode(...bytes.subarray(at + 1, at + 1 + APPLICATION_ID_BYTES));
  if (KEPT_APPLICATIONS.includes(id)) return 'keep';
  return startsWithAscii(bytes, 'XMP DataXMP', at + 1) ? 'xmp' : 'other';
}

/** Removes metadata from a GIF; throws MalformedImageError for anything it does not fully understand. */
export function cleanGif(bytes: Uint8Array<ArrayBuffer>): ImageCleanResult {
  if (!startsWithAscii(bytes, 'GIF87a') && !startsWithAscii(bytes, 'GIF89a')) throw new MalformedImageError('gif-bad-signature');
  if (bytes.length < HEADER_BYTES) throw new MalformedImageError('truncated');
  const headerEnd = HEADER_BYTES + colourTableBytes(bytes[10] as number);
  if (headerEnd > bytes.length) throw new MalformedImageError('truncated');
  const parts: Uint8Array[] = [bytes.subarray(0, headerEnd)];
  const removed = new RemovedItems();
  let imageSeen = false;
  let at = headerEnd;
  for (;;) {
    if (at >= bytes.length) throw new MalformedImageError('truncated');
    const introducer = bytes[at] as number;
    const start = at;
    if (introducer === TRAILER) {
      if (!imageSeen) throw new MalformedImageError('gif-no-image');
      parts.push(bytes.subarray(start, at + 1));
      if (at + 1 < bytes.length) removed.add('trailing');
      break;
    }
    if (introducer === IMAGE) {
      if (at + IMAGE_DESCRIPTOR_BYTES + 1 > bytes.length) throw new MalformedImageError('truncated');
      const dataStart = at + IMAGE_DESCRIPTOR_BYTES + colourTableBytes(bytes[at + 9] as number);
      // The LZW minimum code size, then the compressed pixels as sub-blocks.
      const codeSize = bytes[dataStart];
      if (codeSize === undefined) throw new MalformedImageError('truncated');
      if (codeSize < 2 || codeSize > 8) throw new MalformedImageError('gif-bad-block');
      at = subBlocksEnd(bytes, dataStart + 1);
      parts.push(bytes.subarray(start, at));
      imageSeen = true;
      continue;
    }
    if (introducer !== EXTENSION) throw new MalformedImageError('gif-bad-block');
    const label = bytes[at + 1];
    if (label === undefined) throw new MalformedImageError('truncated');
    at = subBlocksEnd(bytes, at + 2);
    if (label === GRAPHIC_CONTROL || label === PLAIN_TEXT) parts.push(bytes.subarray(start, at));
    else if (label === COMMENT) removed.add('comment');
    else if (label === APPLICATION) {
      const item = applicationItem(bytes, start + 2);
      if (item === 'keep') parts.push(bytes.subarray(start, at));
      else removed.add(item);
    } else removed.add('other');
  }
  if (removed.size === 0) return { bytes, removed: [] };
  return { bytes: concatBytes(parts), removed: removed.list() };
}
