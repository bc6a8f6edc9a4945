import { describe, expect, it } from 'vitest';
import { utf8Encode } from '../../../crypto/index';
import { followupDocumentJson, FollowupFormatError } from '../../../protocol/followup-document';
import type { ReportDocument } from '../../../protocol/report-document';
import { parseReporterCopy } from '../../../protocol/reporter-copy';

const document: ReportDocument = { format: 'candor-report', version: 1, bodyId: 'a-body', answers: { what: 'The bridge.' }, attachments: [] };

describe('parseReporterCopy', () => {
  it('when the copy is the report document, then it is read as one', () => {
    expect(parseReporterCopy(utf8Encode(JSON.stringify(document)))).toEqual({ kind: 'report', document });
  });

  it('when the copy is a version 1 follow-up, then it is that text', () => {
    expect(parseReporterCopy(utf8Encode('Two more names.'))).toEqual({ kind: 'followup', document: { version: 1, text: 'Two more names.', files: [] } });
  });

  it('when the copy is a version 2 follow-up document, then its text and named files are read', () => {
    const files = [{ attachmentId: 'BBBBBBBBBBBBBBBBBBBBBB', name: 'minutes.txt', type: 'text/plain', size: 12 }];
    expect(parseReporterCopy(utf8Encode(followupDocumentJson('See the minutes.', files)))).toEqual({
      kind: 'followup',
      document: { format: 'candor-followup', version: 2, text: 'See the minutes.', files },
    });
  });

  it('when the copy is a follow-up document of an unknown version, then it is refused', () => {
    expect(() => parseReporterCopy(utf8Encode(JSON.stringify({ format: 'candor-followup', version: 3, text: '', files: [] })))).toThrow(FollowupFormatError);
  });

  it('when the copy only looks like a document (unknown version, malformed), then it is shown as the text it is', () => {
    for (const text of [JSON.stringify({ ...document, version: 2 }), JSON.stringify({ ...document, answers: 'none' }), '{"format": "candor-report"']) {
      expect(parseReporterCopy(utf8Encode(text))).toEqual({ kind: 'followup', document: { version: 1, text, files: [] } });
    }
  });
});
