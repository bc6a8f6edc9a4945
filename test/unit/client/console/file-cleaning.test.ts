/** The sentence under each file saying what the reporter's browser cleaned from it, from the signed report's entry. */
import { describe, expect, it } from 'vitest';
import { cleaningSentence } from '../../../../client/console/case/file-cleaning';
import { caseFiles } from '../../../../client/console/case/report-view';
import type { FileCleaning, ReportDocumentV2 } from '../../../../protocol/report-document';

describe('what the reporter’s browser cleaned, in the console', () => {
  it('when a file was cleaned, then the removed kinds are named in English, unknown codes as they are', () => {
    expect(cleaningSentence({ status: 'cleaned', removed: ['document-info', 'revisions', 'new-kind'], mode: 'hidden-information' })).toBe(
      'Cleaned in the reporter’s browser: removed document properties (author, title, program, dates), earlier revisions, new-kind.',
    );
    expect(cleaningSentence({ status: 'cleaned', removed: ['pages-as-images'], mode: 'pages-only' })).toMatch(/^Cleaned in the reporter’s browser: only pictures of the pages were kept/);
  });

  it('when a file was not checked or could not be cleaned, then the sentence says so', () => {
    expect(cleaningSentence({ status: 'not-checked', removed: [] })).toBe('Not checked in the reporter’s browser.');
    expect(cleaningSentence({ status: 'could-not-clean', removed: [], mode: 'pages-only' })).toMatch(/could not clean this file/);
  });

  it('when a version 2 report carries a cleaning entry, then the file row gets it; a report without one gets null', () => {
    const id = 'R'.repeat(22);
    const cleaning: FileCleaning = { status: 'cleaned', removed: ['xmp'], mode: 'hidden-information' };
    const report: ReportDocumentV2 = {
      format: 'candor-report',
      version: 2,
      bodyId: 'body',
      directorySerial: 1,
      caseKeys: { auth: 'A'.repeat(43), reply: 'B'.repeat(43) },
      answers: {},
      attachments: [{ id, name: 'minutes.pdf', type: 'application/pdf', size: 10, blockSha256: 'c'.repeat(64), cleaning }],
    };
    const detail = { attachments: [{ id, size: 100, createdOn: '2026-12-01' }] };
    expect(caseFiles(detail, report)[0]?.cleaning).toEqual(cleaning);
    expect(caseFiles(detail, { ...report, attachments: [{ id, name: 'a', type: '', size: 1, blockSha256: 'c'.repeat(64) }] })[0]?.cleaning).toBeNull();
  });
});
