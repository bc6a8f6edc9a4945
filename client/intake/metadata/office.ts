/**
 * Office Open XML and OpenDocument files: unpacks the ZIP package, cleans it as the kind it declares
 * (client/intake/metadata/ooxml.ts, odf.ts), cleans the JPEG and PNG pictures inside it as the intake
 * cleans pictures, and packs it again. Anything it cannot read whole is refused, never half-cleaned.
 */
import { cleanJpeg } from './jpeg';
import { cleanOdf } from './odf';
import { readZip, writeZip, type ZipEntry } from './office-zip';
import { cleanOoxml } from './ooxml';
import { cleanPng } from './png';
import { RemovedItems, startsWithAscii, type RemovedItem } from './report';

export interface OfficeCleanResult {
  /** The very input array when nothing was removed. */
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly removed: readonly RemovedItem[];
  /** The document holds comments or tracked changes: their text is content, and stays. */
  readonly hasReview: boolean;
}

const ODF_MIME_TYPE = 'application/vnd.oasis.opendocument.';
const PNG_SIGNATURE = '\x89PNG\r\n\x1a\n';

function kindOf(entries: readonly ZipEntry[]): 'ooxml' | 'odf' | undefined {
  const mimetype = entries.find((e) => e.name === 'mimetype');
  if (mimetype !== undefined && startsWithAscii(mimetype.data, ODF_MIME_TYPE)) return 'odf';
  if (entries.some((e) => e.name === '[Content_Types].xml')) return 'ooxml';
  return undefined;
}

/** Pictures pasted into a document keep their EXIF (GPS, camera, dates) inside the package. */
function cleanPicture(entry: ZipEntry, removed: RemovedItems): ZipEntry {
  const { data } = entry;
  const clean = data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff ? cleanJpeg : startsWithAscii(data, PNG_SIGNATURE) ? cleanPng : undefined;
  if (clean === undefined) return entry;
  // The cleaners read through the array's own buffer: give them one of their own.
  const result = clean(data.slice());
  removed.add(...result.removed);
  return result.removed.length === 0 ? entry : { name: entry.name, data: result.bytes };
}

/**
 * Removes metadata from an Office Open XML or OpenDocument file; returns 'not-a-document' for a ZIP
 * file that is neither, and throws MalformedDocumentError or MalformedImageError (for a picture
 * inside) for what it cannot clean whole.
 */
export function cleanOffice(bytes: Uint8Array<ArrayBuffer>): OfficeCleanResult | 'not-a-document' {
  const entries = readZip(bytes);
  const kind = kindOf(entries);
  if (kind === undefined) return 'not-a-document';
  const result = kind === 'odf' ? cleanOdf(entries) : cleanOoxml(entries);
  const removed = new RemovedItems();
  removed.add(...result.removed);
  const cleaned = result.entries.map((entry) => cleanPicture(entry, removed));
  // ZIP writers that record dates record when the file was saved; every entry is written undated.
  if (entries.some((e) => e.dated === true)) removed.add('time');
  if (removed.size === 0) return { bytes, removed: [], hasReview: result.hasReview };
  // OpenDocument requires its mimetype entry first.
  const ordered = kind === 'odf' ? [...cleaned.filter((e) => e.name === 'mimetype'), ...cleaned.filter((e) => e.name !== 'mimetype')] : cleaned;
  return { bytes: writeZip(ordered), removed: removed.list(), hasReview: result.hasReview };
}
