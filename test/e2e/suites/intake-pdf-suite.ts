/**
 * PDFs through the intake, both ways of cleaning them, in each browser (intake-pdf.test.ts: Chromium;
 * intake-pdf-firefox.test.ts: Firefox ESR at Tor Browser's "Safer" level, where pdf.js runs without a JIT). "Remove hidden information" (the
 * default): a PDF with an author, XMP, scripts, an attached file and an earlier revision arrives at the
 * investigator with none of them (pdfinfo, ExifTool, qpdf, pdftotext), its pages and text kept.
 * "Keep only what the pages show": a PDF whose text is hidden under a grey square arrives as pictures of
 * its pages only (pdffonts lists no font, pdftotext finds no text). The signed report names, for each
 * file, what the reporter's browser removed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FileCleaning } from '../../../protocol/report-document';
import { FINAL_TEXT, PDF_SENTINELS, pdfWithEarlierRevision, pdfWithHiddenText } from '../../fixtures/documents/pdfs';
import type { BrowserChoice } from '../../helpers/browser';
import { decryptStoredFile, FILES_INPUT, readCase, sendReportAndReadToken, startReport, withBrowserSite } from '../../helpers/browser-intake';
import type { CaseId } from '../../../crypto/index';

const workDir = mkdtempSync(join(tmpdir(), 'candor-pdf-e2e-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const run = (command: string, args: readonly string[]) => execFileSync(command, args, { encoding: 'utf8' });

/** The newest case's report and its only file as the investigator decrypts it, written where the tools read it. */
async function investigatorsCopy(intake: Parameters<typeof readCase>[0], name: string) {
  const [newest] = intake.storage.db.prepare('SELECT id FROM cases ORDER BY rowid DESC LIMIT 1').all() as { id: CaseId }[];
  const { caseId, report } = await readCase(intake, newest!.id);
  expect(report.attachments).toHaveLength(1);
  const attachment = report.attachments[0]! as (typeof report.attachments)[number] & { cleaning?: FileCleaning };
  const path = join(workDir, name);
  writeFileSync(path, await decryptStoredFile(intake, caseId, attachment.id));
  return { path, attachment };
}

export function intakePdfSuite(choice: BrowserChoice): void {
  describe(`the intake with PDFs in ${choice.name}`, () => {
    const suite = withBrowserSite({}, choice);

    it('when a reporter adds a PDF with an author, XMP and an earlier revision, then the investigator’s copy has none of them and the report lists what went', async () => {
      const page = await suite.browser.newPage({ locale: 'en-GB' });
      await startReport(page, suite.site.baseUrl, 'The minutes were changed after the meeting.');
      await page.setFiles(FILES_INPUT, [{ name: 'minutes.pdf', mimeType: 'application/pdf', buffer: Buffer.from(await pdfWithEarlierRevision()) }]);
      await page.waitFor({ role: 'list', name: 'Removed from minutes.pdf before sending:' });
      const listed = await page.textsOf({ css: 'ul[aria-labelledby="files-input-file-0-status"] li' });
      expect(listed).toEqual(
        expect.arrayContaining([
          'Document properties (author, title, program, dates)',
          'Earlier versions of the document kept inside the file',
          'Scripts and actions that run when the file is opened or used',
          'Files attached inside the document',
          'Names of the people who wrote comments',
        ]),
      );
      expect(await page.count({ testId: 'pdf-choice' })).toBe(1);
      await sendReportAndReadToken(page);

      const { path, attachment } = await investigatorsCopy(suite.site.intake, 'minutes.pdf');
      expect(attachment.cleaning).toEqual({ status: 'cleaned', removed: expect.arrayContaining(['document-info', 'document-id', 'xmp', 'revisions', 'scripts', 'embedded-files']), mode: 'hidden-information' });
      execFileSync('qpdf', ['--check', path]);
      expect(run('qpdf', ['--show-npages', path]).trim()).toBe('2');
      const info = run('pdfinfo', [path]);
      expect(info).not.toMatch(/^(Author|Creator|Producer|Title|Subject|Keywords|CreationDate|ModDate):/m);
      expect(info).toMatch(/^JavaScript:\s+no$/m);
      const exif = run('exiftool', ['-a', '-G1', path]);
      expect(exif).not.toMatch(/\[XMP|Author|Creator|Producer/);
      const text = run('pdftotext', [path, '-']);
      expect(text).toContain(FINAL_TEXT);
      const raw = execFileSync('qpdf', ['--qdf', '--object-streams=disable', path, '-']).toString('latin1');
      for (const [name, sentinel] of Object.entries(PDF_SENTINELS)) expect(raw.includes(sentinel), `${name} survived`).toBe(false);
      await page.close();
    });

    it('when the reporter chooses to keep only what the pages show, then the investigator’s copy is pictures of the pages, without the text hidden under them', async () => {
      const page = await suite.browser.newPage({ locale: 'en-GB' });
      await startReport(page, suite.site.baseUrl, 'The invoice hides the real amount.');
      await page.setFiles(FILES_INPUT, [{ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: Buffer.from(await pdfWithHiddenText()) }]);
      await page.waitFor({ role: 'list', name: 'Removed from invoice.pdf before sending:' });
      await page.check({ label: 'Keep only what the pages show' });
      await page.waitFor({ text: 'Everything except the look of the pages' }, 60_000);
      await sendReportAndReadToken(page);

      const { path, attachment } = await investigatorsCopy(suite.site.intake, 'invoice.pdf');
      expect(attachment.cleaning).toEqual({ status: 'cleaned', removed: ['pages-as-images'], mode: 'pages-only' });
      execFileSync('qpdf', ['--check', path]);
      expect(run('qpdf', ['--show-npages', path]).trim()).toBe('1');
      // pdffonts prints a two-line header and one line per font.
      expect(run('pdffonts', [path]).trim().split('\n')).toHaveLength(2);
      expect(run('pdftotext', [path, '-']).trim()).toBe('');
      expect(run('pdfinfo', [path])).not.toMatch(/^(Author|Producer|Creator):/m);
      const raw = execFileSync('qpdf', ['--qdf', '--object-streams=disable', path, '-']).toString('latin1');
      expect(raw).not.toContain(PDF_SENTINELS.hiddenText);
      expect(raw).toMatch(/\/Subtype \/Image/);
      await page.close();
    });
  });
}
