import { describe, expect, it } from 'vitest';
import {
  createBlockSha256,
  decryptAttachment,
  decryptReport,
  deriveCaseKeys,
  fromBase64Url,
  openReply,
  parseCaseToken,
  toBase64Url,
  unlockPrivateKey,
  type AttachmentId,
  type CaseId,
} from '../../../crypto/index';
import { verifyBodyDirectory } from '../../../protocol/body-directory';
import { readInvestigatorMessage } from '../../../protocol/investigator-messages';
import { readReporterCopy } from '../../../protocol/reporter-copy';
import { readFollowupMessage, readReportMessage } from '../../../protocol/reporter-messages';
import { readAll, streamOf } from '../../helpers/crypto';
import vectors from '../../vectors/messages-v2.json';

// Written once by test/vectors/generate.ts. If this fails, data that deployments hold no longer
// opens or verifies: change the code back, or define a new version (docs/protocol.md §14).
describe('protocol version 2 known-answer vectors', async () => {
  const key = await unlockPrivateKey(vectors.investigator.armoredPrivateKey, vectors.investigator.passphrase);
  const caseId = vectors.caseId as CaseId;
  const caseKeys = await deriveCaseKeys(parseCaseToken(vectors.token));
  const pins = { [vectors.directory.bodyId]: { keys: [vectors.directory.pinnedKey], minimumSerial: 3 } };
  const directory = await verifyBodyDirectory(vectors.directory.signed, { pins, bodyId: vectors.directory.bodyId, now: new Date(`${vectors.directory.now}T12:00:00Z`) });

  it('when the token’s keys are derived, then the case id is the version 2 one, the digest of its public keys', () => {
    expect(caseKeys.caseId).toBe(caseId);
  });

  it('when the directory is verified for its body, then it gives serial, role, questionnaire and policy as signed', () => {
    expect(directory.serial).toBe(3);
    expect(directory.roles.get(vectors.investigator.fingerprint)).toBe('Case officer');
    expect(directory.questionnaire?.questions[0]?.id).toBe('what');
    expect(directory.policy?.en).toMatch(/case officers/);
  });

  it('when the report is decrypted, then it verifies as signed by the case key it names', async () => {
    const report = await readReportMessage(await decryptReport(fromBase64Url(vectors.report.envelope), key, { caseId }), caseId);
    expect(report.signer).toBe(toBase64Url(caseKeys.authPublicKey));
    expect(report.document.version === 2 && report.document.caseKeys.reply).toBe(toBase64Url(caseKeys.replyPublicKey));
    expect(report.document.version === 2 && report.document.directorySerial).toBe(3);
  });

  it('when the attachment is decrypted, then its block SHA-256 is the one the signed report names', async () => {
    const report = await readReportMessage(await decryptReport(fromBase64Url(vectors.report.envelope), key, { caseId }), caseId);
    const plaintext = await readAll(decryptAttachment(streamOf(fromBase64Url(vectors.attachment.stored)), key, { caseId, attachmentId: vectors.attachment.attachmentId as AttachmentId }));
    const digest = createBlockSha256();
    await digest.update(plaintext);
    expect(report.document.attachments[0]).toMatchObject({ id: vectors.attachment.attachmentId, blockSha256: await digest.digestHex() });
  });

  it('when the follow-up is decrypted, then it verifies under the report’s case key', async () => {
    const followup = await readFollowupMessage(await decryptReport(fromBase64Url(vectors.followup.envelope), key, { caseId, kind: 'followup' }), caseId, toBase64Url(caseKeys.authPublicKey));
    expect(followup).toMatchObject({ signed: true, document: { version: 3, text: 'Two more names.' } });
  });

  it('when the reporter opens their copy, then it is their signed report', async () => {
    const copy = await readReporterCopy(openReply(caseKeys, fromBase64Url(vectors.report.reporterCopy), 'reporter-copy'), caseKeys);
    expect(copy).toMatchObject({ kind: 'report', signed: true });
  });

  it('when the reporter opens the reply, and an investigator its copy, then both verify as the listed investigator’s', async () => {
    const sealed = await readInvestigatorMessage(openReply(caseKeys, fromBase64Url(vectors.reply.sealed)), { caseId, kind: 'reply' }, directory.recipients);
    expect(sealed.text).toBe(vectors.reply.text);
    expect(sealed.authenticity.kind === 'signed' && sealed.authenticity.signer.fingerprint).toBe(vectors.investigator.fingerprint);
    const copy = await readInvestigatorMessage(await decryptReport(fromBase64Url(vectors.reply.copy), key, { caseId, kind: 'reply-copy' }), { caseId, kind: 'reply' }, directory.recipients);
    expect(copy.authenticity.kind).toBe('signed');
  });
});
