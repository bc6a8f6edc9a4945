/**
 * A small, strict XML reader and writer for the parts of Office and OpenDocument files: it checks
 * that a part is well-formed (and namespace-well-formed), resolves names to their namespaces, and
 * writes the part back byte for byte except where an element or attribute was changed. The unit
 * tests run in Node, which has no DOMParser, and the cleaners must behave the same there and in the
 * browser. Document type declarations are refused: Office and OpenDocument parts never have one, and
 * entities they define could expand without bound.
 */
import type { ZipEntry } from './office-zip';
import { MalformedDocumentError } from './report';

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';
const NAME = /^[^\s<>&"'=/!?]+$/;
const REFERENCE = /&(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/g;

export interface XmlAttribute {
  /** The name as written, with its prefix. */
  readonly qualifiedName: string;
  readonly namespace: string | null;
  readonly localName: string;
  /** The value with its references resolved. */
  readonly value: string;
}

type XmlChild = XmlElement | string;

/** An element of a parsed part; changes made to it are written by `serializeXml`. */
export class XmlElement {
  readonly children: XmlChild[] = [];
  private changed = false;
  removed = false;

  constructor(
    readonly qualifiedName: string,
    readonly namespace: string | null,
    readonly localName: string,
    private attributeList: XmlAttribute[],
    /** The start tag as written, reused when nothing in it changed. */
    private readonly startTag: string,
    readonly parent: XmlElement | null,
  ) {}

  get attributes(): readonly XmlAttribute[] {
    return this.attributeList;
  }

  is(namespaces: ReadonlySet<string> | string, localName: string): boolean {
    if (this.localName !== localName || this.namespace === null) return false;
    return typeof namespaces === 'string' ? this.namespace === namespaces : namespaces.has(this.namespace);
  }

  attribute(namespace: string | null, localName: string): string | undefined {
    return this.attributeList.find((a) => a.namespace === namespace && a.localName === localName)?.value;
  }

  /** Removes the attributes `select` picks; true when any was there. */
  removeAttributes(select: (attribute: XmlAttribute) => boolean): boolean {
    const kept = this.attributeList.filter((a) => !select(a));
    if (kept.length === this.attributeList.length) return false;
    this.attributeList = kept;
    this.changed = true;
    return true;
  }

  /** Gives the attributes `select` picks the value `value`; true when any had another value. */
  replaceAttributes(select: (attribute: XmlAttribute) => boolean, value: string): boolean {
    let replaced = false;
    this.attributeList = this.attributeList.map((a) => {
      if (!select(a) || a.value === value) return a;
      replaced = true;
      return { ...a, value };
    });
    if (replaced) this.changed = true;
    return replaced;
  }

  /** All the text inside the element, references resolved. */
  textContent(): string {
    return this.children.map((child) => (typeof child === 'string' ? decodeText(child) : child.textContent())).join('');
  }

  /** Replaces everything inside the element with `text`; true when it held anything else. */
  replaceContent(text: string): boolean {
    const same = this.children.length === 1 && this.children[0] === escapeText(text);
    if (same || (text === '' && this.children.length === 0)) return false;
    this.children.splice(0, this.children.length, ...(text === '' ? [] : [escapeText(text)]));
    return true;
  }

  /** The child elements, in order. */
  elements(): XmlElement[] {
    return this.children.filter((child): child is XmlElement => typeof child !== 'string' && !child.removed);
  }

  /** Writes the start tag, `/>` included for an empty element. */
  writeStartTag(empty: boolean): string {
    if (!this.changed && this.startTag.endsWith('/>') === empty) return this.startTag;
    const attributes = this.attributeList.map((a) => ` ${a.qualifiedName}="${escapeAttribute(a.value)}"`).join('');
    return `<${this.qualifiedName}${attributes}${empty ? '/>' : '>'}`;
  }
}

export interface XmlDocument {
  /** What precedes the root element as written: declaration, comments, processing instructions. */
  readonly prolog: string;
  readonly root: XmlElement;
  readonly epilog: string;
}

function decodeText(raw: string): string {
  if (raw.startsWith('<![CDATA[')) return raw.slice(9, -3);
  if (raw.startsWith('<!--') || raw.startsWith('<?')) return '';
  return raw.replace(REFERENCE, (reference) => {
    const body = reference.slice(1, -1);
    if (body.startsWith('#x')) return String.fromCodePoint(Number.parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(Number.parseInt(body.slice(1), 10));
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[body] as string;
  });
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

/** Character data must not hold `<`, a lone `&`, `]]>` or a reference to a character XML forbids. */
function checkText(text: string): void {
  if (text.includes('<') || text.includes(']]>')) throw new MalformedDocumentError('office-bad-xml');
  checkReferences(text);
}

function checkReferences(text: string): void {
  for (const match of text.matchAll(/&[^;]{0,12};?/g)) {
    if (!new RegExp(`^${REFERENCE.source}$`).test(match[0])) throw new MalformedDocumentError('office-bad-xml');
    const body = match[0].slice(1, -1);
    if (body.startsWith('#')) {
      const code = body.startsWith('#x') ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
      if (!allowed) throw new MalformedDocumentError('office-bad-xml');
    }
  }
}

function splitName(qualifiedName: string): [prefix: string | null, localName: string] {
  if (!NAME.test(qualifiedName)) throw new MalformedDocumentError('office-bad-xml');
  const parts = qualifiedName.split(':');
  if (parts.length === 1) return [null, qualifiedName];
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') throw new MalformedDocumentError('office-bad-xml');
  return [parts[0] as string, parts[1] as string];
}

interface RawAttribute {
  readonly name: string;
  readonly value: string;
}

/** Parses the attributes of a start tag's inside (after its name, before `>` or `/>`). */
function parseAttributes(inside: string): RawAttribute[] {
  const attributes: RawAttribute[] = [];
  const pattern = /\s+([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')|\s*$/y;
  let at = 0;
  while (at < inside.length) {
    pattern.lastIndex = at;
    const match = pattern.exec(inside);
    if (match === null || match[0] === '') throw new MalformedDocumentError('office-bad-xml');
    if (match[1] === undefined) break;
    const raw = match[2] ?? match[3] ?? '';
    if (raw.includes('<')) throw new MalformedDocumentError('office-bad-xml');
    checkReferences(raw);
    // Whitespace in a value is normalised to spaces by any reader: that is what it means.
    const value = decodeText(raw.replace(/[\t\n\r]/g, ' '));
    if (attributes.some((a) => a.name === match[1])) throw new MalformedDocumentError('office-bad-xml');
    attributes.push({ name: match[1] as string, value });
    at = pattern.lastIndex;
  }
  return attributes;
}

/** Parses one part; throws MalformedDocumentError('office-bad-xml') unless it is well-formed. */
export function parseXml(text: string): XmlDocument {
  const scopes: Map<string, string | null>[] = [new Map<string, string | null>([['xml', XML_NAMESPACE]])];
  const lookup = (prefix: string): string | null | undefined => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const found = scopes[i]?.get(prefix);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  let prolog = '';
  let root: XmlElement | undefined;
  let current: XmlElement | null = null;
  let epilogStart = -1;
  let at = 0;

  const addOutside = (raw: string): void => {
    if (root === undefined) prolog += raw;
  };

  while (at < text.length) {
    const open = text.indexOf('<', at);
    const end = open === -1 ? text.length : open;
    if (end > at) {
      const chars = text.slice(at, end);
      if (current === null) {
        if (chars.trim() !== '' && !(at === 0 && chars === '\ufeff')) throw new MalformedDocumentError('office-bad-xml');
        addOutside(chars);
      } else {
        checkText(chars);
        current.children.push(chars);
      }
    }
    if (open === -1) break;
    const close = (token: string, from: number): number => {
      const found = text.indexOf(token, from);
      if (found === -1) throw new MalformedDocumentError('office-bad-xml');
      return found + token.length;
    };
    let next: number;
    if (text.startsWith('<!--', open)) {
      next = close('-->', open + 4);
      if (text.slice(open + 4, next - 3).includes('--')) throw new MalformedDocumentError('office-bad-xml');
      if (current === null) addOutside(text.slice(open, next));
      else current.children.push(text.slice(open, next));
    } else if (text.startsWith('<?', open)) {
      next = close('?>', open + 2);
      const target = /^<\?([^\s?]+)/.exec(text.slice(open, next))?.[1] ?? '';
      // The declaration only at the very start; no other processing instruction may be named xml.
      if (target.toLowerCase() === 'xml' && (target !== 'xml' || open !== (text.startsWith('\ufeff') ? 1 : 0))) throw new MalformedDocumentError('office-bad-xml');
      if (target === '') throw new MalformedDocumentError('office-bad-xml');
      if (current === null) addOutside(text.slice(open, next));
      else current.children.push(text.slice(open, next));
    } else if (text.startsWith('<![CDATA[', open)) {
      if (current === null) throw new MalformedDocumentError('office-bad-xml');
      next = close(']]>', open + 9);
      current.children.push(text.slice(open, next));
    } else if (text.startsWith('<!', open)) {
      throw new MalformedDocumentError('office-bad-xml');
    } else if (text.startsWith('</', open)) {
      next = close('>', open + 2);
      const name = text.slice(open + 2, next - 1).trimEnd();
      if (current === null || name !== current.qualifiedName) throw new MalformedDocumentError('office-bad-xml');
      scopes.pop();
      current = current.parent;
      if (current === null) epilogStart = next;
    } else {
      next = open + 1;
      // A start tag ends at the first `>` outside quoted attribute values.
      let quote = '';
      while (next < text.length && (quote !== '' || text[next] !== '>')) {
        const char = text[next] as string;
        if (quote === '' && (char === '"' || char === "'")) quote = char;
        else if (char === quote) quote = '';
        next++;
      }
      if (next >= text.length) throw new MalformedDocumentError('office-bad-xml');
      next++;
      const tag = text.slice(open, next);
      const empty = tag.endsWith('/>');
      const body = tag.slice(1, empty ? -2 : -1);
      const nameMatch = /^[^\s/>]+/.exec(body);
      if (nameMatch === null) throw new MalformedDocumentError('office-bad-xml');
      if (root !== undefined && current === null) throw new MalformedDocumentError('office-bad-xml');
      const raw = parseAttributes(body.slice(nameMatch[0].length));
      const scope = new Map<string, string | null>();
      for (const { name, value } of raw) {
        if (name === 'xmlns') scope.set('', value === '' ? null : value);
        else if (name.startsWith('xmlns:')) {
          const prefix = name.slice(6);
          if (value === '' || prefix === 'xmlns' || (prefix === 'xml') !== (value === XML_NAMESPACE)) throw new MalformedDocumentError('office-bad-xml');
          scope.set(prefix, value);
        }
      }
      scopes.push(scope);
      const [prefix, localName] = splitName(nameMatch[0]);
      const namespace = prefix === null ? (lookup('') ?? null) : lookup(prefix);
      if (namespace === undefined || (prefix !== null && namespace === null)) throw new MalformedDocumentError('office-bad-xml');
      const attributes = raw.map(({ name, value }): XmlAttribute => {
        const [attributePrefix, attributeLocal] = splitName(name);
        if (attributePrefix === null) return { qualifiedName: name, namespace: name === 'xmlns' ? XMLNS_NAMESPACE : null, localName: attributeLocal, value };
        const attributeNamespace = attributePrefix === 'xmlns' ? XMLNS_NAMESPACE : lookup(attributePrefix);
        if (attributeNamespace === undefined || attributeNamespace === null) throw new MalformedDocumentError('office-bad-xml');
        return { qualifiedName: name, namespace: attributeNamespace, localName: attributeLocal, value };
      });
      const seen = new Set(attributes.map((a) => `${a.namespace ?? ''}\u0000${a.localName}`));
      if (seen.size !== attributes.length) throw new MalformedDocumentError('office-bad-xml');
      const element: XmlElement = new XmlElement(nameMatch[0], namespace, localName, attributes, tag, current);
      if (current === null) root = element;
      else current.children.push(element);
      if (empty) {
        scopes.pop();
        if (current === null) epilogStart = next;
      } else {
        current = element;
      }
    }
    at = next;
  }
  if (root === undefined || current !== null) throw new MalformedDocumentError('office-bad-xml');
  return { prolog, root, epilog: text.slice(epilogStart) };
}

function serializeElement(element: XmlElement): string {
  const children = element.children.filter((child) => typeof child === 'string' || !child.removed);
  if (children.length === 0) return element.writeStartTag(true);
  const inside = children.map((child) => (typeof child === 'string' ? child : serializeElement(child))).join('');
  return `${element.writeStartTag(false)}${inside}</${element.qualifiedName}>`;
}

export function serializeXml(document: XmlDocument): string {
  return `${document.prolog}${serializeElement(document.root)}${document.epilog}`;
}

/** Calls `visit` on every element in document order, not inside elements it removed. */
export function visitElements(root: XmlElement, visit: (element: XmlElement) => void): void {
  const walk = (element: XmlElement): void => {
    visit(element);
    if (element.removed) return;
    for (const child of element.elements()) walk(child);
  };
  walk(root);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const ENCODER = new TextEncoder();

/** Decodes a part, which must be UTF-8 (the encoding every Office and OpenDocument writer uses). */
export function decodeXml(bytes: Uint8Array): XmlDocument {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw new MalformedDocumentError('office-bad-xml');
  }
  const encoding = /^\ufeff?<\?xml[^>]*\sencoding\s*=\s*["']([^"']+)["']/.exec(text)?.[1];
  if (encoding !== undefined && encoding.toLowerCase() !== 'utf-8') throw new MalformedDocumentError('office-bad-xml');
  return parseXml(text);
}

export function encodeXml(document: XmlDocument): Uint8Array<ArrayBuffer> {
  return ENCODER.encode(serializeXml(document));
}

/**
 * A package's entries once cleaned: removed parts left out, replaced parts written anew, XML parts
 * changed in place encoded again, and every other entry exactly as it came.
 */
export function cleanedEntries(
  entries: readonly ZipEntry[],
  edits: {
    readonly removedParts: { has(name: string): boolean };
    readonly replacements: ReadonlyMap<string, string>;
    readonly parsed: ReadonlyMap<string, XmlDocument>;
    readonly changed: ReadonlySet<string>;
  },
): ZipEntry[] {
  const encoder = new TextEncoder();
  return entries
    .filter((entry) => !edits.removedParts.has(entry.name))
    .map((entry): ZipEntry => {
      const replacement = edits.replacements.get(entry.name);
      if (replacement !== undefined) return { name: entry.name, data: encoder.encode(replacement) };
      const document = edits.parsed.get(entry.name);
      return edits.changed.has(entry.name) && document !== undefined ? { name: entry.name, data: encodeXml(document) } : entry;
    });
}
