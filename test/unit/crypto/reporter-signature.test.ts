import { describe, expect, it } from 'vitest';
import { deriveCaseKeys, generateCaseToken, isSignedReporterMessage, openReporterMessage, signReporterMessage, toBase64Url, utf8Decode, utf8Encode } from '../../../crypto/index';
import { asyncErrorCodeOf } from '../../helpers/crypto';

describe('messages signed by the reporter with the case key', async () => {
  const reporter = await deriveCaseKeys(generateCaseToken());
  const other = await deriveCaseKeys(generateCaseToken());
  const document = JSON.stringify({ format: 'candor-followup', version: 3, text: 'The minutes are attached.', files: [] });

  it('when a follow-up is signed, then it opens for its case and kind with the case key as signer', async () => {
    const signed = await signReporterMessage(reporter, 'followup', document);
    expect(isSignedReporterMessage(signed)).toBe(true);
    const opened = await openReporterMessage(signed, { caseId: reporter.caseId, kind: 'followup' });
    expect(utf8Decode(opened.document)).toBe(document);
    expect(opened.signer).toBe(toBase64Url(reporter.authPublicKey));
  });

  it('when a signed message is moved to another case or kind, then its signature does not verify', async () => {
    const signed = await signReporterMessage(reporter, 'followup', document);
    expect(await asyncErrorCodeOf(openReporterMessage(signed, { caseId: other.caseId, kind: 'followup' }))).toBe('signature-invalid');
    expect(await asyncErrorCodeOf(openReporterMessage(signed, { caseId: reporter.caseId, kind: 'report' }))).toBe('signature-invalid');
  });

  it('when the document is changed after signing, then its signature does not verify', async () => {
    const signed = JSON.parse(utf8Decode(await signReporterMessage(reporter, 'followup', document))) as { document: string };
    signed.document = signed.document.replace('minutes', 'accounts');
    expect(await asyncErrorCodeOf(openReporterMessage(utf8Encode(JSON.stringify(signed)), { caseId: reporter.caseId, kind: 'followup' }))).toBe('signature-invalid');
  });

  it('when someone holding only the public key re-signs under their own key, then the signer is theirs, not the case key', async () => {
    const forged = await signReporterMessage({ ...other, caseId: reporter.caseId }, 'followup', document);
    const opened = await openReporterMessage(forged, { caseId: reporter.caseId, kind: 'followup' });
    expect(opened.signer).not.toBe(toBase64Url(reporter.authPublicKey));
  });

  it('when the bytes are plain text or a malformed signed message, then they are told apart and refused', async () => {
    expect(isSignedReporterMessage(utf8Encode('Just a version 1 follow-up.'))).toBe(false);
    const malformed = utf8Encode(JSON.stringify({ format: 'candor-signed-message', version: 1, signer: 'AA', document: '{}', signature: '' }));
    expect(isSignedReporterMessage(malformed)).toBe(true);
    expect(await asyncErrorCodeOf(openReporterMessage(malformed, { caseId: reporter.caseId, kind: 'followup' }))).toBe('signed-message-invalid');
  });
});
