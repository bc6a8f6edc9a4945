/** Where the console shows a case's files: under the report that names them, or under the follow-up that sent them. */
import { describe, expect, it } from 'vitest';
import { caseFiles, followupFiles } from '../../../../client/console/case/report-view';
import type { CaseEntry } from '../../../../client/console/case-reading';
import type { ReportDocument } from '../../../../protocol/report-document';

const stored = (id: string) => ({ id, size: 8192, createdOn: '2026-11-20' });
const REPORT_FILE = 'R'.repeat(22);
const FOLLOWUP_FILE = 'F'.repeat(22);
const OLD_FILE = 'O'.repeat(22);
const NEVER_ARRIVED = 'N'.repeat(22);
const detail = { attachments: [stored(REPORT_FILE), stored(FOLLOWUP_FILE), stored(OLD_FILE)] };
const report: ReportDocument = { format: 'candor-report', version: 1, bodyId: 'body', answers: {}, attachments: [{ id: REPORT_FILE, name: 'ledger.xlsx', type: '', size: 8000 }] };
const followupV2 = {
  seq: 5,
  createdOn: '2026-11-21',
  kind: 'followup',
  text: 'The minutes.',
  files: [
    { attachmentId: FOLLOWUP_FILE, name: 'minutes.txt', type: 'text/plain', size: 8000 },
    { attachmentId: NEVER_ARRIVED, name: 'photo.jpg', type: 'image/jpeg', size: 100 },
  ],
  authenticity: 'unsigned',
} satisfies CaseEntry;
const followupV1 = { seq: 3, createdOn: '2026-11-21', kind: 'followup', text: 'Old text.', files: [], authenticity: 'unsigned' } satisfies CaseEntry;

describe('caseFiles and followupFiles', () => {
  it('when a follow-up names a file, then it is shown under that follow-up with its name and not under the report', () => {
    expect(caseFiles(detail, report, [followupV1, followupV2]).map((file) => [file.id, file.name, file.type])).toEqual([
      [REPORT_FILE, 'ledger.xlsx', ''],
      [OLD_FILE, null, null],
    ]);
    expect(followupFiles(detail, followupV2.files)).toEqual([
      { stored: { id: FOLLOWUP_FILE, name: 'minutes.txt', type: 'text/plain', size: 8192, createdOn: '2026-11-20', cleaning: null } },
      { missing: 'photo.jpg' },
    ]);
  });

  it('when no follow-up names a file (sent with a version 1 follow-up), then the report lists it without a name, as before', () => {
    expect(caseFiles(detail, report, [followupV1]).map((file) => [file.id, file.name])).toEqual([
      [REPORT_FILE, 'ledger.xlsx'],
      [FOLLOWUP_FILE, null],
      [OLD_FILE, null],
    ]);
  });
});
