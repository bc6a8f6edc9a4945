/**
 * PDF cleaning, "remove hidden information" (client/intake/metadata/pdf.ts): PDFs built here carry
 * every kind of hidden information, and the cleaned copy is read with an investigator's tools
 * (pdfinfo, qpdf, exiftool, pdftotext, pdfdetach): nothing hidden is left, what the pages show is.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, PDFHexString } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanFile } from '../../../client/intake/metadata/index';
import { cleanPdf } from '../../../client/intake/metadata/pdf';
import { PdfCleaningError } from '../../../client/intake/metadata/pdf-result';
import { FINAL_TEXT, PDF_SENTINELS, pdfWithEarlierRevision, pdfWithHiddenInformation, VISIBLE_TEXT } from '../../fixtures/documents/pdfs';

const directory = mkdtempSync(join(tmpdir(), 'candor-pdf-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
let fileNumber = 0;

function writeTemp(bytes: Uint8Array): string {
  const path = join(directory, `file-${fileNumber++}.pdf`);
  writeFileSync(path, bytes);
  return path;
}

function run(command: string, args: readonly string[]): string {
  return execFileSync(command, args, { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
}

/** The whole file with every stream decompressed, as qpdf writes it: what a forensic reader sees. */
function uncompressed(path: string): string {
  const out = `${path}.qdf`;
  run('qpdf', ['--qdf', '--object-streams=disable', '--stream-data=uncompress', path, out]);
  return run('cat', [out]);
}

function pageCount(path: string): number {
  return Number(run('qpdf', ['--show-npages', path]).trim());
}

async function cleaned(bytes: Uint8Array) {
  const result = await cleanPdf(bytes);
  return { ...result, path: writeTemp(result.bytes) };
}

/** How pdf-lib writes a text string in a dictionary: UTF-16 in hex. */
function asPdfText(text: string): string {
  return PDFHexString.fromText(text).toString().slice(1, -1);
}

const ALL_SENTINELS = Object.entries(PDF_SENTINELS).filter(([key]) => key !== 'hiddenText');

describe('PDF cleaning, remove hidden information', () => {
  it('when a PDF carries every kind of hidden information, then none survives and the tools still read it', async () => {
    const { bytes } = await pdfWithHiddenInformation();
    const original = writeTemp(bytes);
    // The fixture is honest: the tools see what the cleaner must remove.
    expect(run('pdfinfo', [original])).toContain(PDF_SENTINELS.author);
    expect(run('exiftool', ['-a', '-G1', original])).toContain(PDF_SENTINELS.xmp);
    expect(run('pdfdetach', ['-list', original])).toContain('notes.txt');

    const { path, removed, pageCount: pages } = await cleaned(bytes);
    expect(removed).toEqual(['thumbnail', 'xmp', 'time', 'document-info', 'document-id', 'scripts', 'embedded-files', 'annotation-authors', 'app-data'].filter((item) => removed.includes(item as never)));
    expect(removed).toEqual(expect.arrayContaining(['xmp', 'time', 'document-info', 'document-id', 'scripts', 'embedded-files', 'annotation-authors', 'app-data']));
    expect(removed).not.toContain('revisions');
    expect(pages).toBe(2);

    expect(spawnSync('qpdf', ['--check', path]).status).toBe(0);
    expect(pageCount(path)).toBe(2);
    const info = run('pdfinfo', [path]);
    expect(info).not.toMatch(/^(Author|Creator|Producer|Title|Subject|Keywords|CreationDate|ModDate):/m);
    expect(info).toMatch(/^JavaScript:\s+no$/m);
    expect(info).toMatch(/^Metadata Stream:\s+no$/m);
    const exif = run('exiftool', ['-a', '-G1', path]);
    expect(exif).not.toMatch(/\[XMP|Author|Creator|Producer|Title/);
    expect(run('pdfdetach', ['-list', path])).toMatch(/^0 embedded files/);

    const everything = uncompressed(path);
    for (const [key, sentinel] of ALL_SENTINELS) expect(everything, key).not.toContain(sentinel);
    // qpdf adds an /ID of its own when it rewrites: the keys are looked for in the cleaned file itself, whose dictionaries are not compressed.
    expect(run('cat', [path])).not.toMatch(/\/(JavaScript|JS|OpenAction|AA|EmbeddedFiles|EF|PieceInfo|Metadata|ID|Info)\b/);
    for (const [key, sentinel] of ALL_SENTINELS) expect(run('cat', [path]), key).not.toContain(asPdfText(sentinel));
    // What the pages show is kept: the text, and a link.
    expect(run('pdftotext', [path, '-'])).toContain(VISIBLE_TEXT);
    expect(everything).toContain('https://example.org/');
    expect(everything).toContain('/Subtype /Text');
  });

  it('when a PDF was saved incrementally, then the earlier revision (its text and its author) is gone', async () => {
    const bytes = await pdfWithEarlierRevision();
    const original = writeTemp(bytes);
    expect(run('pdftotext', [original, '-'])).toContain(FINAL_TEXT);
    // The earlier revision is still in the file, where any reader of raw bytes finds it (the fixture writes it uncompressed).
    const raw = Buffer.from(bytes).toString('latin1');
    expect(raw).toContain(PDF_SENTINELS.earlierText);
    expect(raw).toContain(asPdfText(PDF_SENTINELS.earlierAuthor));

    const { path, removed } = await cleaned(bytes);
    expect(removed).toContain('revisions');
    expect(spawnSync('qpdf', ['--check', path]).status).toBe(0);
    expect(pageCount(path)).toBe(2);
    const everything = uncompressed(path);
    expect(everything).not.toContain(PDF_SENTINELS.earlierText);
    const cleanedRaw = Buffer.from(run('cat', [path]), 'latin1').toString('latin1');
    for (const sentinel of [PDF_SENTINELS.earlierAuthor, PDF_SENTINELS.author]) {
      expect(everything).not.toContain(sentinel);
      expect(cleanedRaw).not.toContain(asPdfText(sentinel));
    }
    expect(run('pdftotext', [path, '-'])).toContain(FINAL_TEXT);
    // One revision: one end of file.
    expect(everything.match(/%%EOF/g)).toHaveLength(1);
  });

  it('when a PDF has no hidden information, then pdf-lib adds none of its own (no Producer, Creator or dates)', async () => {
    const document = await PDFDocument.create({ updateMetadata: false });
    document.addPage([200, 200]);
    const { path, removed } = await cleaned(await document.save());
    expect(removed).toEqual([]);
    expect(run('pdfinfo', [path])).not.toMatch(/^(Producer|Creator|CreationDate|ModDate):/m);
    expect(uncompressed(path)).not.toMatch(/pdf-lib|\/Info|\/Producer/);
  });

  it('when a PDF is encrypted, damaged or has no page, then it is refused whole', async () => {
    const refused = async (bytes: Uint8Array) => {
      try {
        await cleanPdf(bytes);
      } catch (error) {
        if (error instanceof PdfCleaningError) return error.code;
        throw error;
      }
      throw new Error('expected a refusal');
    };
    const { bytes } = await pdfWithHiddenInformation();
    const encryptedPath = join(directory, 'encrypted.pdf');
    run('qpdf', ['--encrypt', 'user', 'owner', '256', '--', writeTemp(bytes), encryptedPath]);
    expect(await refused(new Uint8Array(run('cat', [encryptedPath]).split('').map((char) => char.charCodeAt(0))))).toBe('pdf-encrypted');
    expect(await refused(new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << broken'))).toBe('pdf-unreadable');
    expect(await refused(new TextEncoder().encode('not a pdf at all'))).toBe('pdf-unreadable');
  });

  it('when a PDF is picked, then cleanFile sends the cleaned copy and reports the mode and what was removed', async () => {
    const { bytes } = await pdfWithHiddenInformation();
    const result = await cleanFile(new File([new Uint8Array(bytes)], 'report.pdf', { type: 'application/pdf' }));
    expect(result.report).toMatchObject({ format: 'pdf', status: 'cleaned', advice: 'pdf', mode: 'hidden-information' });
    expect(result.report.removed).toContain('document-info');
    const sent = Buffer.from(await result.file.arrayBuffer()).toString('latin1');
    expect(sent).not.toContain(PDF_SENTINELS.author);
    expect(result.file.type).toBe('application/pdf');
  });

  it.each([
    ['cut short', '%PDF-1.7\n%âãÏÓ\n1 0 obj'],
    ['only a header after a few junk bytes', '\n\n  %PDF-1.4\n'],
  ])('when a picked PDF is %s, then it could not be cleaned and is left exactly as it was', async (_what, text) => {
    const original = new File([text], 'file.bin');
    const result = await cleanFile(original);
    expect(result.report).toEqual({ format: 'pdf', status: 'could-not-clean', removed: [], advice: 'pdf-unreadable', mode: 'hidden-information' });
    expect(result.file).toBe(original);
  });
});
