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
