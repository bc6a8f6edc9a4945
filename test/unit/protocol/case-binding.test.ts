import { describe, expect, it } from 'vitest';
import { deriveCaseKeys, generateCaseToken, toBase64Url, type CaseKeys } from '../../../crypto/index';
import type { ReportDocumentV2 } from '../../../protocol/report-document';
import { readReportMessage, writeReportMessage } from '../../../protocol/reporter-messages';

const reportOf = (keys: CaseKeys): ReportDocumentV2 => ({
  format: 'candor-report',
  version: 2,
  bodyId: 'a-body',
  directorySerial: 1,
  caseKeys: { auth: toBase64Url(keys.authPublicKey), reply: toBase64Url(keys.replyPublicKey) },
  answers: { what: 'The tender.' },
  attachments: [],
});

describe('a signed report certifies its case (version 2 case ids)', async () => {
  const reporter = await deriveCaseKeys(generateCaseToken());
  const server = await deriveCaseKeys(generateCaseToken());

  it('when the reporter signs the report of their case, then it reads as theirs', async () => {
    expect((await readReportMessage(await writeReportMessage(reporter, reportOf(reporter)), reporter.caseId)).signer).toBe(toBase64Url(reporter.authPublicKey));
  });

  it('when the server signs a report of its own keys under the genuine case id, then it is refused: the id is not the digest of those keys', async () => {
    // Without this check the console would seal replies to the server's key and take its follow-ups for the reporter's.
    const swapped = await writeReportMessage({ ...server, caseId: reporter.caseId }, reportOf(server));
    await expect(readReportMessage(swapped, reporter.caseId)).rejects.toMatchObject({ code: 'binding-mismatch' });
  });

  it('when a case has a version 1 id (derived from the token alone), then no signed report can be filed under it', async () => {
    const legacy = await deriveCaseKeys(generateCaseToken(), 1);
    await expect(readReportMessage(await writeReportMessage(legacy, reportOf(legacy)), legacy.caseId)).rejects.toMatchObject({ code: 'binding-mismatch' });
  });
});
