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
import { readInvestigatorMessage } from '../../../../protocol/investigator-messages';
import {
  decryptAttachmentToBlob,
  decryptCaseObjects,
  encryptNote,
  encryptReply,
  FileDigestMismatchError,
  OBJECTS_IN_FLIGHT,
  signingKeyFor,
  type DecryptedObject,
  type FetchCaseObject,
} from '../../../../client/console/case-crypto';
import { makeInvestigator, patternBytes, streamOf, type TestInvestigator } from '../../../helpers/crypto';
import { blockSha256Of } from '../../../helpers/signed-case-messages';

let investigator: TestInvestigator;
let colleague: TestInvestigator;
let outsider: TestInvestigator;
let caseKeys: CaseKeys;

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

const textOf = (decrypted: DecryptedObject) => ('plaintext' in decrypted ? utf8Decode(decrypted.plaintext) : undefined);

beforeAll(async () => {
  [investigator, colleague, outsider] = await Promise.all([makeInvestigator('Reader'), makeInvestigator('Colleague'), makeInvestigator('Outsider')]);
  caseKeys = await deriveCaseKeys(generateCaseToken());
});

describe('decryptCaseObjects', () => {
  it('when a case has a report, follow-up, note and reply copy, then all are decrypted in the order of their numbers', async () => {
    const objects = [await object(3, 'note', 'a private note'), await object(1, 'report', '{"report":1}'), await object(2, 'followup', 'more detail'), await object(4, 'reply-copy', 'thank you')];
    const decrypted = await decryptStored(objects);
    expect(decrypted.map((entry) => [entry.seq, entry.kind, textOf(entry)])).toEqual([
      [1, 'report', '{"report":1}'],
      [2, 'followup', 'more detail'],
      [3, 'note', 'a private note'],
      [4, 'reply-copy', 'thank you'],
    ]);
  });

  it('when one message is not for these keys, then it says so and the others still decrypt', async () => {
    const decrypted = await decryptStored([await object(1, 'report', '{}'), await object(2, 'note', 'for someone else', [outsider.recipient])]);
    expect(decrypted[1]).toEqual({ seq: 2, kind: 'note', createdOn: '2026-11-20', failure: 'decryption-failed' });
    expect(textOf(decrypted[0]!)).toBe('{}');
  });

  it('when the server moves a message from another case, then its binding gives it away', async () => {
    const other = await deriveCaseKeys(generateCaseToken());
    const decrypted = await decryptStored([await object(1, 'followup', 'elsewhere', undefined, other.caseId)]);
    expect(decrypted[0]).toMatchObject({ failure: 'binding-mismatch' });
  });

  it('when the server relabels a note as a follow-up, then it is refused', async () => {
    const note = await object(1, 'note', 'private');
    const decrypted = await decryptStored([{ ...note, kind: 'followup' }]);
    expect('failure' in decrypted[0]!).toBe(true);
  });

  it('when a case has many objects, then only a few are downloaded at once, each decrypted as it arrives, and they keep their order', async () => {
    const objects = await Promise.all(Array.from({ length: 12 }, (_, index) => object(index + 1, 'followup', `follow-up ${index + 1}`)));
    const serve = fetcherOf(objects);
    let inFlight = 0;
    let most = 0;
    const decrypted = await decryptCaseObjects({ id: caseKeys.caseId, objects: [...objects].reverse() }, [investigator.key], async (seq) => {
      inFlight++;
      most = Math.max(most, inFlight);
      // Later numbers answer sooner, so arrival order differs from the case's order.
      await new Promise((resolve) => setTimeout(resolve, 13 - seq));
      inFlight--;
      return serve(seq);
    });
    expect(most).toBe(OBJECTS_IN_FLIGHT);
    expect(decrypted.map(textOf)).toEqual(objects.map((_, index) => `follow-up ${index + 1}`));
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

describe('signingKeyFor', () => {
  it('when one of the unlocked keys is listed in the directory, then it signs; when none is, then nothing may be signed', () => {
    expect(signingKeyFor([outsider.key, investigator.key], [colleague.recipient, investigator.recipient])).toBe(investigator.key);
    expect(signingKeyFor([outsider.key], [colleague.recipient, investigator.recipient])).toBeNull();
  });
});

describe('encryptReply and encryptNote', () => {
  const directory = () => [investigator.recipient, colleague.recipient];

  it('when a reply is written, then the reporter opens a version 2 document signed by the investigator, and colleagues read the same document in the copy', async () => {
    const reply = await encryptReply('We have opened an assessment.', { caseId: caseKeys.caseId, replyPublicKey: toBase64Url(caseKeys.replyPublicKey), recipients: directory(), signingKey: investigator.key });
    const sealed = openReply(caseKeys, fromBase64Url(reply.sealed));
    expect(JSON.parse(utf8Decode(sealed))).toMatchObject({ format: 'candor-reply', version: 2, text: 'We have opened an assessment.', signer: investigator.generated.fingerprint });
    const read = await readInvestigatorMessage(sealed, { caseId: caseKeys.caseId, kind: 'reply' }, directory());
    expect(read).toEqual({ text: 'We have opened an assessment.', authenticity: { kind: 'signed', signer: investigator.recipient } });
    const [copy] = await decryptStored([stored(5, 'reply-copy', fromBase64Url(reply.copy))]);
    expect(textOf(copy!)).toBe(utf8Decode(sealed));
  });

  it('when a note is written, then it is a signed note of this case for the investigators', async () => {
    const { message } = await encryptNote('Call the witness.', { caseId: caseKeys.caseId, recipients: directory(), signingKey: colleague.key });
    const [note] = await decryptStored([stored(6, 'note', fromBase64Url(message))]);
    const read = await readInvestigatorMessage((note as { plaintext: Uint8Array }).plaintext, { caseId: caseKeys.caseId, kind: 'note' }, directory());
    expect(read).toEqual({ text: 'Call the witness.', authenticity: { kind: 'signed', signer: colleague.recipient } });
  });
});

describe('decryptAttachmentToBlob', () => {
  async function storedFile(file: Uint8Array, attachmentId = newAttachmentId()) {
    const bytes = new Uint8Array(await new Response(encryptAttachment(streamOf(file), [investigator.recipient], { caseId: caseKeys.caseId, attachmentId }, { chunkBytes: 65_536 })).arrayBuffer());
    return { attachmentId, bytes };
  }

  it('when the file decrypts to the digest the reporter signed, then the blob holds the original bytes and is never typed as renderable', async () => {
    const file = patternBytes(1_300_000);
    const { attachmentId, bytes } = await storedFile(file);
    const blob = await decryptAttachmentToBlob(streamOf(bytes, 10_000), [investigator.key], caseKeys.caseId, attachmentId, await blockSha256Of(file));
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(file);
    expect(blob.type).toBe('application/octet-stream');
  });

  it('when the server serves another file of the body’s under this id, then it is refused as not the one the reporter signed', async () => {
    const signedFor = patternBytes(200_000, 1);
    const { attachmentId, bytes } = await storedFile(patternBytes(200_000, 2));
    await expect(decryptAttachmentToBlob(streamOf(bytes), [investigator.key], caseKeys.caseId, attachmentId, await blockSha256Of(signedFor))).rejects.toBeInstanceOf(FileDigestMismatchError);
  });

  it('when no signed message names a digest, then the file is decrypted unchecked, as before', async () => {
    const file = patternBytes(300_000);
    const { attachmentId, bytes } = await storedFile(file);
    const blob = await decryptAttachmentToBlob(streamOf(bytes), [investigator.key], caseKeys.caseId, attachmentId, null);
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(file);
  });

  it('when the download is cut short, then no blob is made', async () => {
    const file = patternBytes(200_000);
    const { attachmentId, bytes } = await storedFile(file);
    await expect(decryptAttachmentToBlob(streamOf(bytes.subarray(0, bytes.length - 1000)), [investigator.key], caseKeys.caseId, attachmentId, await blockSha256Of(file))).rejects.toMatchObject({
      code: 'attachment-truncated',
    });
  });
});
