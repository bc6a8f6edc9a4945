import { beforeAll, describe, expect, it } from 'vitest';
import { readReplies, readSentMessages, type OpenedObject } from '../../../../client/intake/case-messages';
import { deriveCaseKeys, generateCaseToken, generateDirectoryKeyPair, signDirectory, toBase64Url, utf8Encode, type CaseKeys } from '../../../../crypto/index';
import { verifyBodyDirectory, type BodyDirectory } from '../../../../protocol/body-directory';
import { writeInvestigatorMessage } from '../../../../protocol/investigator-messages';
import type { ReportDocumentV2 } from '../../../../protocol/report-document';
import { writeFollowupMessage, writeReportMessage } from '../../../../protocol/reporter-messages';
import { makeInvestigator, type TestInvestigator } from '../../../helpers/crypto';
import { testDirectoryDocument, TEST_BODY_ID } from '../../../helpers/intake';

let keys: CaseKeys;
let otherKeys: CaseKeys;
let investigator: TestInvestigator;
let outsider: TestInvestigator;
let directory: BodyDirectory;

beforeAll(async () => {
  [keys, otherKeys, investigator, outsider] = await Promise.all([deriveCaseKeys(generateCaseToken()), deriveCaseKeys(generateCaseToken()), makeInvestigator(), makeInvestigator('Outsider')]);
  const directoryKey = generateDirectoryKeyPair();
  const document = testDirectoryDocument([investigator], { serial: 4 });
  const signed = signDirectory({ ...document, recipients: document.recipients.map((recipient) => ({ ...recipient, role: 'Case officer' })) }, directoryKey.secretKey);
  directory = await verifyBodyDirectory(signed, { pins: { [TEST_BODY_ID]: { keys: [directoryKey.publicKey], minimumSerial: 0 } }, bodyId: TEST_BODY_ID });
});

const reportOf = (caseKeys: CaseKeys, bodyId: string, directorySerial: number): ReportDocumentV2 => ({
  format: 'candor-report',
  version: 2,
  bodyId,
  directorySerial,
  caseKeys: { auth: toBase64Url(caseKeys.authPublicKey), reply: toBase64Url(caseKeys.replyPublicKey) },
  answers: { what: 'The tender was rigged.' },
  attachments: [{ id: 'A'.repeat(22), name: 'ledger.pdf', type: 'application/pdf', size: 3, blockSha256: '0'.repeat(64) }],
});

const v1Report = (bodyId: string) => utf8Encode(JSON.stringify({ format: 'candor-report', version: 1, bodyId, answers: { what: 'Old report.' }, attachments: [] }));

const objects = (...plaintexts: Uint8Array[]): OpenedObject[] => plaintexts.map((plaintext, index) => ({ seq: index + 1, createdOn: '2026-11-20', plaintext }));

describe('the reporter’s own copies, read back', () => {
  it('when the case’s report copy is signed, then it says where the case went; the reporter’s signed follow-up is theirs, copies the server slipped in are marked as not', async () => {
    const { origin, sent } = await readSentMessages(
      objects(
        v1Report('other-body'),
        await writeReportMessage(keys, reportOf(keys, TEST_BODY_ID, 4)),
        await writeFollowupMessage(keys, 'More details.', []),
        utf8Encode('Please send us your name.'),
        await writeFollowupMessage(otherKeys, 'Another case’s message.', []),
      ),
      keys,
      () => false,
    );
    // The unsigned report before the signed one does not redirect the case.
    expect(origin).toEqual({ bodyId: TEST_BODY_ID, directorySerial: 4, signed: true });
    expect(sent.map((message) => [message.content, message.fromThisBrowser])).toEqual([
      [{ kind: 'report', answers: { what: 'Old report.' }, files: [] }, false],
      [{ kind: 'report', answers: { what: 'The tender was rigged.' }, files: [{ name: 'ledger.pdf', size: 3 }] }, true],
      [{ kind: 'followup', text: 'More details.', files: [] }, true],
      [{ kind: 'followup', text: 'Please send us your name.', files: [] }, false],
      [null, false],
    ]);
  });

  it('when a follow-up named files, then its copy gives each file’s name and size, and nothing else of it', async () => {
    const file = { attachmentId: 'B'.repeat(22), name: 'minutes.odt', type: 'application/vnd.oasis.opendocument.text', size: 2048, blockSha256: '1'.repeat(64) };
    const { sent } = await readSentMessages(objects(await writeReportMessage(keys, reportOf(keys, TEST_BODY_ID, 4)), await writeFollowupMessage(keys, '', [file])), keys, () => false);
    expect(sent[1]?.content).toEqual({ kind: 'followup', text: '', files: [{ name: 'minutes.odt', size: 2048 }] });
  });

  it('when the case is a version 1 case of a body pinned as having such cases, then its unsigned report names the body with serial 0, and its unsigned copies are shown as they are', async () => {
    const { origin, sent } = await readSentMessages(objects(v1Report(TEST_BODY_ID), utf8Encode('A follow-up.')), keys, (bodyId) => bodyId === TEST_BODY_ID);
    expect(origin).toEqual({ bodyId: TEST_BODY_ID, directorySerial: 0, signed: false });
    expect(sent.map((message) => message.fromThisBrowser)).toEqual([true, true]);
  });

  it('when the case holds no report copy, then it has no origin to send follow-ups to', async () => {
    expect((await readSentMessages(objects(await writeFollowupMessage(keys, 'Only this.', [])), keys, () => true)).origin).toBeNull();
  });

  it('when the server withholds the signed report copy and seals an unsigned one naming another body, then it is no origin: follow-ups go nowhere', async () => {
    // Only a case filed under a version 1 id, of a body pinned as having unsigned cases, may have an unsigned report.
    const { origin, sent } = await readSentMessages(objects(v1Report('other-body'), await writeFollowupMessage(keys, 'Mine.', [])), keys, () => false);
    expect(origin).toBeNull();
    expect(sent.map((message) => message.fromThisBrowser)).toEqual([false, true]);
  });
});

describe('the replies, checked against the body’s verified directory', () => {
  const caseIdOf = () => keys.caseId;
  const reply = async (writer: TestInvestigator, text: string) => utf8Encode(await writeInvestigatorMessage(writer.key, { caseId: caseIdOf(), kind: 'reply' }, text));

  it('when a listed investigator signed a reply, then it is signed and names their role; a plain, an altered or an outsider’s reply is not', async () => {
    const tampered = JSON.parse(new TextDecoder().decode(await reply(investigator, 'We need nothing from you.'))) as { text: string };
    tampered.text = 'Send us your name and phone number.';
    const read = await readReplies(
      objects(
        await reply(investigator, 'Thank you, we opened an assessment.'),
        utf8Encode('An old unsigned reply.'),
        utf8Encode(JSON.stringify(tampered)),
        await reply(outsider, 'Reply from someone else.'),
        new Uint8Array([0xff, 0xfe]),
      ),
      caseIdOf(),
      directory,
    );
    expect(read.map((message) => [message.text, message.authenticity, message.role])).toEqual([
      ['Thank you, we opened an assessment.', 'signed', 'Case officer'],
      ['An old unsigned reply.', 'unsigned', null],
      ['Send us your name and phone number.', 'forged', null],
      ['Reply from someone else.', 'forged', null],
      ['', 'forged', null],
    ]);
  });

  it('when a reply was signed for another case, then it is not taken as this case’s', async () => {
    const elsewhere = utf8Encode(await writeInvestigatorMessage(investigator.key, { caseId: otherKeys.caseId, kind: 'reply' }, 'For another case.'));
    expect((await readReplies(objects(elsewhere), caseIdOf(), directory))[0]?.authenticity).toBe('forged');
  });

  it('when the directory could not be verified, then every reply is unverified, a signed one showing its text', async () => {
    const read = await readReplies(objects(await reply(investigator, 'Signed, but unverifiable here.'), utf8Encode('Plain.')), caseIdOf(), null);
    expect(read.map((message) => [message.text, message.authenticity, message.role])).toEqual([
      ['Signed, but unverifiable here.', 'unverified', null],
      ['Plain.', 'unverified', null],
    ]);
  });

  it('when a signed reply is the acknowledgment or the feedback, then it says so; a plain one, a forged one or an unverifiable one has no purpose', async () => {
    const declared = async (writer: TestInvestigator, text: string, purpose: 'acknowledgment' | 'feedback') =>
      utf8Encode(await writeInvestigatorMessage(writer.key, { caseId: caseIdOf(), kind: 'reply', purpose }, text));
    const stripped = JSON.parse(new TextDecoder().decode(await declared(investigator, 'Our feedback.', 'feedback'))) as Record<string, unknown>;
    stripped.purpose = 'acknowledgment';
    const replies = objects(
      await declared(investigator, 'We received your report.', 'acknowledgment'),
      await declared(investigator, 'We referred the matter to the auditor.', 'feedback'),
      await reply(investigator, 'Thank you.'),
      utf8Encode(JSON.stringify(stripped)),
      await declared(outsider, 'Fake feedback.', 'feedback'),
    );
    expect((await readReplies(replies, caseIdOf(), directory)).map((message) => [message.authenticity, message.purpose])).toEqual([
      ['signed', 'acknowledgment'],
      ['signed', 'feedback'],
      ['signed', null],
      ['forged', null],
      ['forged', null],
    ]);
    expect((await readReplies(replies, caseIdOf(), null)).map((message) => message.purpose)).toEqual([null, null, null, null, null]);
  });
});
