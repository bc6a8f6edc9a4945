/**
 * Office Open XML and OpenDocument cleaning (client/intake/metadata/office*.ts, ooxml.ts, odf.ts):
 * documents built with fflate are cleaned, then read back as an investigator would, with `unzip` and
 * `exiftool`: no name, date or id survives, the text does, and the package is still well-formed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanFile } from '../../../client/intake/metadata/index';
import { cleanOffice, type OfficeCleanResult } from '../../../client/intake/metadata/office';
import { parseXml, serializeXml } from '../../../client/intake/metadata/office-xml';
import { MAX_UNZIPPED_BYTES, MAX_ZIP_ENTRIES } from '../../../client/intake/metadata/office-zip';
import { MalformedDocumentError, type MalformedDocumentCode } from '../../../client/intake/metadata/report';
import { buildDocx, buildOdt, buildPptx, buildXlsx, KEPT, SECRETS } from '../../fixtures/documents/office';

const workDir = mkdtempSync(join(tmpdir(), 'candor-office-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function cleaned(bytes: Uint8Array<ArrayBuffer>): OfficeCleanResult {
  const result = cleanOffice(bytes);
  if (result === 'not-a-document') throw new Error('expected a document');
  return result;
}

function writeTemp(name: string, bytes: Uint8Array): string {
  const path = join(workDir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Everything an investigator's tools read from a file: every entry's bytes (`unzip -p`) and `exiftool -a -G1`. */
function whatToolsRead(path: string): string {
  execFileSync('unzip', ['-tq', path]);
  return [execFileSync('unzip', ['-p', path]).toString('latin1'), execFileSync('exiftool', ['-a', '-G1', '-u', path]).toString('utf8')].join('\n');
}

function entryNames(path: string): string[] {
  return execFileSync('unzip', ['-Z1', path]).toString('utf8').trim().split('\n');
}

function expectNoSecrets(text: string): void {
  for (const [name, secret] of Object.entries(SECRETS)) expect(text.includes(secret), `${name} survived`).toBe(false);
}

function expectWellFormedParts(bytes: Uint8Array): void {
  for (const [name, data] of Object.entries(unzipSync(bytes))) {
    if (/\.(xml|rels)$/.test(name)) expect(() => parseXml(new TextDecoder().decode(data)), name).not.toThrow();
  }
}

function malformedCode(bytes: Uint8Array<ArrayBuffer>): MalformedDocumentCode {
  try {
    cleanOffice(bytes);
  } catch (error) {
    if (error instanceof MalformedDocumentError) return error.code;
    throw error;
  }
  throw new Error('expected MalformedDocumentError');
}

describe('Office Open XML', () => {
  it('when a docx has properties, comments, tracked changes and revision ids by a named author, then none survives and the text, comment and changes stay', () => {
    const input = buildDocx();
    expect(whatToolsRead(writeTemp('input.docx', input))).toContain(SECRETS.author);
    const { bytes, removed, hasReview } = cleaned(input);
    expect(removed).toEqual(['gps', 'exif', 'thumbnail', 'xmp', 'iptc', 'comment', 'time', 'trailing', 'document-info', 'custom-properties', 'comment-authors', 'change-authors', 'revision-ids', 'file-paths', 'other']);
    expect(hasReview).toBe(true);

    const path = writeTemp('cleaned.docx', bytes);
    const read = whatToolsRead(path);
    expectNoSecrets(read);
    expect(read).not.toMatch(/2023[-:]04/);
    for (const text of Object.values(KEPT)) expect(read).toContain(text);
    expect(read).toContain('w:author="Author"');
    expect(read).toContain(' bold &amp; plain');
    expect(entryNames(path)).not.toEqual(expect.arrayContaining(['docProps/custom.xml']));
    expect(entryNames(path).filter((name) => /custom|thumbnail|people/.test(name))).toEqual([]);
    expectWellFormedParts(bytes);

    // Nothing points at what was removed: no relationship, no content type, no r:id.
    const parts = unzipSync(bytes);
    const text = (name: string) => new TextDecoder().decode(parts[name]);
    expect(text('[Content_Types].xml')).not.toMatch(/custom\.xml|people\.xml/);
    expect(text('_rels/.rels')).not.toMatch(/custom|thumbnail/);
    expect(text('_rels/.rels')).toContain('docProps/core.xml');
    expect(text('word/_rels/document.xml.rels')).not.toContain('people');
    expect(text('word/_rels/settings.xml.rels')).not.toContain('Relationship ');
    expect(text('word/settings.xml')).toContain('<w:trackRevisions/>');
    expect(text('docProps/core.xml')).toMatch(/<cp:coreProperties [^>]*\/>$/);
  });

  it('when an xlsx has a legacy and a threaded comment, printer settings and its saved folder, then they are neutral or gone and the page setup keeps no dangling reference', () => {
    const { bytes, removed, hasReview } = cleaned(buildXlsx());
    expect(removed).toEqual(expect.arrayContaining(['document-info', 'comment-authors', 'printer', 'file-paths']));
    expect(hasReview).toBe(true);
    const path = writeTemp('cleaned.xlsx', bytes);
    const read = whatToolsRead(path);
    expectNoSecrets(read);
    expect(read).toContain(KEPT.body);
    expect(read).toContain(KEPT.comment);
    expect(entryNames(path).some((name) => name.includes('printerSettings'))).toBe(false);
    const parts = unzipSync(bytes);
    expect(new TextDecoder().decode(parts['xl/worksheets/sheet1.xml'])).toContain('<pageSetup paperSize="9" orientation="portrait"/>');
    expect(new TextDecoder().decode(parts['xl/worksheets/_rels/sheet1.xml.rels'])).not.toContain('printerSettings');
    expect(new TextDecoder().decode(parts['xl/workbook.xml'])).toContain('<fileVersion appName="xl" lastEdited="7"');
    expectWellFormedParts(bytes);
  });

  it('when a pptx has legacy and modern comments by a named author, then their authors and dates are neutral', () => {
    const { bytes, removed } = cleaned(buildPptx());
    expect(removed).toEqual(expect.arrayContaining(['document-info', 'comment-authors']));
    const read = whatToolsRead(writeTemp('cleaned.pptx', bytes));
    expectNoSecrets(read);
    expect(read).toContain(KEPT.comment);
    expect(read).toContain('name="Author" initials="A"');
    expectWellFormedParts(bytes);
  });

  it('when a cleaned document is cleaned again, then nothing more is found and it is returned as it is', () => {
    for (const build of [buildDocx, buildXlsx, buildPptx, buildOdt]) {
      const once = cleaned(build()).bytes;
      const twice = cleaned(once);
      expect(twice.removed).toEqual([]);
      expect(twice.bytes).toBe(once);
    }
  });

  it('when Word parts use other prefixes for the same namespaces, then they are cleaned all the same', () => {
    const document = `<?xml version="1.0"?><x:document xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><x:body><x:p x:rsidR="AB"><x:ins x:author="${SECRETS.author}" x:date="${SECRETS.date}" x:id="1"/></x:p></x:body></x:document>`;
    const input = zipSync({ '[Content_Types].xml': strToU8('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'), 'word/document.xml': strToU8(document) }) as Uint8Array<ArrayBuffer>;
    const { bytes, removed } = cleaned(input);
    expect(removed).toEqual(['time', 'change-authors', 'revision-ids']);
    expect(new TextDecoder().decode(unzipSync(bytes)['word/document.xml'])).toBe(
      '<?xml version="1.0"?><x:document xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><x:body><x:p><x:ins x:author="Author" x:date="2000-01-01T00:00:00Z" x:id="1"/></x:p></x:body></x:document>',
    );
  });
});

describe('OpenDocument', () => {
  it('when an odt has meta.xml, a comment, a tracked change, revision ids, printer settings and a thumbnail, then none survives, the text does, and mimetype is first and stored', () => {
    const input = buildOdt();
    expect(whatToolsRead(writeTemp('input.odt', input))).toContain(SECRETS.author);
    const { bytes, removed, hasReview } = cleaned(input);
    expect(removed).toEqual(['thumbnail', 'time', 'document-info', 'comment-authors', 'change-authors', 'revision-ids', 'printer']);
    expect(hasReview).toBe(true);
    const path = writeTemp('cleaned.odt', bytes);
    const read = whatToolsRead(path);
    expectNoSecrets(read);
    expect(read).not.toMatch(/2023[-:]04/);
    for (const text of [KEPT.body, KEPT.comment, KEPT.inserted]) expect(read).toContain(text);
    expect(entryNames(path)[0]).toBe('mimetype');
    expect(entryNames(path).some((name) => name.startsWith('Thumbnails'))).toBe(false);
    // The first local header: stored (method 0), named mimetype, as OpenDocument readers require.
    expect(new DataView(bytes.buffer).getUint16(8, true)).toBe(0);
    expect(new TextDecoder().decode(bytes.subarray(30, 38))).toBe('mimetype');
    expect(new TextDecoder().decode(bytes.subarray(38, 38 + 39))).toBe('application/vnd.oasis.opendocument.text');
    const parts = unzipSync(bytes);
    expect(new TextDecoder().decode(parts['META-INF/manifest.xml'])).not.toContain('Thumbnails');
    expect(new TextDecoder().decode(parts['meta.xml'])).toContain('office:version="1.3"><office:meta/>');
    expect(new TextDecoder().decode(parts['settings.xml'])).toContain('EmbedFonts');
    expectWellFormedParts(bytes);
  });

  it('when an OpenDocument file is encrypted, then it is refused', () => {
    expect(malformedCode(buildOdt({ encrypted: true }))).toBe('office-encrypted');
  });
});

describe('Refused or not checked', () => {
  it('when a part is not well-formed XML or declares a document type, then the document is refused whole', () => {
    const parts = unzipSync(buildDocx());
    for (const broken of ['<w:document xmlns:w="x"><w:body></w:document>', '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', '<p:x>undeclared prefix</p:x>', '<x a="1" a="2"/>', '<x>&bogus;</x>']) {
      const input = zipSync({ ...parts, 'word/comments.xml': strToU8(broken) }) as Uint8Array<ArrayBuffer>;
      expect(malformedCode(input), broken).toBe('office-bad-xml');
    }
  });

  it('when an entry is encrypted, its CRC is wrong, or the ZIP is cut short, then the document is refused', () => {
    const input = buildDocx();
    const encrypted = input.slice();
    const view = new DataView(encrypted.buffer);
    const directory = view.getUint32(encrypted.length - 6, true);
    view.setUint16(directory + 8, view.getUint16(directory + 8, true) | 1, true);
    expect(malformedCode(encrypted)).toBe('office-encrypted');

    const badCrc = input.slice();
    const crcView = new DataView(badCrc.buffer);
    crcView.setUint32(crcView.getUint32(badCrc.length - 6, true) + 16, 0x12345678, true);
    expect(malformedCode(badCrc)).toBe('office-bad-zip');

    expect(malformedCode(input.slice(0, input.length - 100))).toBe('office-bad-zip');
  });

  it('when a ZIP declares more unpacked bytes or more entries than the limits, then it is refused before anything is inflated', () => {
    const bomb = zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'a.bin': new Uint8Array(10), 'b.bin': new Uint8Array(10) }) as Uint8Array<ArrayBuffer>;
    const view = new DataView(bomb.buffer);
    let at = view.getUint32(bomb.length - 6, true);
    for (let i = 0; i < 3; i++) {
      if (i > 0) view.setUint32(at + 24, MAX_UNZIPPED_BYTES / 2 + 1, true);
      at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    }
    expect(malformedCode(bomb)).toBe('office-too-large');

    const many: Record<string, Uint8Array> = { '[Content_Types].xml': strToU8('<Types/>') };
    for (let i = 0; i < MAX_ZIP_ENTRIES; i++) many[`e/${i}`] = new Uint8Array(0);
    expect(malformedCode(zipSync(many, { level: 0 }) as Uint8Array<ArrayBuffer>)).toBe('office-too-large');
  });

  it('when a ZIP file is neither kind of document, then it is reported as an archive, not checked', async () => {
    const jar = zipSync({ 'META-INF/MANIFEST.MF': strToU8('Manifest-Version: 1.0\n') }) as Uint8Array<ArrayBuffer>;
    const { report, file } = await cleanFile(new File([jar], 'tool.jar'));
    expect(report).toEqual({ format: 'archive', status: 'not-checked', removed: [], advice: 'archive' });
    expect(file).toBeInstanceOf(File);
  });

  it('when a file is legacy binary Office (OLE) or RTF, then it is not checked, with the document advice', async () => {
    const ole = new Uint8Array(2048);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    for (const [bytes, name] of [[ole, 'old.doc'], [strToU8('{\\rtf1\\ansi {\\author Jane}}'), 'note.rtf']] as const) {
      const { report } = await cleanFile(new File([bytes as Uint8Array<ArrayBuffer>], name));
      expect(report).toEqual({ format: 'office', status: 'not-checked', removed: [], advice: 'document' });
    }
  });

  it('when the intake cleans a docx, then the report names what was removed and warns that comments and changes stay', async () => {
    const { report, file } = await cleanFile(new File([buildDocx()], 'memo.docx', { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }));
    expect(report.status).toBe('cleaned');
    expect(report.advice).toBe('office-review');
    expect(report.removed).toContain('change-authors');
    expect(file.type).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(new TextDecoder('latin1').decode(await file.arrayBuffer())).not.toContain(SECRETS.dateDay);

    const broken = zipSync({ ...unzipSync(buildDocx()), 'word/document.xml': strToU8('<w:document') });
    expect((await cleanFile(new File([broken as Uint8Array<ArrayBuffer>], 'broken.docx'))).report).toEqual({ format: 'office', status: 'could-not-clean', removed: [], advice: 'office-malformed', problem: 'office-bad-xml' });
  });
});

describe('XML reader and writer', () => {
  it('when nothing is changed, then a part is written back byte for byte', () => {
    const text = '<?xml version="1.0"?>\n<!-- c --><a xmlns="urn:a" x=\'1\'>t &amp; &#x41;<![CDATA[<raw>]]><?pi x?><b  y = "2" /></a>\n';
    expect(serializeXml(parseXml(text))).toBe(text);
  });

  it('when attributes are read, then references are resolved and rewritten values are escaped', () => {
    const document = parseXml('<a xmlns:p="urn:p" p:v="&lt;&quot;x&quot;&gt;"/>');
    expect(document.root.attribute('urn:p', 'v')).toBe('<"x">');
    document.root.replaceAttributes((a) => a.localName === 'v', 'a&"b<');
    expect(serializeXml(document)).toBe('<a xmlns:p="urn:p" p:v="a&amp;&quot;b&lt;"/>');
  });
});
