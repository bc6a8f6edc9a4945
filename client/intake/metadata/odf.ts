/**
 * OpenDocument (odt, ods, odp) metadata removal over a package's entries: meta.xml reduced to an
 * empty one, the thumbnail and signatures removed (and from the manifest), comments' and tracked
 * changes' authors and dates made neutral, revision ids and printer settings removed. What the
 * document says is never changed.
 */
import { NEUTRAL_AUTHOR, NEUTRAL_DATE, NEUTRAL_INITIALS } from './ooxml';
import { cleanedEntries, decodeXml, visitElements, type XmlElement } from './office-xml';
import type { ZipEntry } from './office-zip';
import { MalformedDocumentError, type RemovedItem } from './report';

const OFFICE = 'urn:oasis:names:tc:opendocument:xmlns:office:1.0';
const META = 'urn:oasis:names:tc:opendocument:xmlns:meta:1.0';
const TEXT = 'urn:oasis:names:tc:opendocument:xmlns:text:1.0';
const TABLE = 'urn:oasis:names:tc:opendocument:xmlns:table:1.0';
const CONFIG = 'urn:oasis:names:tc:opendocument:xmlns:config:1.0';
const MANIFEST = 'urn:oasis:names:tc:opendocument:xmlns:manifest:1.0';
const DUBLIN_CORE = 'http://purl.org/dc/elements/1.1/';
/** LibreOffice's namespaces: revision ids (officeooo) and its older comment initials (loext). */
const LIBREOFFICE = 'http://openoffice.org/2009/office';
const LIBREOFFICE_EXTENSIONS = 'urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0';

/** Settings that name a printer (and, in its driver's setup, sometimes a computer or user) or hold revision ids. */
const REMOVED_SETTINGS: Readonly<Record<string, RemovedItem>> = {
  PrinterName: 'printer',
  PrinterSetup: 'printer',
  PrinterPaperFromSetup: 'printer',
  Rsid: 'revision-ids',
  RsidRoot: 'revision-ids',
};

export interface OdfCleanResult {
  readonly entries: readonly ZipEntry[];
  readonly removed: readonly RemovedItem[];
  readonly hasReview: boolean;
}

function removedByName(name: string): RemovedItem | undefined {
  if (name.startsWith('Thumbnails/')) return 'thumbnail';
  if (/^META-INF\/[^/]*signatures[^/]*\.xml$/.test(name)) return 'signatures';
  return undefined;
}

function minimalMeta(version: string | undefined): string {
  const versionAttribute = version === undefined ? '' : ` office:version="${version.replace(/[^0-9.]/g, '')}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta xmlns:office="${OFFICE}"${versionAttribute}><office:meta/></office:document-meta>`;
}

/** Removes metadata from the entries of an OpenDocument package; throws MalformedDocumentError for what it cannot read. */
export function cleanOdf(entries: readonly ZipEntry[]): OdfCleanResult {
  const removed = new Set<RemovedItem>();
  const parsed = new Map(entries.filter((e) => e.name.endsWith('.xml')).map((e) => [e.name, decodeXml(e.data)]));
  const changed = new Set<string>();

  const manifest = parsed.get('META-INF/manifest.xml');
  if (manifest === undefined) throw new MalformedDocumentError('office-bad-xml');
  let encrypted = false;
  visitElements(manifest.root, (element) => {
    if (element.is(MANIFEST, 'encryption-data')) encrypted = true;
  });
  // Encrypted parts cannot be read, so their authors cannot be removed.
  if (encrypted) throw new MalformedDocumentError('office-encrypted');

  const removedParts = new Set<string>();
  for (const { name } of entries) {
    const item = removedByName(name);
    if (item === undefined) continue;
    removedParts.add(name);
    removed.add(item);
  }
  for (const entry of manifest.root.elements()) {
    const path = entry.attribute(MANIFEST, 'full-path');
    if (path !== undefined && removedByName(path) !== undefined) {
      entry.removed = true;
      changed.add('META-INF/manifest.xml');
    }
  }

  const replacements = new Map<string, string>();
  const meta = parsed.get('meta.xml');
  if (meta !== undefined) {
    const properties = meta.root.elements().find((e) => e.is(OFFICE, 'meta'));
    if (properties !== undefined && properties.elements().length > 0) removed.add('document-info');
    replacements.set('meta.xml', minimalMeta(meta.root.attribute(OFFICE, 'version')));
  }

  const settings = parsed.get('settings.xml');
  if (settings !== undefined) {
    visitElements(settings.root, (element) => {
      const item = element.is(CONFIG, 'config-item') ? REMOVED_SETTINGS[element.attribute(CONFIG, 'name') ?? ''] : undefined;
      if (item === undefined) return;
      element.removed = true;
      removed.add(item);
      changed.add('settings.xml');
    });
  }

  let hasReview = false;
  for (const [name, document] of parsed) {
    if (name === 'meta.xml' || name === 'settings.xml' || name.startsWith('META-INF/') || removedParts.has(name)) continue;
    visitElements(document.root, (element) => {
      if (element.is(OFFICE, 'annotation') || element.is(TEXT, 'changed-region') || element.is(TABLE, 'tracked-changes')) hasReview = true;
      const items = neutralise(element);
      for (const item of items) removed.add(item);
      if (items.length > 0) changed.add(name);
    });
  }

  return { entries: cleanedEntries(entries, { removedParts, replacements, parsed, changed }), removed: [...removed], hasReview };
}

function insideAnnotation(element: XmlElement): boolean {
  for (let at = element.parent; at !== null; at = at.parent) if (at.is(OFFICE, 'annotation')) return true;
  return false;
}

/** Comments (office:annotation) and tracked changes (office:change-info) carry a dc:creator and a dc:date. */
function neutralise(element: XmlElement): RemovedItem[] {
  const people: RemovedItem = insideAnnotation(element) ? 'comment-authors' : 'change-authors';
  if (element.is(DUBLIN_CORE, 'creator') && element.replaceContent(NEUTRAL_AUTHOR)) return [people];
  if (element.is(DUBLIN_CORE, 'date') && element.replaceContent(NEUTRAL_DATE)) return [people];
  if ((element.is(META, 'creator-initials') || element.is(LIBREOFFICE_EXTENSIONS, 'sender-initials')) && element.replaceContent(NEUTRAL_INITIALS)) return [people];
  if (element.removeAttributes((a) => a.namespace === LIBREOFFICE && (a.localName === 'rsid' || a.localName === 'paragraph-rsid'))) return ['revision-ids'];
  return [];
}
