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
import type { CaseObjectInfo } from '../../../../protocol/console-api/index';
import { followupDocumentJson } from '../../../../protocol/followup-document';
import {
  decryptAttachmentToBlob,
  decryptCaseObjects,
  encryptNote,
  encryptReply,
  OBJECTS_IN_FLIGHT,
  reportOf,
  searchableTexts,
  type FetchCaseObject,
} from '../../../../client/console/case-crypto';
import { makeInvestigator, patternBytes, streamOf, type TestInvestigator } from '../../../helpers/crypto';

let investigator: TestInvestigator;
let outsider: TestInvestigator;
let caseKeys: CaseKeys;

const REPORT = { format: 'candor-report', version: 1, bodyId: 'body', answers: { what: 'The tender was rigged.' }, attachments: [] };

/** An object as the server keeps it: what its index lists, and the ciphertext its own route answers. */
type StoredObject = CaseObjectInfo & { readonly ciphertext: Uint8Array };

const stored = (seq: number, kind: CaseObjectInfo['kind'], ciphertext: Uint8Array): StoredObject => ({ seq, kind, createdOn: '2026-11-20', size: ciphertext.length, ciphertext });

async function object(seq: number, kind: CaseObjectInfo['kind'], text: string, recipients = [investigator.recipient], caseId = caseKeys.caseId): Promise<StoredObject> {
  return stored(seq, kind, await encryptReport(text, recipients, { caseId, kind }));
}

/** The object route: each ciphertext by its number. */
const fetcherOf =
  (objects: readonly StoredObject[]): FetchCaseObject =>
  async (seq) => {
    const found = objects.find((candidate) => candidate.seq === seq);
    if (found === undefined) throw new Error(`no object ${seq}`);
    return found.ciphertext;
  };

const decryptStored = (objects: readonly StoredObject[]) => decryptCaseObjects({ id: caseKeys.caseId, objects }, [investigator.key], fetcherOf(objects));

beforeAll(async () => {
  [investigator, outsider] = await Promise.all([makeInvestigator('Reader'), makeInvestigator('Outsider')]);
  caseKeys = await deriveCaseKeys(generateCaseToken());
});

describe('decryptCaseObjects', () => {
  it('when a case has a report, follow-up, note and reply copy, then all are read in the order of their numbers', async () => {
    const objects = [await object(3, 'note', 'a private note'), await object(1, 'report', JSON.stringify(REPORT)), await object(2, 'followup', 'more detail'), await object(4, 'reply-copy', 'thank you')];
    const entries = await decryptStored(objects);
    expect(entries.map((entry) => [entry.seq, entry.kind])).toEqual([
      [1, 'report'],
      [2, 'followup'],
      [3, 'note'],
      [4, 'reply-copy'],
    ]);
    expect(reportOf(entries)?.answers.what).toBe('The tender was rigged.');
    expect(searchableTexts(entries)).toEqual(['The tender was rigged.', 'more detail', 'a private note', 'thank you']);
  });

  it('when follow-ups of both versions are read, then the plain text one has no files and the version 2 one names its files, which the search finds', async () => {
    const file = { attachmentId: newAttachmentId(), name: 'minutes 2026-03.pdf', type: 'application/pdf', size: 4711 };
    const objects = [await object(1, 'report', JSON.stringify(REPORT)), await object(3, 'followup', 'plain old text'), await object(5, 'followup', followupDocumentJson('The minutes.', [file]))];
    const entries = await decryptStored(objects);
    expect(entries[1]).toEqual({ seq: 3, kind: 'followup', createdOn: '2026-11-20', text: 'plain old text', files: [] });
    expect(entries[2]).toEqual({ seq: 5, kind: 'followup', createdOn: '2026-11-20', text: 'The minutes.', files: [file] });
    expect(searchableTexts(entries)).toEqual(['The tender was rigged.', 'plain old text', 'The minutes.', 'minutes 2026-03.pdf']);
  });

  it('when a follow-up document has an unknown version, then it is unreadable as followup-format', async () => {
    const entries = await decryptStored([await object(2, 'followup', JSON.stringify({ format: 'candor-followup', version: 3, text: 'x', files: [] }))]);
    expect(entries[0]).toEqual({ seq: 2, kind: 'followup', createdOn: '2026-11-20', failure: 'followup-format' });
  });

  it('when one message is not for these keys, then it is marked unreadable and the others still read', async () => {
    const objects = [await object(1, 'report', JSON.stringify(REPORT)), await object(2, 'note', 'for someone else', [outsider.recipient])];
    const entries = await decryptStored(objects);
    expect(entries[1]).toEqual({ seq: 2, kind: 'note', createdOn: '2026-11-20', failure: 'decryption-failed' });
    expect(reportOf(entries)).not.toBeNull();
  });

  it('when the server moves a message from another case, then its binding gives it away', async () => {
    const other = await deriveCaseKeys(generateCaseToken());
    const entries = await decryptStored([await object(1, 'followup', 'elsewhere', undefined, other.caseId)]);
    expect(entries[0]).toMatchObject({ failure: 'binding-mismatch' });
  });

  it('when the server relabels a note as a follow-up, then it is refused', async () => {
    const note = await object(1, 'note', 'private');
    const entries = await decryptStored([{ ...note, kind: 'followup' }]);
    expect('failure' in entries[0]!).toBe(true);
  });

  it('when the report decrypts but is not a report document, then it is unreadable as report-format', async () => {
    const entries = await decryptStored([await object(1, 'report', 'not json')]);
    expect(entries[0]).toMatchObject({ failure: 'report-format' });
    expect(reportOf(entries)).toBeNull();
  });

  it('when a case has many objects, then only a few are downloaded at once, each decrypted as it arrives, and the entries keep their order', async () => {
    const objects = await Promise.all(Array.from({ length: 12 }, (_, index) => object(index + 1, 'followup', `follow-up ${index + 1}`)));
    const serve = fetcherOf(objects);
    let inFlight = 0;
    let most = 0;
    const entries = await decryptCaseObjects({ id: caseKeys.caseId, objects: [...objects].reverse() }, [investigator.key], async (seq) => {
      inFlight++;
      most = Math.max(most, inFlight);
      // Later numbers answer sooner, so arrival order differs from the case's order.
      await new Promise((resolve) => setTimeout(resolve, 13 - seq));
      inFlight--;
      return serve(seq);
    });
    expect(most).toBe(OBJECTS_IN_FLIGHT);
    expect(entries.map((entry) => ('text' in entry ? entry.text : entry.kind))).toEqual(objects.map((_, index) => `follow-up ${index + 1}`));
  });

  it('when a download fails, then the whole fails with the server’s error and no further object is asked for', async () => {
    const objects = await Promise.all(Array.from({ length: 10 }, (_, index) => object(index + 1, 'note', `note ${index + 1}`)));
    const asked: number[] = [];
    const failing: FetchCaseObject = async (seq) => {
      asked.push(seq);
      if (seq === 2) throw new Error('HTTP 404 not-found');
      return fetcherOf(objects)(seq);
    };
    await expect(decryptCaseObjects({ id: caseKeys.caseId, objects }, [investigator.key], failing)).rejects.toThrow('HTTP 404 not-found');
    // The first few were asked for together; none after the failure was known.
    expect(asked.sort((a, b) => a - b)).toEqual(Array.from({ length: OBJECTS_IN_FLIGHT }, (_, index) => index + 1));
  });
});

describe('encryptReply and encryptNote', () => {
  it('when a reply is written, then the reporter opens the sealed part with the token and colleagues read the copy', async () => {
    const reply = await encryptReply('We have opened an assessment.', { caseId: caseKeys.caseId, replyPublicKey: toBase64Url(caseKeys.replyPublicKey), recipients: [investigator.recipient] });
    expect(utf8Decode(openReply(caseKeys, fromBase64Url(reply.sealed)))).toBe('We have opened an assessment.');
    const [copy] = await decryptStored([stored(5, 'reply-copy', fromBase64Url(reply.copy))]);
    expect(copy).toMatchObject({ kind: 'reply-copy', text: 'We have opened an assessment.' });
  });

  it('when a note is written, then it is a note of this case for the investigators', async () => {
    const { message } = await encryptNote('Call the witness.', { caseId: caseKeys.caseId, recipients: [investigator.recipient] });
    const [note] = await decryptStored([stored(6, 'note', fromBase64Url(message))]);
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
