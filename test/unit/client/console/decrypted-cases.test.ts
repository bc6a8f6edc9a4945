/** What a tab keeps of the cases it decrypted: each object downloaded and decrypted once, searchable, dropped on clear. */
import { beforeAll, describe, expect, it } from 'vitest';
import { encryptReport, type CaseId, type RecipientKey } from '../../../../crypto/index';
import { writeInvestigatorMessage } from '../../../../protocol/investigator-messages';
import type { CaseObjectInfo } from '../../../../protocol/console-api/index';
import type { FetchCaseObject } from '../../../../client/console/case-crypto';
import { DecryptedCases } from '../../../../client/console/decrypted-cases';
import { makeInvestigator, type TestInvestigator } from '../../../helpers/crypto';

const CASE_ID = 'b'.repeat(64) as CaseId;
let investigator: TestInvestigator;
let outsider: TestInvestigator;

/** An object as the server keeps it: what its index lists, and the ciphertext its own route answers. */
type StoredObject = CaseObjectInfo & { readonly ciphertext: Uint8Array };

async function object(seq: number, kind: CaseObjectInfo['kind'], text: string, recipient = investigator): Promise<StoredObject> {
  const ciphertext = await encryptReport(text, [recipient.recipient], { caseId: CASE_ID, kind });
  return { seq, kind, createdOn: '2026-11-20', size: ciphertext.length, ciphertext };
}

/** The object route, and the numbers it was asked for. */
function serverOf(objects: readonly StoredObject[]): { fetch: FetchCaseObject; asked: number[] } {
  const asked: number[] = [];
  const fetch: FetchCaseObject = async (seq) => {
    asked.push(seq);
    const found = objects.find((candidate) => candidate.seq === seq);
    if (found === undefined) throw new Error(`no object ${seq}`);
    return found.ciphertext;
  };
  return { fetch, asked };
}

async function decryptIn(cases: DecryptedCases, objects: readonly StoredObject[], keys = [investigator.key], recipients: readonly RecipientKey[] | null = null) {
  const server = serverOf(objects);
  return { entries: (await cases.read({ id: CASE_ID, objects }, keys, server.fetch, recipients)).entries, asked: server.asked };
}

const report = (what: string) => JSON.stringify({ format: 'candor-report', version: 1, bodyId: 'body', answers: { what }, attachments: [] });

beforeAll(async () => {
  [investigator, outsider] = await Promise.all([makeInvestigator('Reader'), makeInvestigator('Outsider')]);
});

describe('DecryptedCases', () => {
  it('when a case is decrypted, then its words are searchable', async () => {
    const cases = new DecryptedCases();
    await decryptIn(cases, [await object(1, 'report', report('The harbour contract'))]);
    expect(cases.has(CASE_ID)).toBe(true);
    expect(cases.index.search('harbour').map((hit) => hit.caseId)).toEqual([CASE_ID]);
  });

  it('when a case is opened again with a new message, then only the new one is downloaded and decrypted, and it is indexed', async () => {
    const cases = new DecryptedCases();
    const first = await object(1, 'report', report('The harbour contract'));
    await decryptIn(cases, [first]);
    // A ciphertext that no key opens: if seq 1 were decrypted again, it would now fail.
    const tampered = { ...first, ciphertext: (await object(1, 'report', report('x'), outsider)).ciphertext };
    const { entries, asked } = await decryptIn(cases, [tampered, await object(2, 'followup', 'cash in envelopes')]);
    expect(asked).toEqual([2]);
    expect(entries.map((entry) => ('failure' in entry ? 'failed' : entry.kind))).toEqual(['report', 'followup']);
    expect(cases.index.search('harbour envelopes')).toHaveLength(1);
  });

  it('when a message failed before, then it is downloaded and tried again with the keys now unlocked', async () => {
    const cases = new DecryptedCases();
    const note = await object(1, 'note', 'for the outsider', outsider);
    expect((await decryptIn(cases, [note])).entries[0]).toHaveProperty('failure');
    const again = await decryptIn(cases, [note], [investigator.key, outsider.key]);
    expect(again.asked).toEqual([1]);
    expect(again.entries[0]).toMatchObject({ text: 'for the outsider' });
  });

  it('when a case is read again with the body’s verified directory, then a note read unchecked before is signed, without downloading it again', async () => {
    const cases = new DecryptedCases();
    const note = await object(1, 'note', await writeInvestigatorMessage(investigator.key, { caseId: CASE_ID, kind: 'note' }, 'Call the witness.'));
    expect((await decryptIn(cases, [note])).entries[0]).toMatchObject({ text: 'Call the witness.', authenticity: { kind: 'unchecked' } });
    const again = await decryptIn(cases, [note], [investigator.key], [investigator.recipient]);
    expect(again.asked).toEqual([]);
    expect(again.entries[0]).toMatchObject({ authenticity: { kind: 'signed', signer: investigator.recipient } });
    expect(cases.index.search('witness')).toHaveLength(1);
  });

  it('when cleared, then nothing decrypted remains', async () => {
    const cases = new DecryptedCases();
    await decryptIn(cases, [await object(1, 'report', report('The harbour contract'))]);
    cases.clear();
    expect(cases.count).toBe(0);
    expect(cases.index.search('harbour')).toEqual([]);
  });
});
