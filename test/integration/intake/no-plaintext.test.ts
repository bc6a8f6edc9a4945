/**
 * The promise of the whole system, checked at the intake: after a reporter submits a report, a
 * follow-up and a file through the crypto core, no byte of their plaintext is anywhere the server
 * wrote — database, write-ahead log, blobs, uploads — nor in its log.
 */
import { describe, expect, it } from 'vitest';
import { encryptReport, sealReply, toBase64Url, utf8Encode } from '../../../crypto/index';
import { expectStatus, startTestIntake, TestReporter } from '../../helpers/intake';
import { encodedForms, logPlace, sentinelsFound, storedFiles } from '../../helpers/stored-bytes';

describe('no plaintext at rest', () => {
  it('when a report, follow-up and file with sentinels are submitted, then no stored or logged byte contains them', async () => {
    const intake = await startTestIntake();
    try {
      const sentinels = { report: 'SENTINEL-REPORT-7d41e9', followup: 'SENTINEL-FOLLOWUP-2b77c0', file: 'SENTINEL-FILE-CONTENT-9a03f5', fileName: 'SENTINEL-FILENAME-c2d8.pdf' };
      const reporter = await TestReporter.create(intake);
      await reporter.createCase(JSON.stringify({ what: `${sentinels.report} `.repeat(30), attachments: [{ name: sentinels.fileName }] }));
      const followup = await encryptReport(sentinels.followup, await reporter.recipients(), { caseId: reporter.keys.caseId, kind: 'followup' });
      const copy = sealReply(reporter.keys.replyPublicKey, utf8Encode(sentinels.followup), 'reporter-copy');
      expectStatus(await reporter.send('POST', '/api/v1/case/followups', { message: toBase64Url(followup), reporterCopy: toBase64Url(copy) }), 201);
      await reporter.upload(utf8Encode(`${sentinels.file}\n`.repeat(2000)));
      // Checkpointing would move the WAL into the main file; scan before and after, to see both.
      const scan = () => [...storedFiles(intake.dataDir), logPlace('log', intake.logLines)];
      for (const snapshot of [scan(), (intake.storage.db.pragma('wal_checkpoint(TRUNCATE)'), scan())]) {
        expect(snapshot.some(({ where }) => where.endsWith('.sqlite'))).toBe(true);
        // The scan is able to find what is there: the case id is stored in clear, by design.
        expect(sentinelsFound(snapshot, [reporter.keys.caseId])).not.toEqual([]);
        expect(sentinelsFound(snapshot, [...Object.values(sentinels), reporter.token, reporter.token.replaceAll('-', '')], encodedForms)).toEqual([]);
      }
    } finally {
      intake.close();
    }
  });
});
