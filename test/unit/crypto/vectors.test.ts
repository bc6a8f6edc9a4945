import { describe, expect, it } from 'vitest';
import {
  decryptAttachment,
  decryptReport,
  deriveCaseKeys,
  fromBase64Url,
  openReply,
  parseCaseToken,
  unlockPrivateKey,
  utf8Decode,
  verifyDirectory,
  type AttachmentId,
  type CaseId,
} from '../../../crypto/index';
import { readAll, streamOf } from '../../helpers/crypto';
import vectors from '../../vectors/messages-v1.json';

// These stored objects were written once by test/vectors/generate.ts. If this test fails, data that
// deployments already hold would no longer open: change the code back, or define a new version.
describe('format version 1 known-answer vectors', async () => {
  const key = await unlockPrivateKey(vectors.investigator.armoredPrivateKey, vectors.investigator.passphrase);
  const caseId = vectors.caseId as CaseId;

  it('when the stored report is decrypted, then it is the original text', async () => {
    expect(utf8Decode(await decryptReport(fromBase64Url(vectors.report.envelope), key, { caseId }))).toBe(vectors.report.plaintext);
  });

  it('when the stored attachment is decrypted, then it is the original file', async () => {
    const binding = { caseId, attachmentId: vectors.attachment.attachmentId as AttachmentId };
    const plaintext = await readAll(decryptAttachment(streamOf(fromBase64Url(vectors.attachment.stored)), key, binding));
    expect(plaintext).toEqual(fromBase64Url(vectors.attachment.plaintext));
  });

  it('when the stored reply is opened with the token’s keys, then it is the original text', async () => {
    const caseKeys = await deriveCaseKeys(parseCaseToken(vectors.token));
    expect(utf8Decode(openReply(caseKeys, fromBase64Url(vectors.reply.sealed)))).toBe(vectors.reply.plaintext);
  });

  it('when the stored directory is verified on the recorded day, then it lists the vector investigator', async () => {
    const verified = await verifyDirectory(vectors.directory.signed, {
      pinnedKeys: [vectors.directory.pinnedKey],
      bodyId: JSON.parse(utf8Decode(fromBase64Url(vectors.directory.signed.payload))).body.id,
      now: new Date(`${vectors.directory.now}T12:00:00Z`),
    });
    expect(verified.recipients.map((recipient) => recipient.fingerprint)).toEqual([key.fingerprint]);
  });
});
