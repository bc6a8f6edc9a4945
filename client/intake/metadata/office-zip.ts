/**
 * The ZIP container of Office and OpenDocument files, read strictly and written anew with fflate.
 * Reading walks the central directory itself so that it can refuse, before inflating anything, what
 * it should not try: encrypted entries, ZIP64, duplicate names, more entries or more unpacked bytes
 * than a browser should hold (a "ZIP bomb"). Every entry's size and CRC-32 are checked after
 * inflating, into a buffer no larger than the size declared. Writing keeps the entries' order, stores
 * `mimetype` uncompressed as OpenDocument requires, and gives every entry the same date, because
 * the dates a ZIP writer records say when the file was saved.
 */
import { inflateSync, zipSync, type Zippable } from 'fflate';
import { crc32 } from './png';
import { MalformedDocumentError } from './report';

/** More entries than any real document has; each costs a little memory however small. */
export const MAX_ZIP_ENTRIES = 10_000;
/** Unpacked bytes held at once; text compresses well, so this allows documents far above MAX_CLEANED_BYTES. */
export const MAX_UNZIPPED_BYTES = 256 * 1024 * 1024;

/** One entry of a ZIP file: a directory when its name ends with `/`. */
export interface ZipEntry {
  readonly name: string;
  readonly data: Uint8Array;
  /** The entry records when it was written (a date after 1980-01-01 or an extended timestamp). */
  readonly dated?: boolean;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_UTF8 = 0x0800;
/** DOS date of 1980-01-01, the date writers that record none put; 0 is also seen. */
const UNDATED = 0x0021;
/** The "UT" extra field, which holds Unix times of the entry. */
const EXTENDED_TIMESTAMP = 0x5455;
/** The earliest date a ZIP entry can hold, in local time as ZIP dates are. */
const ENTRY_DATE = new Date(1980, 0, 1, 0, 0, 0);

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function bad(): never {
  throw new MalformedDocumentError('office-bad-zip');
}

function entryName(bytes: Uint8Array, utf8: boolean): string {
  // Without the UTF-8 flag a name is in code page 437; Office and OpenDocument names are ASCII.
  if (!utf8 && bytes.some((byte) => byte > 0x7f)) bad();
  try {
    return UTF8.decode(bytes);
  } catch {
    return bad();
  }
}

function hasExtraField(view: DataView, start: number, length: number, id: number): boolean {
  for (let at = start; at + 4 <= start + length && at + 4 <= view.byteLength; at += 4 + view.getUint16(at + 2, true)) {
    if (view.getUint16(at, true) === id) return true;
  }
  return false;
}

interface DirectoryEntry {
  readonly name: string;
  readonly method: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localStart: number;
  readonly dated: boolean;
}

/** Reads every entry of a ZIP file, in its central directory's order. */
export function readZip(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number): number => (at + 2 <= bytes.length ? view.getUint16(at, true) : bad());
  const u32 = (at: number): number => (at + 4 <= bytes.length ? view.getUint32(at, true) : bad());

  let end = bytes.length - 22;
  const earliest = Math.max(0, bytes.length - 22 - 0xffff);
  while (end >= earliest && !(u32(end) === END_OF_DIRECTORY && end + 22 + u16(end + 20) === bytes.length)) end--;
  if (end < earliest) bad();
  const count = u16(end + 10);
  const directorySize = u32(end + 12);
  const directoryStart = u32(end + 16);
  // ZIP64 and archives split over several disks are not what Office or OpenDocument writers make.
  if (u16(end + 4) !== 0 || u16(end + 6) !== 0 || u16(end + 8) !== count || count === 0xffff || directoryStart === 0xffffffff) bad();
  if (count > MAX_ZIP_ENTRIES) throw new MalformedDocumentError('office-too-large');
  if (directoryStart + directorySize > end) bad();

  // First the whole directory, so that limits are checked before anything is inflated.
  const listed: DirectoryEntry[] = [];
  const names = new Set<string>();
  let unzipped = 0;
  let at = directoryStart;
  for (let i = 0; i < count; i++) {
    if (u32(at) !== DIRECTORY_HEADER) bad();
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const size = u32(at + 24);
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const next = at + 46 + nameLength + extraLength + u16(at + 32);
    if (next > end) bad();
    const name = entryName(bytes.subarray(at + 46, at + 46 + nameLength), (flags & FLAG_UTF8) !== 0);
    if ((flags & FLAG_ENCRYPTED) !== 0) throw new MalformedDocumentError('office-encrypted');
    if (name === '' || names.has(name) || (method !== 0 && method !== 8)) bad();
    names.add(name);
    unzipped += size;
    if (unzipped > MAX_UNZIPPED_BYTES) throw new MalformedDocumentError('office-too-large');
    listed.push({
      name,
      method,
      crc: u32(at + 16),
      compressedSize: u32(at + 20),
      size,
      localStart: u32(at + 42),
      dated: u16(at + 12) !== 0 || u16(at + 14) > UNDATED || hasExtraField(view, at + 46 + nameLength, extraLength, EXTENDED_TIMESTAMP),
    });
    at = next;
  }

  return listed.map(({ name, method, crc, compressedSize, size, localStart, dated }): ZipEntry => {
    if (u32(localStart) !== LOCAL_HEADER) bad();
    const dataStart = localStart + 30 + u16(localStart + 26) + u16(localStart + 28);
    if (dataStart + compressedSize > directoryStart) bad();
    const stored = bytes.subarray(dataStart, dataStart + compressedSize);
    let data: Uint8Array;
    if (method === 0) {
      data = stored;
    } else {
      try {
        // fflate stops writing at the end of the buffer it is given: a lying size cannot grow memory.
        data = inflateSync(stored, { out: new Uint8Array(size) });
      } catch {
        return bad();
      }
    }
    if (data.length !== size || crc32(data) !== crc) bad();
    return { name, data, dated };
  });
}

/** Writes entries as a new ZIP file, in the order given. */
export function writeZip(entries: readonly ZipEntry[]): Uint8Array<ArrayBuffer> {
  const zippable: Zippable = {};
  for (const { name, data } of entries) {
    // OpenDocument readers find the type of a file in its first entry, uncompressed.
    zippable[name] = [data, { level: name === 'mimetype' ? 0 : 6, mtime: ENTRY_DATE }];
  }
  return zipSync(zippable) as Uint8Array<ArrayBuffer>;
}
