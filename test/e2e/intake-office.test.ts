/**
 * An Office document through the intake in Chromium: a docx whose properties, comments and tracked
 * changes name their author is cleaned in the reporter's browser; the page says what went and that
 * comments and changes stay, and the copy the investigator decrypts names nobody and has no dates
 * (read with unzip and ExifTool) while its text, comment and changes are there and every XML part
 * still parses in the browser's own DOMParser.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDocx, KEPT, SECRETS } from '../fixtures/documents/office';
import { decryptStoredFile, FILES_INPUT, readOnlyCase, sendReportAndReadToken, startReport, withBrowserSite } from '../helpers/browser-intake';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const workDir = mkdtempSync(join(tmpdir(), 'candor-office-e2e-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('the intake with an Office document in Chromium', () => {
  const suite = withBrowserSite();

  it('when a reporter adds a docx with comments and tracked changes by a named author, then the investigator’s copy has neither the name nor the dates, and keeps the text', async () => {
    const page = await suite.browser.newPage({ locale: 'en-GB' });
    await startReport(page, suite.site.baseUrl, 'The memo shows who approved the payments.');
    await page.setFiles(FILES_INPUT, [{ name: 'memo.docx', mimeType: DOCX_TYPE, buffer: Buffer.from(buildDocx()) }]);
    await page.waitFor({ role: 'list', name: 'Removed from memo.docx before sending:' });
    const listed = await page.textsOf({ css: 'ul[aria-labelledby="files-input-file-0-status"] li' });
    expect(listed).toEqual(
      expect.arrayContaining([
        'Document properties (author, title, program, dates)',
        'Names and dates on comments (the comments themselves are kept)',
        'Names and dates on tracked changes (the changes themselves are kept)',
        'Editing-session ids, which can link the file to other files from the same computer',
        'GPS location',
      ]),
    );
    expect(await page.count({ text: 'This document has comments or tracked changes.' })).toBe(1);
    await sendReportAndReadToken(page);

    const { caseId, report } = await readOnlyCase(suite.site.intake);
    expect(report.attachments.map((a) => [a.name, a.type])).toEqual([['memo.docx', DOCX_TYPE]]);
    const sent = await decryptStoredFile(suite.site.intake, caseId, report.attachments[0]!.id);
    const path = join(workDir, 'memo.docx');
    writeFileSync(path, sent);
    execFileSync('unzip', ['-tq', path]);
    const read = [execFileSync('unzip', ['-p', path]).toString('latin1'), execFileSync('exiftool', ['-a', '-G1', '-u', path]).toString('utf8')].join('\n');
    for (const [name, secret] of Object.entries(SECRETS)) expect(read.includes(secret), `${name} survived`).toBe(false);
    expect(read).not.toMatch(/2023[-:]04/);
    for (const text of Object.values(KEPT)) expect(read).toContain(text);

    // The browser's own XML parser, not the cleaner's, judges that every part is still well-formed.
    const parts = Object.entries(unzipSync(sent))
      .filter(([name]) => /\.(xml|rels)$/.test(name))
      .map(([name, data]) => [name, new TextDecoder().decode(data)] as const);
    expect(parts.length).toBeGreaterThan(5);
    const errors = await page.evaluate((texts) => texts.filter(([, text]) => new DOMParser().parseFromString(text, 'application/xml').getElementsByTagName('parsererror').length > 0).map(([name]) => name), parts);
    expect(errors).toEqual([]);
    await page.close();
  });
});
