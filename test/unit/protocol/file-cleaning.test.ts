/** The optional `cleaning` entry of a report's (version 2) and a follow-up's (version 3) files (docs/protocol.md §7.1). */
import { describe, expect, it } from 'vitest';
import { utf8Encode } from '../../../crypto/index';
import { parseFollowupDocument } from '../../../protocol/followup-document';
import { parseReportDocument } from '../../../protocol/report-document';

const FILE = { id: 'A'.repeat(22), name: 'minutes.pdf', type: 'application/pdf', size: 1234, blockSha256: 'a'.repeat(64) };
const REPORT = {
  format: 'candor-report',
  version: 2,
  bodyId: 'body',
  directorySerial: 3,
  caseKeys: { auth: 'B'.repeat(43), reply: 'C'.repeat(43) },
  answers: {},
  attachments: [FILE],
};
const CLEANED = { status: 'cleaned', removed: ['document-info', 'xmp', 'revisions'], mode: 'hidden-information' };
const bytes = (value: unknown) => utf8Encode(JSON.stringify(value));
const withCleaning = (cleaning: unknown) => ({ ...REPORT, attachments: [{ ...FILE, cleaning }] });

describe('the cleaning entry of a file', () => {
  it('when a report names no cleaning (as written before it existed), then it still reads', () => {
    expect(parseReportDocument(bytes(REPORT))).toEqual(REPORT);
  });

  it('when a report file says what was cleaned, then it reads back as written, mode optional', () => {
    expect(parseReportDocument(bytes(withCleaning(CLEANED)))).toEqual(withCleaning(CLEANED));
    const notChecked = { status: 'not-checked', removed: [] };
    expect(parseReportDocument(bytes(withCleaning(notChecked)))).toEqual(withCleaning(notChecked));
  });

  it('when the cleaning entry has an unknown status, mode, extra field or a malformed code, then the report is refused and the field named', () => {
    expect(() => parseReportDocument(bytes(withCleaning({ ...CLEANED, status: 'scrubbed' })))).toThrow(/attachments\.0\.cleaning\.status/);
    expect(() => parseReportDocument(bytes(withCleaning({ ...CLEANED, mode: 'ocr' })))).toThrow(/attachments\.0\.cleaning\.mode/);
    expect(() => parseReportDocument(bytes(withCleaning({ ...CLEANED, by: 'someone' })))).toThrow(/cleaning/);
    expect(() => parseReportDocument(bytes(withCleaning({ ...CLEANED, removed: ['<script>'] })))).toThrow(/cleaning\.removed\.0/);
  });

  it('when a version 3 follow-up file carries a cleaning entry, then it reads back; a version 2 file may not carry one', () => {
    const file = { attachmentId: FILE.id, name: FILE.name, type: FILE.type, size: FILE.size, blockSha256: FILE.blockSha256, cleaning: CLEANED };
    const v3 = { format: 'candor-followup', version: 3, text: 'more', files: [file] };
    expect(parseFollowupDocument(bytes(v3))).toEqual(v3);
    const v2File = { attachmentId: file.attachmentId, name: file.name, type: file.type, size: file.size, cleaning: CLEANED };
    expect(() => parseFollowupDocument(bytes({ ...v3, version: 2, files: [v2File] }))).toThrow(/cleaning|Unrecognized/);
  });
});
