/**
 * Attack drill, issue 13 §1: one case made as large as the limits allow, then read. Follow-ups stop
 * at the per-case budget with 422, and reading the case comes in status pages of exactly 8192 bytes
 * and one answer per message, so no answer grows with the case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealReply, utf8Encode } from '../../../crypto/index';
import type { Day } from '../../../server/clock';
import { STATUS_ANSWER_BYTES, STATUS_PAGE_OBJECTS } from '../../../protocol/intake-api';
import { expectStatus, startTestIntake, TestReporter, type SignedResponse, type TestIntake } from '../../helpers/intake';
import { expectNoServerErrors, genuineReporterGetsThrough, handMadeEnvelope } from './drill';

const FOLLOWUPS_PER_CASE = 40;
const FOLLOWUP_BYTES_PER_CASE = 256 * 1024;
const REPLIES = 30;

let intake: TestIntake;

beforeAll(async () => {
  intake = await startTestIntake({
    env: { CANDOR_LIMIT_FOLLOWUPS_PER_CASE: String(FOLLOWUPS_PER_CASE), CANDOR_LIMIT_FOLLOWUP_BYTES_PER_CASE: String(FOLLOWUP_BYTES_PER_CASE) },
  });
});
afterAll(() => intake.close());

/** A follow-up of hand-made objects, `bytes` each: the intake checks only their headers. */
const followup = (reporter: TestReporter, bytes: number): Promise<SignedResponse> =>
  reporter.send('POST', '/api/v1/case/followups', { message: handMadeEnvelope('followup', bytes), reporterCopy: handMadeEnvelope('reporter-copy', bytes) });

/** Follow-ups until one is refused, at most `bound` of them; answers the statuses. */
async function followupsUntilRefused(reporter: TestReporter, bytes: number, bound: number): Promise<{ statuses: number[]; refusal: SignedResponse }> {
  const statuses: number[] = [];
  for (let i = 0; i < bound; i++) {
    const answer = await followup(reporter, bytes);
    statuses.push(answer.status);
    if (answer.status !== 201) return { statuses, refusal: answer };
  }
  throw new Error(`No follow-up was refused in ${bound}: the per-case budget does not hold.`);
}

const limitReached = {
  error: { code: 'limit-reached', message: expect.any(String), details: [`followups: at most ${FOLLOWUPS_PER_CASE} and ${FOLLOWUP_BYTES_PER_CASE} bytes per case`] },
};

describe('one case filled to its limits', () => {
  let huge: TestReporter;

  beforeAll(async () => {
    huge = await TestReporter.create(intake);
    await huge.createCase('The first of many.');
  });

  it('when follow-ups are posted one after another, then the count budget answers 422 limit-reached, every time, and a genuine reporter gets through meanwhile', async () => {
    const { statuses, refusal } = await followupsUntilRefused(huge, 1024, FOLLOWUPS_PER_CASE + 10);
    expect(statuses).toEqual([...Array<number>(FOLLOWUPS_PER_CASE).fill(201), 422]);
    expect(refusal.body).toEqual(limitReached);
    await genuineReporterGetsThrough(intake);
    for (let i = 0; i < 3; i++) expect((await followup(huge, 1)).body).toEqual(limitReached);
    expect(intake.storage.cases.objects(huge.keys.caseId, ['followup'])).toHaveLength(FOLLOWUPS_PER_CASE);
  });

  it('when the follow-ups are large, then the byte budget answers 422 before the case holds more than it allows', async () => {
    const large = await TestReporter.create(intake);
    await large.createCase('Few but large.');
    const { statuses, refusal } = await followupsUntilRefused(large, 24 * 1024, FOLLOWUPS_PER_CASE);
    expect(statuses.length).toBeLessThan(FOLLOWUPS_PER_CASE);
    expect(refusal.body).toEqual(limitReached);
    // Objects 1 and 2 came with the case; the rest are the follow-ups and their copies.
    const stored = intake.storage.cases.objects(large.keys.caseId, ['followup', 'reporter-copy']).filter(({ seq }) => seq > 2);
    const bytes = stored.reduce((sum, { ciphertext }) => sum + ciphertext.length, 0);
    expect(bytes).toBeLessThanOrEqual(FOLLOWUP_BYTES_PER_CASE);
    expect(bytes + 2 * stored[0]!.ciphertext.length).toBeGreaterThan(FOLLOWUP_BYTES_PER_CASE);
  });

  it('when the full case with many replies is read, then every status page is 8192 bytes, each message comes by itself, and all of it is answered', async () => {
    for (let i = 1; i <= REPLIES; i++) {
      const text = `Reply ${i}. ${'More detail. '.repeat(i * 20)}`;
      intake.storage.cases.addObject(huge.keys.caseId, 'reply', sealReply(huge.keys.replyPublicKey, utf8Encode(text)), '2026-12-01' as Day);
    }
    const listed = intake.storage.cases.objects(huge.keys.caseId, ['reply', 'reporter-copy']);
    expect(listed).toHaveLength(1 + FOLLOWUPS_PER_CASE + REPLIES);

    const pages: SignedResponse[] = [];
    let after = 0;
    for (let page = 0; page < 10; page++) {
      const answer = expectStatus(await huge.send('GET', `/api/v1/case?after=${after}`), 200);
      pages.push(answer);
      if (answer.body.nextAfter === null) break;
      after = answer.body.nextAfter as number;
    }
    expect(pages).toHaveLength(Math.ceil(listed.length / STATUS_PAGE_OBJECTS));
    expect(pages.map(({ headers }) => Number(headers['content-length']))).toEqual(pages.map(() => STATUS_ANSWER_BYTES));
    const entries = pages.flatMap(({ body }) => body.objects as { seq: number; size: number }[]);
    expect(entries.map(({ seq, size }) => [seq, size])).toEqual(listed.map(({ seq, ciphertext }) => [seq, ciphertext.length]));

    for (const { seq, size } of entries) {
      const answer = expectStatus(await huge.send('GET', `/api/v1/case/objects/${seq}`), 200);
      expect(Number(answer.headers['content-length'])).toBe(size);
    }
    await genuineReporterGetsThrough(intake);
    expectNoServerErrors(intake);
  });
});
