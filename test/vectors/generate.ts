/**
 * Writes the known-answer vectors in this folder. Run once when a format is added
 * (`npx tsx test/vectors/generate.ts`); it refuses to overwrite, because a vector that had to be
 * regenerated means old data no longer decrypts, which is a new protocol version, not a fix.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  deriveCaseKeys,
  encryptAttachment,
  encryptReport,
  generateCaseToken,
  generateDirectoryKeyPair,
  newAttachmentId,
  sealReply,
  signCaseRequest,
  signDirectory,
  toBase64Url,
  utf8Encode,
} from '../../crypto/index';
import { DEFAULT_QUESTIONNAIRE } from '../../protocol/default-questionnaire';
import { writeInvestigatorMessage } from '../../protocol/investigator-messages';
import { writeFollowupMessage, writeReportMessage } from '../../protocol/reporter-messages';
import { createBlockSha256 } from '../../crypto/index';
import { makeInvestigator, patternBytes, readAll, streamOf, TEST_PASSPHRASE } from '../helpers/crypto';

const folder = import.meta.dirname;

function write(name: string, value: unknown): void {
  const path = join(folder, name);
  if (existsSync(path)) {
    console.log(`kept ${name} (vectors are never regenerated)`);
    return;
  }
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  console.log(`wrote ${name}`);
}

const tokens = [generateCaseToken(), generateCaseToken(), generateCaseToken()];
const caseKeys = await Promise.all(tokens.map((token) => deriveCaseKeys(token)));
write(
  'case-keys.json',
  tokens.map((token, i) => {
    const keys = caseKeys[i]!;
    return {
      token,
      caseId: keys.caseId,
      authPublicKey: toBase64Url(keys.authPublicKey),
      authSecretKey: toBase64Url(keys.authSecretKey),
      replyPublicKey: toBase64Url(keys.replyPublicKey),
      replySecretKey: toBase64Url(keys.replySecretKey),
    };
  }),
);

const request = { challenge: 'q2l7Vx3mYf0kPz9uRt5sWg', method: 'POST', path: '/api/v1/cases/followups', body: utf8Encode('{"hello":"world"}') };
write('case-auth.json', {
  token: tokens[0],
  request: { ...request, body: toBase64Url(request.body) },
  signature: await signCaseRequest(caseKeys[0]!, request),
});

const investigator = await makeInvestigator('Vector Investigator');
const caseId = caseKeys[0]!.caseId;
const reportText = '{"format":"candor-report","version":1,"answers":{"what":"Vector report: ünïcödé and emoji 🕵️"}}';
const attachmentId = newAttachmentId();
const attachmentBytes = patternBytes(10_000);
const storedAttachment = await readAll(
  encryptAttachment(streamOf(attachmentBytes), [investigator.recipient], { caseId, attachmentId }, { chunkBytes: 4096 }),
);
const directoryKey = generateDirectoryKeyPair();
const signedDirectory = signDirectory(
  {
    format: 'candor-directory',
    version: 1,
    body: { id: 'vector-body', name: 'Vector Anti-Corruption Body' },
    issuedOn: '2026-11-01',
    expiresOn: '2099-12-31',
    recipients: [{ label: 'Vector Investigator', fingerprint: investigator.generated.fingerprint, publicKey: investigator.generated.armoredPublicKey }],
  },
  directoryKey.secretKey,
);
write('messages-v1.json', {
  investigator: { armoredPrivateKey: investigator.generated.armoredPrivateKey, passphrase: TEST_PASSPHRASE },
  token: tokens[0],
  caseId,
  report: {
    plaintext: reportText,
    envelope: toBase64Url(await encryptReport(reportText, [investigator.recipient], { caseId })),
  },
  attachment: {
    attachmentId,
    plaintext: toBase64Url(attachmentBytes),
    stored: toBase64Url(storedAttachment),
  },
  reply: {
    plaintext: 'Thank you. We have opened an assessment.',
    sealed: toBase64Url(sealReply(caseKeys[0]!.replyPublicKey, utf8Encode('Thank you. We have opened an assessment.'))),
  },
  // Verified as of the day after generation: keys made today are valid from then on.
  directory: { pinnedKey: directoryKey.publicKey, now: '2026-11-23', signed: signedDirectory },
});

// Protocol version 2 (docs/protocol.md §7.2, §10.1, §11): signed directory with serial and intake
// texts, a report and a follow-up signed with the case key, a reply signed by the investigator.
const v2Keys = caseKeys[1]!;
const v2Investigator = await makeInvestigator('Vector Investigator 2');
const v2DirectoryKey = generateDirectoryKeyPair();
const v2BodyId = 'vector-body-2';
const v2Directory = signDirectory(
  {
    format: 'candor-directory',
    version: 2,
    body: { id: v2BodyId, name: 'Vector Anti-Corruption Body' },
    serial: 3,
    issuedOn: '2026-12-01',
    expiresOn: '2099-12-31',
    recipients: [{ label: 'Vector Investigator 2', role: 'Case officer', fingerprint: v2Investigator.generated.fingerprint, publicKey: v2Investigator.generated.armoredPublicKey }],
    intake: { questionnaire: DEFAULT_QUESTIONNAIRE, policy: { en: 'Reports are read by the case officers of this body only.' } },
  },
  v2DirectoryKey.secretKey,
);
const v2AttachmentId = newAttachmentId();
const v2AttachmentBytes = patternBytes(5_000, 11);
const v2Digest = createBlockSha256();
await v2Digest.update(v2AttachmentBytes);
const v2Report = await writeReportMessage(v2Keys, {
  format: 'candor-report',
  version: 2,
  bodyId: v2BodyId,
  directorySerial: 3,
  caseKeys: { auth: toBase64Url(v2Keys.authPublicKey), reply: toBase64Url(v2Keys.replyPublicKey) },
  answers: { what: 'Vector report, version 2: ünïcödé' },
  attachments: [{ id: v2AttachmentId, name: 'minutes.pdf', type: 'application/pdf', size: v2AttachmentBytes.length, blockSha256: await v2Digest.digestHex() }],
});
const v2Followup = await writeFollowupMessage(v2Keys, 'Two more names.', []);
const v2ReplyText = 'Thank you. A case officer is assessing your report.';
const v2Reply = utf8Encode(await writeInvestigatorMessage(v2Investigator.key, { caseId: v2Keys.caseId, kind: 'reply' }, v2ReplyText));
write('messages-v2.json', {
  investigator: { armoredPrivateKey: v2Investigator.generated.armoredPrivateKey, passphrase: TEST_PASSPHRASE, fingerprint: v2Investigator.generated.fingerprint },
  token: tokens[1],
  caseId: v2Keys.caseId,
  directory: { bodyId: v2BodyId, pinnedKey: v2DirectoryKey.publicKey, now: '2026-12-07', signed: v2Directory },
  report: { envelope: toBase64Url(await encryptReport(v2Report, [v2Investigator.recipient], { caseId: v2Keys.caseId })), reporterCopy: toBase64Url(sealReply(v2Keys.replyPublicKey, v2Report, 'reporter-copy')) },
  attachment: {
    attachmentId: v2AttachmentId,
    plaintext: toBase64Url(v2AttachmentBytes),
    stored: toBase64Url(await readAll(encryptAttachment(streamOf(v2AttachmentBytes), [v2Investigator.recipient], { caseId: v2Keys.caseId, attachmentId: v2AttachmentId }, { chunkBytes: 4096 }))),
  },
  followup: { envelope: toBase64Url(await encryptReport(v2Followup, [v2Investigator.recipient], { caseId: v2Keys.caseId, kind: 'followup' })) },
  reply: { text: v2ReplyText, sealed: toBase64Url(sealReply(v2Keys.replyPublicKey, v2Reply)), copy: toBase64Url(await encryptReport(v2Reply, [v2Investigator.recipient], { caseId: v2Keys.caseId, kind: 'reply-copy' })) },
});
