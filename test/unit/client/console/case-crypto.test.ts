/** What the console decrypts and encrypts for a case, against the crypto core as the reporter uses it. */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  deriveCaseKeys,
  encryptAttachment,
  encryptReport,
  fromBase64Url,
  generateCaseToken,
  newAttachmentId,
  openReply,
  toBase64Url,
  utf8Decode,
  type CaseKeys,
} from '../../../../crypto/index';
import type { CaseObject } from '../../../../client/console/api/types';
import { decryptAttachmentToBlob, decryptCaseObjects, encryptNote, encryptReply, reportOf, searchableTexts } from '../../../../client/console/case-crypto';
import { makeInvestigator, patternBytes, streamOf, type TestInvestigator } from '../../../helpers/crypto';

let investigator: TestInvestigator;
let outsider: TestInvestigator;
let caseKeys: CaseKeys;

const REPORT = { format: 'candor-report', version: 1, bodyId: 'body', answers: { what: 'The tender was rigged.' }, attachments: [] };

async function object(seq: number, kind: CaseObject['kind'], text: string, recipients = [investigator.recipient], caseId = caseKeys.caseId): Promise<CaseObject> {
  return { seq, kind, createdOn: '2026-11-20', ciphertext: toBase64Url(await encryptReport(text, recipients, { caseId, kind })) };
}

beforeAll(async () => {
  [investigator, outsider] = await Promise.all([makeInvestigator('Reader'), makeInvestigator('Outsider')]);
  caseKeys = await deriveCaseKeys(generateCaseToken());
});

describe('decryptCaseObjects', () => {
  it('when a case has a report, follow-up, note and reply copy, then all are read in the order of their numbers', async () => {
    const objects = [await object(3, 'note', 'a private note'), await object(1, 'report', JSON.stringify(REPORT)), await object(2, 'followup', 'more detail'), await object(4, 'reply-copy', 'thank you')];
    const entries = await decryptCaseObjects({ id: caseKeys.caseId, objects }, [investigator.key]);
    expect(entries.map((entry) => [entry.seq, entry.kind])).toEqual([
      [1, 'report'],
      [2, 'followup'],
      [3, 'note'],
      [4, 'reply-copy'],
    ]);
    expect(reportOf(entries)?.answers.what).toBe('The tender was rigged.');
    expect(searchableTexts(entries)).toEqual(['The tender was rigged.', 'more detail', 'a private note', 'thank you']);
  });

  it('when one message is not for these keys, then it is marked unreadable and the others still read', async () => {
    const objects = [await object(1, 'report', JSON.stringify(REPORT)), await object(2, 'note', 'for someone else', [outsider.recipient])];
    const entries = await decryptCaseObjects({ id: caseKeys.caseId, objects }, [investigator.key]);
    expect(entries[1]).toEqual({ seq: 2, kind: 'note', createdOn: '2026-11-20', failure: 'decryption-failed' });
    expect(reportOf(entries)).not.toBeNull();
  });

  it('when the server moves a message from another case, then its binding gives it away', async () => {
    const other = await deriveCaseKeys(generateCaseToken());
    const entries = await decryptCaseObjects({ id: caseKeys.caseId, objects: [await object(1, 'followup', 'elsewhere', undefined, other.caseId)] }, [investigator.key]);
    expect(entries[0]).toMatchObject({ failure: 'binding-mismatch' });
  });

  it('when the server relabels a note as a follow-up, then it is refused', async () => {
    const note = await object(1, 'note', 'private');
    const entries = await decryptCaseObjects({ id: caseKeys.caseId, objects: [{ ...note, kind: 'followup' }] }, [investigator.key]);
    expect('failure' in entries[0]!).toBe(true);
  });

  it('when the report decrypts but is not a report document, then it is unreadable as report-format', async () => {
    const entries = await decryptCaseObjects({ id: caseKeys.caseId, objects: [await object(1, 'report', 'not json')] }, [investigator.key]);
    expect(entries[0]).toMatchObject({ failure: 'report-format' });
    expect(reportOf(entries)).toBeNull();
  });
});

describe('encryptReply and encryptNote', () => {
  it('when a reply is written, then the reporter opens the sealed part with the token and colleagues read the copy', async () => {
    const reply = await encryptReply('We have opened an assessment.', { caseId: caseKeys.caseId, replyPublicKey: toBase64Url(caseKeys.replyPublicKey), recipients: [investigator.recipient] });
    expect(utf8Decode(openReply(caseKeys, fromBase64Url(reply.sealed)))).toBe('We have opened an assessment.');
    const [copy] = await decryptCaseObjects({ id: caseKeys.caseId, objects: [{ seq: 5, kind: 'reply-copy', createdOn: '2026-11-21', ciphertext: reply.copy }] }, [investigator.key]);
    expect(copy).toMatchObject({ kind: 'reply-copy', text: 'We have opened an assessment.' });
  });

  it('when a note is written, then it is a note of this case for the investigators', async () => {
    const { message } = await encryptNote('Call the witness.', { caseId: caseKeys.caseId, recipients: [investigator.recipient] });
    const [note] = await decryptCaseObjects({ id: caseKeys.caseId, objects: [{ seq: 6, kind: 'note', createdOn: '2026-11-21', ciphertext: message }] }, [investigator.key]);
    expect(note).toMatchObject({ kind: 'note', text: 'Call the witness.' });
  });
});

describe('decryptAttachmentToBlob', () => {
  it('when a stored attachment is streamed in, then the blob holds the original bytes and is never typed as renderable', async () => {
    const attachmentId = newAttachmentId();
    const file = patternBytes(300_000);
    const stored = new Uint8Array(await new Response(encryptAttachment(streamOf(file), [investigator.recipient], { caseId: caseKeys.caseId, attachmentId }, { chunkBytes: 65_536 })).arrayBuffer());
    const blob = await decryptAttachmentToBlob(streamOf(stored, 10_000), [investigator.key], caseKeys.caseId, attachmentId);
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(file);
    expect(blob.type).toBe('application/octet-stream');
  });

  it('when the download is cut short, then no blob is made', async () => {
    const attachmentId = newAttachmentId();
    const stored = new Uint8Array(await new Response(encryptAttachment(streamOf(patternBytes(200_000)), [investigator.recipient], { caseId: caseKeys.caseId, attachmentId }, { chunkBytes: 65_536 })).arrayBuffer());
    await expect(decryptAttachmentToBlob(streamOf(stored.subarray(0, stored.length - 1000)), [investigator.key], caseKeys.caseId, attachmentId)).rejects.toMatchObject({ code: 'attachment-truncated' });
  });
});
