/**
 * PDF, "remove hidden information": the document is parsed whole with pdf-lib, everything that
 * describes it rather than shows it is taken out (document information, XMP, identifiers, scripts and
 * actions, attached files, annotation authors, private application data, signatures, thumbnails), and
 * only the objects the cleaned document still uses are written to a new file. Writing a new file
 * drops the earlier revisions an incremental save keeps after the newest one. Pages, text, pictures,
 * fonts, links and the document's structure are kept.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, PDFStream, type PDFContext, type PDFObject } from 'pdf-lib';
import { PdfCleaningError, type PdfCleanResult } from './pdf-result';
import { concatBytes, RemovedItems, startsWithAscii, type RemovedItem } from './report';

const name = (value: string) => PDFName.of(value);

/** Actions that run code, open other files or send data: a reader may run them without asking. */
const ACTIVE_ACTIONS = new Set(['JavaScript', 'Launch', 'SubmitForm', 'ImportData', 'ResetForm', 'Rendition', 'RichMediaExecute', 'GoToE', 'Hide', 'SetOCGState', 'Trans', 'GoTo3DView', 'Sound', 'Movie']);

/** Keys that hold hidden information in any dictionary, and what removing each is called. */
const HIDDEN_KEYS: readonly (readonly [string, RemovedItem])[] = [
  ['Metadata', 'xmp'],
  ['PieceInfo', 'app-data'],
  ['Thumb', 'thumbnail'],
  ['AA', 'scripts'],
  ['JS', 'scripts'],
  ['AF', 'embedded-files'],
  ['EF', 'embedded-files'],
];

/** Annotation keys that say who wrote an annotation and when. */
const ANNOTATION_AUTHOR_KEYS = ['T'] as const;
const ANNOTATION_TIME_KEYS = ['M', 'CreationDate'] as const;

function resolve(context: PDFContext, object: PDFObject | undefined): PDFObject | undefined {
  return object instanceof PDFRef ? context.lookup(object) : object;
}

function nameOf(context: PDFContext, dict: PDFDict, key: string): string | undefined {
  const value = resolve(context, dict.get(name(key)));
  return value instanceof PDFName ? value.decodeText() : undefined;
}

/** True when an action, or one it chains to with /Next, is an active one. */
function isActiveAction(context: PDFContext, action: PDFObject | undefined, depth = 0): boolean {
  const dict = resolve(context, action);
  if (depth > 64) return true;
  if (dict instanceof PDFArray) return dict.asArray().some((next) => isActiveAction(context, next, depth + 1));
  if (!(dict instanceof PDFDict)) return false;
  const kind = nameOf(context, dict, 'S');
  if (dict.has(name('JS')) || (kind !== undefined && ACTIVE_ACTIONS.has(kind))) return true;
  return isActiveAction(context, dict.get(name('Next')), depth + 1);
}

/** Every dictionary the document reaches from `roots`, stream dictionaries included, each once. */
function reachable(context: PDFContext, roots: readonly (PDFObject | undefined)[]): { dicts: PDFDict[]; refs: Set<PDFRef> } {
  const refs = new Set<PDFRef>();
  const dicts: PDFDict[] = [];
  const stack = roots.filter((root) => root !== undefined);
  for (let object = stack.pop(); object !== undefined; object = stack.pop()) {
    if (object instanceof PDFRef) {
      if (refs.has(object)) continue;
      refs.add(object);
      const target = context.lookup(object);
      if (target !== undefined) stack.push(target);
    } else if (object instanceof PDFStream) {
      stack.push(object.dict);
    } else if (object instanceof PDFDict) {
      dicts.push(object);
      for (const [, value] of object.entries()) stack.push(value);
    } else if (object instanceof PDFArray) {
      stack.push(...object.asArray());
    }
  }
  return { dicts, refs };
}

/** Takes hidden information out of one dictionary, whatever kind it is. */
function cleanDict(context: PDFContext, dict: PDFDict, removed: RemovedItems): void {
  for (const [key, item] of HIDDEN_KEYS) {
    if (dict.has(name(key))) {
      dict.delete(name(key));
      removed.add(item);
    }
  }
  for (const key of ['A', 'Next']) {
    if (dict.has(name(key)) && isActiveAction(context, dict.get(name(key)))) {
      dict.delete(name(key));
      removed.add('scripts');
    }
  }
  const fieldType = nameOf(context, dict, 'FT');
  const subtype = nameOf(context, dict, 'Subtype');
  // A form field's actions run when it is filled in or clicked.
  if ((fieldType !== undefined || subtype === 'Widget') && dict.has(name('A'))) {
    dict.delete(name('A'));
    removed.add('scripts');
  }
  // A signature names its signer (in its certificate too), and a rewritten file breaks it anyway.
  if (fieldType === 'Sig' && dict.has(name('V'))) {
    dict.delete(name('V'));
    removed.add('signatures');
  }
  // A markup annotation's /T is its author; a form field's /T is its name, and is kept.
  const isAnnotation = subtype !== undefined && dict.has(name('Rect'));
  if (isAnnotation && subtype !== 'Widget' && fieldType === undefined) {
    for (const key of ANNOTATION_AUTHOR_KEYS) {
      if (dict.has(name(key))) {
        dict.delete(name(key));
        removed.add('annotation-authors');
      }
    }
  }
  if (isAnnotation) {
    for (const key of ANNOTATION_TIME_KEYS) {
      if (dict.has(name(key))) {
        dict.delete(name(key));
        removed.add('time');
      }
    }
  }
  const annots = resolve(context, dict.get(name('Annots')));
  if (annots instanceof PDFArray) {
    for (let index = annots.size() - 1; index >= 0; index--) {
      const annot = resolve(context, annots.get(index));
      if (annot instanceof PDFDict && nameOf(context, annot, 'Subtype') === 'FileAttachment') {
        annots.remove(index);
        removed.add('embedded-files');
      }
    }
  }
}

/** The catalog's own hidden parts: what runs on opening, scripts and files kept by name, signature permissions. */
function cleanCatalog(context: PDFContext, catalog: PDFDict, removed: RemovedItems): void {
  const drop = (dict: PDFDict, key: string, item: RemovedItem) => {
    if (!dict.has(name(key))) return;
    dict.delete(name(key));
    removed.add(item);
  };
  drop(catalog, 'OpenAction', 'scripts');
  drop(catalog, 'Collection', 'embedded-files');
  drop(catalog, 'Perms', 'signatures');
  const names = resolve(context, catalog.get(name('Names')));
  if (names instanceof PDFDict) {
    drop(names, 'JavaScript', 'scripts');
    drop(names, 'EmbeddedFiles', 'embedded-files');
  }
  const form = resolve(context, catalog.get(name('AcroForm')));
  // XFA is a second, XML form that can carry scripts and the data typed into it.
  if (form instanceof PDFDict) drop(form, 'XFA', 'scripts');
}

/** How many times a file ends: more than once (not counting linearization's first part) means earlier revisions. */
function hasEarlierRevisions(bytes: Uint8Array): boolean {
  let ends = 0;
  for (let at = bytes.indexOf(0x25); at !== -1; at = bytes.indexOf(0x25, at + 1)) {
    if (startsWithAscii(bytes, '%%EOF', at)) ends++;
  }
  const head = String.fromCharCode(...bytes.subarray(0, 1024));
  return ends - (head.includes('/Linearized') ? 1 : 0) > 1;
}

/** Parses a PDF whole, or refuses it: an encrypted or damaged file is never guessed at. */
export async function loadPdf(bytes: Uint8Array): Promise<PDFDocument> {
  let document: PDFDocument;
  try {
    // updateMetadata: false — pdf-lib would otherwise write its own Producer, Creator and dates.
    // Encryption is checked below rather than by pdf-lib, whose error cannot be told from others.
    document = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true, throwOnInvalidObject: true });
  } catch (cause) {
    throw new PdfCleaningError('pdf-unreadable', { cause });
  }
  if (document.isEncrypted) throw new PdfCleaningError('pdf-encrypted');
  return document;
}

/** Writes a document as a new file, with no information dictionary, identifier or default page added. */
export async function savePdf(document: PDFDocument): Promise<Uint8Array<ArrayBuffer>> {
  const saved = await document.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
  return concatBytes([saved]);
}

/** Removes the hidden information of a PDF; see the file's comment for what is kept. */
export async function cleanPdf(bytes: Uint8Array): Promise<PdfCleanResult> {
  const document = await loadPdf(bytes);
  const { context } = document;
  let pageCount: number;
  let catalog: PDFObject | undefined;
  try {
    pageCount = document.getPageCount();
    catalog = context.lookup(context.trailerInfo.Root);
  } catch (cause) {
    throw new PdfCleaningError('pdf-unreadable', { cause });
  }
  if (!(catalog instanceof PDFDict) || pageCount === 0) throw new PdfCleaningError('pdf-unreadable');

  const removed = new RemovedItems();
  if (context.trailerInfo.Info !== undefined) removed.add('document-info');
  if (context.trailerInfo.ID !== undefined) removed.add('document-id');
  delete context.trailerInfo.Info;
  delete context.trailerInfo.ID;
  cleanCatalog(context, catalog, removed);
  for (const dict of reachable(context, [context.trailerInfo.Root]).dicts) cleanDict(context, dict, removed);

  // Only what the cleaned document still uses is written: earlier revisions, the old information
  // dictionary and everything taken out above are left behind.
  const { refs } = reachable(context, [context.trailerInfo.Root]);
  let largest = 0;
  for (const [ref] of context.enumerateIndirectObjects()) {
    if (!refs.has(ref)) context.delete(ref);
    else largest = Math.max(largest, ref.objectNumber);
  }
  // The trailer's /Size counts from the largest object number kept, not the largest ever parsed.
  context.largestObjectNumber = largest;
  if (hasEarlierRevisions(bytes)) removed.add('revisions');
  return { bytes: await savePdf(document), removed: removed.list(), pageCount };
}
