import { describe, expect, it } from 'vitest';
import { deriveCaseKeys, generateCaseToken, toBase64Url, utf8Encode, type CaseKeys } from '../../../crypto/index';
import { FollowupFormatError } from '../../../protocol/followup-document';
import type { ReportDocument, ReportDocumentV2 } from '../../../protocol/report-document';
import { readReporterCopy } from '../../../protocol/reporter-copy';
import { writeFollowupMessage, writeReportMessage } from '../../../protocol/reporter-messages';

const document: ReportDocument = { format: 'candor-report', version: 1, bodyId: 'a-body', answers: { what: 'The bridge.' }, attachments: [] };

const reportV2 = (keys: CaseKeys): ReportDocumentV2 => ({
  format: 'candor-report',
  version: 2,
  bodyId: 'a-body',
  directorySerial: 2,
  caseKeys: { auth: toBase64Url(keys.authPublicKey), reply: toBase64Url(keys.replyPublicKey) },
  answers: { what: 'The bridge.' },
  attachments: [],
});

describe('readReporterCopy', async () => {
  const keys = await deriveCaseKeys(generateCaseToken());
  const other = await deriveCaseKeys(generateCaseToken());

  it('when the copy is this case’s signed report, then it is read as a signed report', async () => {
    expect(await readReporterCopy(await writeReportMessage(keys, reportV2(keys)), keys)).toEqual({ kind: 'report', document: reportV2(keys), signed: true });
  });

  it('when the copy is this case’s signed follow-up, then it is read as a signed follow-up', async () => {
    expect(await readReporterCopy(await writeFollowupMessage(keys, 'Two more names.', []), keys)).toMatchObject({ kind: 'followup', signed: true, document: { version: 3, text: 'Two more names.' } });
  });

  it('when a copy is signed by another case’s key, then it is refused', async () => {
    await expect(readReporterCopy(await writeFollowupMessage(other, 'Not yours.', []), keys)).rejects.toMatchObject({ code: 'signature-invalid' });
    await expect(readReporterCopy(await writeReportMessage(other, reportV2(other)), keys)).rejects.toMatchObject({ code: 'signature-invalid' });
  });

  it('when the copy is a version 1 report or follow-up, then it is read as unsigned', async () => {
    expect(await readReporterCopy(utf8Encode(JSON.stringify(document)), keys)).toEqual({ kind: 'report', document, signed: false });
    expect(await readReporterCopy(utf8Encode('Two more names.'), keys)).toEqual({ kind: 'followup', document: { version: 1, text: 'Two more names.', files: [] }, signed: false });
  });

  it('when an unsigned copy claims to be version 2 or 3, then it is refused rather than shown as the reporter’s', async () => {
    await expect(readReporterCopy(utf8Encode(JSON.stringify(reportV2(keys))), keys)).rejects.toMatchObject({ code: 'signature-invalid' });
    await expect(readReporterCopy(utf8Encode(JSON.stringify({ format: 'candor-followup', version: 3, text: '', files: [] })), keys)).rejects.toMatchObject({ code: 'signature-invalid' });
  });

  it('when the copy is a follow-up document of an unknown version, then it is refused', async () => {
    await expect(readReporterCopy(utf8Encode(JSON.stringify({ format: 'candor-followup', version: 4, text: '', files: [] })), keys)).rejects.toThrow(FollowupFormatError);
  });

  it('when the copy only looks like a report (malformed), then it is shown as the text it is', async () => {
    for (const text of [JSON.stringify({ ...document, answers: 'none' }), '{"format": "candor-report"']) {
      expect(await readReporterCopy(utf8Encode(text), keys)).toEqual({ kind: 'followup', document: { version: 1, text, files: [] }, signed: false });
    }
  });
});
