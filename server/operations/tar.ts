/**
 * A small streaming writer of POSIX ustar archives (POSIX.1-1988, as `tar` reads everywhere):
 * regular files and directories only, names up to 100 bytes, each file's bytes passed through as
 * they come, so an archive of any size is written in constant memory.
 */

const BLOCK_BYTES = 512;
/** Eleven octal digits: the largest size a ustar header holds without extensions. */
const MAX_FILE_BYTES = 8 ** 11 - 1;
const MAX_NAME_BYTES = 100;

export interface TarEntry {
  /** Relative path inside the archive; printable ASCII, `/` between parts, no `.` or `..` parts. */
  readonly name: string;
  readonly mtime: Date;
  /** Permission bits; defaults keep extracted case files readable by their owner only. */
  readonly mode?: number;
}

function checkName(name: string): void {
  const parts = name.split('/');
  const valid =
    /^[\x21-\x7e]+$/.test(name) &&
    name.length <= MAX_NAME_BYTES &&
    parts[0] !== '' &&
    parts.slice(0, -1).every((part) => part !== '' && part !== '.' && part !== '..') &&
    parts.at(-1) !== '.' &&
    parts.at(-1) !== '..';
  if (!valid) throw new RangeError(`Not a valid name for a ustar entry: ${JSON.stringify(name)}`);
}

/** A numeric field: zero-padded octal digits filling all but the last byte, which stays NUL. */
function writeOctal(header: Uint8Array, offset: number, width: number, value: number): void {
  const digits = value.toString(8).padStart(width - 1, '0');
  if (digits.length > width - 1) throw new RangeError(`${value} does not fit a ${width}-byte tar field`);
  writeAscii(header, offset, digits);
}

function writeAscii(header: Uint8Array, offset: number, text: string): void {
  for (let i = 0; i < text.length; i++) header[offset + i] = text.charCodeAt(i);
}

function ustarHeader(entry: TarEntry, type: 'file' | 'directory', size: number): Uint8Array {
  checkName(entry.name);
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_FILE_BYTES) throw new RangeError(`A ustar entry cannot hold ${size} bytes`);
  const header = new Uint8Array(BLOCK_BYTES);
  writeAscii(header, 0, entry.name);
  writeOctal(header, 100, 8, entry.mode ?? (type === 'file' ? 0o600 : 0o700));
  writeOctal(header, 108, 8, 0); // uid
  writeOctal(header, 116, 8, 0); // gid
  writeOctal(header, 124, 12, size);
  writeOctal(header, 136, 12, Math.floor(entry.mtime.getTime() / 1000));
  header[156] = type === 'file' ? 0x30 : 0x35; // '0' regular file, '5' directory
  writeAscii(header, 257, 'ustar\0');
  writeAscii(header, 263, '00');
  writeOctal(header, 329, 8, 0); // devmajor
  writeOctal(header, 337, 8, 0); // devminor
  // The checksum is the sum of the header's bytes with its own field counted as eight spaces.
  writeAscii(header, 148, ' '.repeat(8));
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  writeAscii(header, 148, `${checksum.toString(8).padStart(6, '0')}\0 `);
  return header;
}

export function tarDirectory(entry: TarEntry): Uint8Array {
  if (!entry.name.endsWith('/')) throw new RangeError('A directory name ends with "/"');
  return ustarHeader(entry, 'directory', 0);
}

/**
 * A file entry: its header, the content exactly as it arrives, then zeros up to a whole block.
 * `size` goes in the header before the content, so content that turns out longer or shorter is an
 * error rather than a corrupt archive.
 */
export async function* tarFile(entry: TarEntry, size: number, content: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (entry.name.endsWith('/')) throw new RangeError('A file name does not end with "/"');
  yield ustarHeader(entry, 'file', size);
  let written = 0;
  for await (const piece of content) {
    written += piece.length;
    if (written > size) throw new RangeError(`The content of ${entry.name} is longer than the ${size} bytes declared`);
    if (piece.length > 0) yield piece;
  }
  if (written !== size) throw new RangeError(`The content of ${entry.name} is ${written} bytes, not the ${size} declared`);
  const padding = (BLOCK_BYTES - (size % BLOCK_BYTES)) % BLOCK_BYTES;
  if (padding > 0) yield new Uint8Array(padding);
}

/** The end-of-archive marker: two zero blocks. */
export function tarEnd(): Uint8Array {
  return new Uint8Array(2 * BLOCK_BYTES);
}
