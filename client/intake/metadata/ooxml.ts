/**
 * Office Open XML (docx, xlsx, pptx) metadata removal over a package's entries: document properties
 * emptied, custom properties, thumbnails, printer settings, signatures and Word's people list removed
 * with their relationships and content types, comments' and tracked changes' authors and dates made
 * neutral, revision ids and saved paths removed. What the document says is never changed.
 */
import { cleanedEntries, decodeXml, visitElements, type XmlAttribute, type XmlElement } from './office-xml';
import type { ZipEntry } from './office-zip';
import type { RemovedItem } from './report';

/** What comments and tracked changes are attributed to once cleaned. */
export const NEUTRAL_AUTHOR = 'Author';
export const NEUTRAL_INITIALS = 'A';
export const NEUTRAL_DATE = '2000-01-01T00:00:00Z';

const RELATIONSHIPS = new Set(['http://schemas.openxmlformats.org/package/2006/relationships']);
const CONTENT_TYPES = new Set(['http://schemas.openxmlformats.org/package/2006/content-types']);
/** Attributes that point at relationships (r:id, r:embed, ...), transitional and strict. */
const RELATIONSHIP_REFERENCES = new Set(['http://schemas.openxmlformats.org/officeDocument/2006/relationships', 'http://purl.oclc.org/ooxml/officeDocument/relationships']);
const WORD = new Set(['http://schemas.openxmlformats.org/wordprocessingml/2006/main', 'http://purl.oclc.org/ooxml/wordprocessingml/main']);
const WORD_2010_2012 = new Set(['http://schemas.microsoft.com/office/word/2010/wordml', 'http://schemas.microsoft.com/office/word/2012/wordml']);
const WORD_2012 = 'http://schemas.microsoft.com/office/word/2012/wordml';
const SPREADSHEET = new Set(['http://schemas.openxmlformats.org/spreadsheetml/2006/main', 'http://purl.oclc.org/ooxml/spreadsheetml/main']);
const SPREADSHEET_PATHS = 'http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac';
const THREADED_COMMENTS = 'http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments';
const PRESENTATION = new Set(['http://schemas.openxmlformats.org/presentationml/2006/main', 'http://purl.oclc.org/ooxml/presentationml/main']);
const MODERN_COMMENTS = 'http://schemas.microsoft.com/office/powerpoint/2018/8/main';

/** Elements whose presence means the document holds comments or tracked changes. */
const WORD_REVIEW = new Set(['comment', 'ins', 'del', 'moveFrom', 'moveTo', 'rPrChange', 'pPrChange', 'sectPrChange', 'tblPrChange', 'trPrChange', 'tcPrChange', 'tblGridChange', 'numberingChange', 'cellIns', 'cellDel', 'cellMerge']);

/** Relationship types (their last word, transitional or strict) whose targets are removed, and why. */
const REMOVED_RELATIONSHIPS: Readonly<Record<string, RemovedItem>> = {
  'custom-properties': 'custom-properties',
  customProperties: 'custom-properties',
  thumbnail: 'thumbnail',
  printerSettings: 'printer',
  people: 'comment-authors',
  origin: 'signatures',
  attachedTemplate: 'file-paths',
};

/** Parts removed whether or not a relationship names them. */
function removedByName(name: string): RemovedItem | undefined {
  if (name === 'docProps/custom.xml') return 'custom-properties';
  if (/^docProps\/thumbnail\.[^/]+$/i.test(name)) return 'thumbnail';
  if (/(^|\/)printerSettings\/[^/]+$/i.test(name)) return 'printer';
  if (name.startsWith('_xmlsignatures/')) return 'signatures';
  return undefined;
}

const MINIMAL_CORE =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>';
const MINIMAL_APP =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>';

export interface OoxmlCleanResult {
  readonly entries: readonly ZipEntry[];
  readonly removed: readonly RemovedItem[];
  /** The document holds comments or tracked changes, whose text stays. */
  readonly hasReview: boolean;
}

/** The part a `.rels` entry describes: `word/_rels/document.xml.rels` → `word/document.xml`. */
function relationshipSource(relsName: string): string | undefined {
  const match = /^(.*?)_rels\/([^/]*)\.rels$/.exec(relsName);
  return match === null ? undefined : `${match[1]}${match[2]}`;
}

/** A relationship's internal target as an entry name, resolved against its source part's folder. */
function resolveTarget(source: string, target: string): string {
  const path = target.startsWith('/') ? target.slice(1) : `${source.slice(0, source.lastIndexOf('/') + 1)}${target}`;
  const parts: string[] = [];
  for (const part of decodeURIComponentSafe(path).split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/');
}

function decodeURIComponentSafe(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function relationshipKind(type: string | undefined): string {
  return type?.slice(type.lastIndexOf('/') + 1) ?? '';
}

const isXmlPart = (name: string): boolean => /\.(xml|rels)$/i.test(name);

/** Removes metadata from the entries of an OOXML package; throws MalformedDocumentError for parts that do not parse. */
export function cleanOoxml(entries: readonly ZipEntry[]): OoxmlCleanResult {
  const removed = new Set<RemovedItem>();
  const parsed = new Map(entries.filter((e) => isXmlPart(e.name)).map((e) => [e.name, decodeXml(e.data)]));
  const changed = new Set<string>();

  // Which parts go: by the relationships that name them, then by name.
  const removedParts = new Map<string, RemovedItem>();
  for (const [name, document] of parsed) {
    const source = relationshipSource(name);
    if (source === undefined || !RELATIONSHIPS.has(document.root.namespace ?? '')) continue;
    for (const relationship of document.root.elements()) {
      const item = REMOVED_RELATIONSHIPS[relationshipKind(relationship.attribute(null, 'Type'))];
      const target = relationship.attribute(null, 'Target');
      if (item !== undefined && target !== undefined && relationship.attribute(null, 'TargetMode') !== 'External') removedParts.set(resolveTarget(source, target), item);
    }
  }
  for (const { name } of entries) {
    const item = removedByName(name);
    if (item !== undefined) removedParts.set(name, item);
  }
  const present = new Set(entries.map((e) => e.name));
  for (const [name, item] of removedParts) if (present.has(name)) removed.add(item);
  // A removed part's own relationships go with it.
  for (const name of [...removedParts.keys()]) {
    const slash = name.lastIndexOf('/') + 1;
    removedParts.set(`${name.slice(0, slash)}_rels/${name.slice(slash)}.rels`, removedParts.get(name) as RemovedItem);
  }

  // Relationships to removed parts (or of removed kinds), and the references to them in their source parts.
  const droppedIds = new Map<string, Set<string>>();
  for (const [name, document] of parsed) {
    const source = relationshipSource(name);
    if (source === undefined || removedParts.has(name) || !RELATIONSHIPS.has(document.root.namespace ?? '')) continue;
    for (const relationship of document.root.elements()) {
      const item = REMOVED_RELATIONSHIPS[relationshipKind(relationship.attribute(null, 'Type'))];
      const target = relationship.attribute(null, 'Target') ?? '';
      const external = relationship.attribute(null, 'TargetMode') === 'External';
      if (item === undefined && (external || !removedParts.has(resolveTarget(source, target)))) continue;
      relationship.removed = true;
      changed.add(name);
      if (item !== undefined) removed.add(item);
      const id = relationship.attribute(null, 'Id');
      if (id !== undefined) droppedIds.set(source, (droppedIds.get(source) ?? new Set()).add(id));
    }
  }
  for (const [source, ids] of droppedIds) {
    const document = parsed.get(source);
    if (document === undefined) continue;
    visitElements(document.root, (element) => {
      if (element.removeAttributes((a) => RELATIONSHIP_REFERENCES.has(a.namespace ?? '') && ids.has(a.value))) changed.add(source);
    });
  }

  const contentTypes = parsed.get('[Content_Types].xml');
  if (contentTypes !== undefined && CONTENT_TYPES.has(contentTypes.root.namespace ?? '')) {
    for (const override of contentTypes.root.elements()) {
      const part = override.attribute(null, 'PartName');
      if (override.localName === 'Override' && part !== undefined && removedParts.has(resolveTarget('', part))) {
        override.removed = true;
        changed.add('[Content_Types].xml');
      }
    }
  }

  // The package's own properties, found by their relationships' types.
  const rootRelationships = parsed.get('_rels/.rels');
  const propertyParts = new Map<string, string>();
  for (const relationship of rootRelationships?.root.elements() ?? []) {
    const kind = relationshipKind(relationship.attribute(null, 'Type'));
    const target = relationship.attribute(null, 'Target');
    if (target !== undefined && (kind === 'core-properties' || kind === 'extended-properties')) propertyParts.set(resolveTarget('', target), kind);
  }
  const replacements = new Map<string, string>();
  for (const [name, kind] of propertyParts) {
    const document = parsed.get(name);
    if (document === undefined) continue;
    // Only the properties a reader needs to open the file are kept: none.
    if (document.root.elements().length > 0) removed.add('document-info');
    replacements.set(name, kind === 'core-properties' ? MINIMAL_CORE : MINIMAL_APP);
  }

  let hasReview = false;
  for (const [name, document] of parsed) {
    if (removedParts.has(name) || replacements.has(name) || relationshipSource(name) !== undefined) continue;
    visitElements(document.root, (element) => {
      const outcome = neutralise(element);
      if (outcome.review) hasReview = true;
      for (const item of outcome.removed) removed.add(item);
      if (outcome.removed.length > 0) changed.add(name);
    });
  }

  return { entries: cleanedEntries(entries, { removedParts, replacements, parsed, changed }), removed: [...removed], hasReview };
}

interface Outcome {
  readonly removed: RemovedItem[];
  readonly review: boolean;
}

const inNamespace =
  (namespaces: ReadonlySet<string> | string, ...localNames: string[]) =>
  (a: XmlAttribute): boolean =>
    a.namespace !== null && (typeof namespaces === 'string' ? a.namespace === namespaces : namespaces.has(a.namespace)) && localNames.includes(a.localName);

/** Makes one element's people and dates neutral; says what it changed and whether it is a comment or a change. */
function neutralise(element: XmlElement): Outcome {
  const removed: RemovedItem[] = [];
  const namespace = element.namespace ?? '';
  const review = (WORD.has(namespace) && WORD_REVIEW.has(element.localName)) || element.is(SPREADSHEET, 'comment') || element.is(THREADED_COMMENTS, 'threadedComment') || element.is(PRESENTATION, 'cm') || element.is(MODERN_COMMENTS, 'cm');
  const people = element.localName === 'comment' || element.localName === 'commentExtensible' ? 'comment-authors' : 'change-authors';

  if (WORD.has(namespace)) {
    if (element.localName === 'rsids' || element.localName === 'attachedTemplate') {
      element.removed = true;
      return { removed: [element.localName === 'rsids' ? 'revision-ids' : 'file-paths'], review };
    }
    let touched = element.replaceAttributes(inNamespace(WORD, 'author'), NEUTRAL_AUTHOR);
    touched = element.replaceAttributes(inNamespace(WORD, 'initials'), NEUTRAL_INITIALS) || touched;
    touched = element.replaceAttributes(inNamespace(WORD, 'date'), NEUTRAL_DATE) || touched;
    if (touched) removed.push(people);
    if (element.removeAttributes((a) => WORD.has(a.namespace ?? '') && a.localName.startsWith('rsid'))) removed.push('revision-ids');
  }
  // Word 2016 and later also record each comment's and change's time in UTC, in namespaces of their own.
  if (element.replaceAttributes((a) => a.localName === 'dateUtc' && (a.namespace ?? '').startsWith('http://schemas.microsoft.com/office/word/'), NEUTRAL_DATE)) removed.push(people);
  if (element.is(WORD_2010_2012, 'docId')) {
    element.removed = true;
    removed.push('revision-ids');
  }
  if (element.is(WORD_2012, 'person')) {
    if (element.replaceAttributes(inNamespace(WORD_2012, 'author'), NEUTRAL_AUTHOR)) removed.push('comment-authors');
  }
  if (element.is(WORD_2012, 'presenceInfo')) {
    element.removed = true;
    removed.push('comment-authors');
  }

  if (SPREADSHEET.has(namespace)) {
    if (element.localName === 'author' && element.parent?.localName === 'authors' && element.replaceContent(NEUTRAL_AUTHOR)) removed.push('comment-authors');
    // Shared workbooks' revision logs and sharing settings name users and times.
    let touched = element.replaceAttributes((a) => a.namespace === null && (a.localName === 'userName' || (a.localName === 'name' && element.localName === 'userInfo')), NEUTRAL_AUTHOR);
    touched = element.replaceAttributes((a) => a.namespace === null && a.localName === 'dateTime', NEUTRAL_DATE) || touched;
    if (touched) removed.push('change-authors');
  }
  if (element.is(SPREADSHEET_PATHS, 'absPath')) {
    element.removed = true;
    removed.push('file-paths');
  }
  if (element.is(THREADED_COMMENTS, 'person')) {
    let touched = element.replaceAttributes((a) => a.namespace === null && a.localName === 'displayName', NEUTRAL_AUTHOR);
    touched = element.removeAttributes((a) => a.namespace === null && (a.localName === 'userId' || a.localName === 'providerId')) || touched;
    if (touched) removed.push('comment-authors');
  }
  if (element.is(THREADED_COMMENTS, 'threadedComment') && element.replaceAttributes((a) => a.namespace === null && a.localName === 'dT', NEUTRAL_DATE)) removed.push('comment-authors');

  if (element.is(PRESENTATION, 'cmAuthor') || element.is(MODERN_COMMENTS, 'author')) {
    let touched = element.replaceAttributes((a) => a.namespace === null && a.localName === 'name', NEUTRAL_AUTHOR);
    touched = element.replaceAttributes((a) => a.namespace === null && a.localName === 'initials', NEUTRAL_INITIALS) || touched;
    touched = element.replaceAttributes((a) => a.namespace === null && (a.localName === 'userId' || a.localName === 'providerId'), NEUTRAL_AUTHOR) || touched;
    if (touched) removed.push('comment-authors');
  }
  if ((element.is(PRESENTATION, 'cm') && element.replaceAttributes((a) => a.namespace === null && a.localName === 'dt', NEUTRAL_DATE)) || ((element.is(MODERN_COMMENTS, 'cm') || element.is(MODERN_COMMENTS, 'reply')) && element.replaceAttributes((a) => a.namespace === null && a.localName === 'created', NEUTRAL_DATE))) {
    removed.push('comment-authors');
  }
  return { removed, review };
}
