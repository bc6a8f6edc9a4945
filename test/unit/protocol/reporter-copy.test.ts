import { describe, expect, it } from 'vitest';
import { utf8Encode } from '../../../crypto/index';
import type { ReportDocument } from '../../../protocol/report-document';
import { parseReporterCopy } from '../../../protocol/reporter-copy';

const document: ReportDocument = { format: 'candor-report', version: 1, bodyId: 'a-body', answers: { what: 'The bridge.' }, attachments: [] };

describe('parseReporterCopy', () => {
  it('when the copy is the report document, then it is read as one', () => {
    expect(parseReporterCopy(utf8Encode(JSON.stringify(document)))).toEqual({ kind: 'report', document });
  });

  it('when the copy is a follow-up’s text, then it is that text', () => {
    expect(parseReporterCopy(utf8Encode('Two more names.'))).toEqual({ kind: 'followup', text: 'Two more names.' });
  });

  it('when the copy only looks like a document (unknown version, malformed), then it is shown as the text it is', () => {
    for (const text of [JSON.stringify({ ...document, version: 2 }), JSON.stringify({ ...document, answers: 'none' }), '{"format": "candor-report"']) {
      expect(parseReporterCopy(utf8Encode(text))).toEqual({ kind: 'followup', text });
    }
  });
});
