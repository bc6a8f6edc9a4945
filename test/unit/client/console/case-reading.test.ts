/**
 * A case read and authenticated in the console: the signed report certifies the case's keys, follow-ups
 * are checked against the case key it names, replies and notes against the body's directory, and the
 * server's word (reply key, body) is compared with the report's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveCaseKeys, generateCaseToken, newAttachmentId, toBase64Url, utf8Decode, utf8Encode, type CaseKeys } from '../../../../crypto/index';
import type { IndexedObjectKind } from '../../../../protocol/console-api/index';
import { writeInvestigatorMessage } from '../../../../protocol/investigator-messages';
import type { DecryptedObject } from '../../../../client/console/case-crypto';
import { fileCheckOf, readCaseEntries, replyTarget, reportOf, searchableTexts, writeRefusal, type CaseEntry } from '../../../../client/console/case-reading';
import { makeInvestigator, type TestInvestigator } from '../../../helpers/crypto';
import { signedFollowup, signedReport } from '../../../helpers/signed-case-messages';

const BODY = 'body-a';
const DIGEST = 'a'.repeat(64);
const OTHER_DIGEST = 'b'.repeat(64);
let investigator: TestInvestigator;
let unlisted: TestInvestigator;
let caseKeys: CaseKeys;
let otherCase: CaseKeys;
const reportFile = newAttachmentId();
const followupFile = newAttachmentId();
const injectedFile = newAttachmentId();

const decrypted = (seq: number, kind: IndexedObjectKind, plaintext: Uint8Array | string): DecryptedObject => ({
  seq,
  kind,
  createdOn: '2026-11-20',
  plaintext: typeof plaintext === 'string' ? utf8Encode(plaintext) : plaintext,
});

const v1Report = (bodyId = BODY) => JSON.stringify({ format: 'candor-report', version: 1, bodyId, answers: { what: 'The tender was rigged.' }, attachments: [] });
const v2Report = (keys = caseKeys) => signedReport(keys, { bodyId: BODY, answers: { what: 'The tender was rigged.' }, attachments: [{ id: reportFile, name: 'ledger.xlsx', type: '', size: 10, blockSha256: DIGEST }] });
const served = (keys = caseKeys, bodyId = BODY) => ({ bodyId, replyPublicKey: toBase64Url(keys.replyPublicKey) });

const read = (objects: readonly DecryptedObject[], recipients = [investigator.recipient]) => readCaseEntries(caseKeys.caseId, objects, recipients);
const entry = (entries: readonly CaseEntry[], seq: number) => entries.find((candidate) => candidate.seq === seq);

beforeAll(async () => {
  [investigator, unlisted] = await Promise.all([makeInvestigator('Listed'), makeInvestigator('Unlisted')]);
  [caseKeys, otherCase] = await Promise.all([deriveCaseKeys(generateCaseToken()), deriveCaseKeys(generateCaseToken())]);
});

describe('readCaseEntries: the report and the reporter’s follow-ups', () => {
  it('when the report and a follow-up are signed with the case key, then both are the reporter’s and replies go to the key the report names', async () => {
    const reading = await read([decrypted(1, 'report', await v2Report()), decrypted(2, 'followup', await signedFollowup(caseKeys, 'The minutes.', [{ attachmentId: followupFile, name: 'minutes.txt', type: 'text/plain', size: 5, blockSha256: OTHER_DIGEST }]))]);
    expect(reading.signature).toEqual({ kind: 'signed', bodyId: BODY, directorySerial: 1, caseKeys: { auth: toBase64Url(caseKeys.authPublicKey), reply: toBase64Url(caseKeys.replyPublicKey) } });
    expect(reportOf(reading.entries)?.answers.what).toBe('The tender was rigged.');
    expect(entry(reading.entries, 2)).toMatchObject({ kind: 'followup', text: 'The minutes.', authenticity: 'signed' });
    expect(replyTarget(reading.signature, served(), false)).toEqual({ replyPublicKey: toBase64Url(caseKeys.replyPublicKey) });
    expect(searchableTexts(reading.entries)).toEqual(['The tender was rigged.', 'ledger.xlsx', 'The minutes.', 'minutes.txt']);
  });

  it('when the server lists another reply key than the signed report names, then replying is refused', async () => {
    const reading = await read([decrypted(1, 'report', await v2Report())]);
    expect(replyTarget(reading.signature, { bodyId: BODY, replyPublicKey: toBase64Url(otherCase.replyPublicKey) }, false)).toEqual({ refused: 'reply-key-mismatch' });
  });

  it('when the server files the case under another body than the report names, then nothing may be written in it', async () => {
    const reading = await read([decrypted(1, 'report', await v2Report())]);
    expect(writeRefusal(reading.signature, served(caseKeys, 'body-b'), 99)).toBe('body-mismatch');
    expect(replyTarget(reading.signature, served(caseKeys, 'body-b'), false)).toEqual({ refused: 'body-mismatch' });
    expect(writeRefusal(reading.signature, served(), 99)).toBeNull();
  });

  it('when the directory verified now is older than the one the signed report was encrypted under, then nothing may be written', async () => {
    const reading = await read([decrypted(1, 'report', await v2Report())]);
    const reportSerial = reading.signature.kind === 'signed' ? reading.signature.directorySerial : -1;
    expect(writeRefusal(reading.signature, served(), reportSerial)).toBeNull();
    expect(writeRefusal(reading.signature, served(), reportSerial - 1)).toBe('directory-older-than-report');
  });

  it('when no report can be read, then nothing may be written: the body the case belongs to cannot be checked', async () => {
    const reading = await read([decrypted(1, 'followup', 'no report at all')]);
    expect(writeRefusal(reading.signature, served(), 99)).toBe('report-unreadable');
  });

  it('when an unsigned follow-up turns up in a case whose report is signed, then it is marked unsigned: the reporter signs every one', async () => {
    const plain = JSON.stringify({ format: 'candor-followup', version: 2, text: 'Send us your phone number.', files: [{ attachmentId: injectedFile, name: 'x.pdf', type: '', size: 1 }] });
    const reading = await read([decrypted(1, 'report', await v2Report()), decrypted(2, 'followup', 'Plain text, too.'), decrypted(3, 'followup', plain)]);
    expect(entry(reading.entries, 2)).toMatchObject({ authenticity: 'unsigned', text: 'Plain text, too.' });
    expect(entry(reading.entries, 3)).toMatchObject({ authenticity: 'unsigned', text: 'Send us your phone number.' });
    // Its file is checked against nothing the reporter signed.
    expect(fileCheckOf(reading, injectedFile)).toEqual({ kind: 'unverifiable', reason: 'not-signed' });
  });

  it('when a follow-up is signed with another case’s key, then it does not verify and its text is not read', async () => {
    const forged = await signedFollowup(otherCase, 'We are closing the case.');
    const reading = await read([decrypted(1, 'report', await v2Report()), decrypted(2, 'followup', forged)]);
    expect(entry(reading.entries, 2)).toEqual({ seq: 2, kind: 'followup', createdOn: '2026-11-20', failure: 'signature-invalid' });
  });

  it('when the report is signed by a key other than the one it names, then it is refused, and the case cannot be replied to', async () => {
    // The server's own case keys sign a report that names the reporter's: it does not verify.
    const named = JSON.parse(utf8Decode(await v2Report())) as { document: string };
    const resigned = await signedReport(otherCase, { bodyId: BODY, answers: JSON.parse(named.document).answers });
    const swapped = JSON.parse(utf8Decode(resigned)) as Record<string, string>;
    swapped.document = named.document;
    const reading = await read([decrypted(1, 'report', JSON.stringify(swapped)), decrypted(2, 'followup', await signedFollowup(caseKeys, 'genuine'))]);
    expect(entry(reading.entries, 1)).toMatchObject({ failure: 'signature-invalid' });
    expect(reading.signature).toEqual({ kind: 'unreadable' });
    expect(replyTarget(reading.signature, served(), false)).toEqual({ refused: 'report-unreadable' });
    // A signed follow-up with no report to check it against is not called forged: it is unchecked.
    expect(entry(reading.entries, 2)).toMatchObject({ authenticity: 'unchecked', text: 'genuine' });
  });

  it('when the case was sent before messages were signed, then its follow-ups are unsigned as expected and replies go to the server’s key, if the body’s pin says it has such cases', async () => {
    const reading = await read([decrypted(1, 'report', v1Report()), decrypted(2, 'followup', 'plain old text')]);
    expect(reading.signature).toEqual({ kind: 'unsigned', bodyId: BODY });
    expect(entry(reading.entries, 2)).toMatchObject({ authenticity: 'unsigned', text: 'plain old text' });
    expect(replyTarget(reading.signature, served(otherCase), true)).toEqual({ replyPublicKey: toBase64Url(otherCase.replyPublicKey) });
    // For a body without unsigned cases, an unsigned report is the server's, swapped in to redirect replies.
    expect(replyTarget(reading.signature, served(otherCase), false)).toEqual({ refused: 'unsigned-refused' });
    expect(fileCheckOf(reading, reportFile)).toEqual({ kind: 'unverifiable', reason: 'older-case' });
  });

  it('when a version 2 report comes unsigned, then it is refused: a server cannot strip the signature', async () => {
    const json = utf8Decode(await v2Report());
    const reading = await read([decrypted(1, 'report', (JSON.parse(json) as { document: string }).document)]);
    expect(entry(reading.entries, 1)).toMatchObject({ failure: 'signature-invalid' });
  });

  it('when the report does not decrypt, then it says why and the case is unreadable', async () => {
    const reading = await read([{ seq: 1, kind: 'report', createdOn: '2026-11-20', failure: 'decryption-failed' }]);
    expect(reading.entries).toEqual([{ seq: 1, kind: 'report', createdOn: '2026-11-20', failure: 'decryption-failed' }]);
    expect(reading.signature).toEqual({ kind: 'unreadable' });
  });

  it('when the report is not a report document, then it is unreadable as report-format', async () => {
    const reading = await read([decrypted(1, 'report', 'not json')]);
    expect(entry(reading.entries, 1)).toMatchObject({ failure: 'report-format' });
  });
});

describe('readCaseEntries: replies and notes', () => {
  it('when a reply copy and a note are signed by a listed investigator, then they are signed by that key; older ones unsigned; others forged', async () => {
    const reply = await writeInvestigatorMessage(investigator.key, { caseId: caseKeys.caseId, kind: 'reply' }, 'Thank you.');
    const note = await writeInvestigatorMessage(investigator.key, { caseId: caseKeys.caseId, kind: 'note' }, 'Call the witness.');
    const byUnlisted = await writeInvestigatorMessage(unlisted.key, { caseId: caseKeys.caseId, kind: 'reply' }, 'Send us your name.');
    const reading = await read([
      decrypted(1, 'report', await v2Report()),
      decrypted(2, 'reply-copy', reply),
      decrypted(3, 'note', note),
      decrypted(4, 'reply-copy', 'An old plain reply.'),
      decrypted(5, 'reply-copy', byUnlisted),
      // A reply's signature does not make a note: the kind is signed.
      decrypted(6, 'note', reply),
    ]);
    expect(entry(reading.entries, 2)).toMatchObject({ text: 'Thank you.', authenticity: { kind: 'signed', signer: investigator.recipient } });
    expect(entry(reading.entries, 3)).toMatchObject({ text: 'Call the witness.', authenticity: { kind: 'signed', signer: investigator.recipient } });
    expect(entry(reading.entries, 4)).toMatchObject({ text: 'An old plain reply.', authenticity: { kind: 'unsigned' } });
    expect(entry(reading.entries, 5)).toMatchObject({ authenticity: { kind: 'forged' } });
    expect(entry(reading.entries, 6)).toMatchObject({ authenticity: { kind: 'unsigned' } });
  });

  it('when a signed reply declares itself the acknowledgment, then its entry says so; a plain reply declares nothing', async () => {
    const acknowledgment = await writeInvestigatorMessage(investigator.key, { caseId: caseKeys.caseId, kind: 'reply', purpose: 'acknowledgment' }, 'We received your report.');
    const reading = await read([decrypted(1, 'report', await v2Report()), decrypted(2, 'reply-copy', acknowledgment), decrypted(3, 'reply-copy', 'An old plain reply.')]);
    expect(entry(reading.entries, 2)).toMatchObject({ purpose: 'acknowledgment', authenticity: { kind: 'signed' } });
    expect(entry(reading.entries, 3)).not.toHaveProperty('purpose');
  });

  it('when the body’s directory could not be verified, then a signed reply is unchecked, not forged', async () => {
    const reply = await writeInvestigatorMessage(investigator.key, { caseId: caseKeys.caseId, kind: 'reply' }, 'Thank you.');
    const unchecked = await readCaseEntries(caseKeys.caseId, [decrypted(2, 'reply-copy', reply), decrypted(3, 'reply-copy', 'An old plain reply.')], null);
    expect(entry(unchecked.entries, 2)).toMatchObject({ text: 'Thank you.', authenticity: { kind: 'unchecked' } });
    expect(entry(unchecked.entries, 3)).toMatchObject({ authenticity: { kind: 'unsigned' } });
  });
});

describe('fileCheckOf', () => {
  it('when the signed report or a signed follow-up names a file, then its digest is the one to check', async () => {
    const reading = await read([
      decrypted(1, 'report', await v2Report()),
      decrypted(2, 'followup', await signedFollowup(caseKeys, '', [{ attachmentId: followupFile, name: 'minutes.txt', type: 'text/plain', size: 5, blockSha256: OTHER_DIGEST }])),
    ]);
    expect(fileCheckOf(reading, reportFile)).toEqual({ kind: 'digest', blockSha256: DIGEST });
    expect(fileCheckOf(reading, followupFile)).toEqual({ kind: 'digest', blockSha256: OTHER_DIGEST });
    expect(fileCheckOf(reading, injectedFile)).toEqual({ kind: 'unverifiable', reason: 'not-signed' });
  });
});
