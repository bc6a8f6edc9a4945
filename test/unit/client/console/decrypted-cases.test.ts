/** What a tab keeps of the cases it decrypted: each object once, searchable, dropped on clear. */
import { beforeAll, describe, expect, it } from 'vitest';
import { encryptReport, toBase64Url, type CaseId } from '../../../../crypto/index';
import type { CaseObject } from '../../../../client/console/api/types';
import { DecryptedCases } from '../../../../client/console/decrypted-cases';
import { makeInvestigator, type TestInvestigator } from '../../../helpers/crypto';

const CASE_ID = 'b'.repeat(64) as CaseId;
let investigator: TestInvestigator;
let outsider: TestInvestigator;

async function object(seq: number, kind: CaseObject['kind'], text: string, recipient = investigator): Promise<CaseObject> {
  return { seq, kind, createdOn: '2026-11-20', ciphertext: toBase64Url(await encryptReport(text, [recipient.recipient], { caseId: CASE_ID, kind })) };
}

const report = (what: string) => JSON.stringify({ format: 'candor-report', version: 1, bodyId: 'body', answers: { what }, attachments: [] });

beforeAll(async () => {
  [investigator, outsider] = await Promise.all([makeInvestigator('Reader'), makeInvestigator('Outsider')]);
});

describe('DecryptedCases', () => {
  it('when a case is decrypted, then its words are searchable', async () => {
    const cases = new DecryptedCases();
    await cases.decrypt({ id: CASE_ID, objects: [await object(1, 'report', report('The harbour contract'))] }, [investigator.key]);
    expect(cases.has(CASE_ID)).toBe(true);
    expect(cases.index.search('harbour').map((hit) => hit.caseId)).toEqual([CASE_ID]);
  });

  it('when a case is opened again with a new message, then the old ones are not decrypted again and the new one is indexed', async () => {
    const cases = new DecryptedCases();
    const first = await object(1, 'report', report('The harbour contract'));
    await cases.decrypt({ id: CASE_ID, objects: [first] }, [investigator.key]);
    // A ciphertext that no key opens: if seq 1 were decrypted again, it would now fail.
    const tampered = { ...first, ciphertext: (await object(1, 'report', report('x'), outsider)).ciphertext };
    const entries = await cases.decrypt({ id: CASE_ID, objects: [tampered, await object(2, 'followup', 'cash in envelopes')] }, [investigator.key]);
    expect(entries.map((entry) => ('failure' in entry ? 'failed' : entry.kind))).toEqual(['report', 'followup']);
    expect(cases.index.search('harbour envelopes')).toHaveLength(1);
  });

  it('when a message failed before, then it is tried again with the keys now unlocked', async () => {
    const cases = new DecryptedCases();
    const note = await object(1, 'note', 'for the outsider', outsider);
    expect((await cases.decrypt({ id: CASE_ID, objects: [note] }, [investigator.key]))[0]).toHaveProperty('failure');
    expect((await cases.decrypt({ id: CASE_ID, objects: [note] }, [investigator.key, outsider.key]))[0]).toMatchObject({ text: 'for the outsider' });
  });

  it('when cleared, then nothing decrypted remains', async () => {
    const cases = new DecryptedCases();
    await cases.decrypt({ id: CASE_ID, objects: [await object(1, 'report', report('The harbour contract'))] }, [investigator.key]);
    cases.clear();
    expect(cases.count).toBe(0);
    expect(cases.index.search('harbour')).toEqual([]);
  });
});
