/**
 * Attack drill, issue 13 §4, the holes that need no flood: completing one upload several times at
 * once, asking case creation whether a case id exists, and reading from the status answer's length
 * whether replies arrived.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptAttachment, newAttachmentId, sealReply, solveProofOfWork, utf8Encode } from '../../../crypto/index';
import type { Day } from '../../../server/clock';
import { STATUS_ANSWER_BYTES } from '../../../protocol/intake-api';
import { patternBytes, readAll, streamOf } from '../../helpers/crypto';
import { expectStatus, sha256Hex, startTestIntake, TestReporter, type TestIntake, postCase } from '../../helpers/intake';
import { expectNoServerErrors, genuineReporterGetsThrough, rowCount } from './drill';

let intake: TestIntake;

beforeAll(async () => {
  intake = await startTestIntake();
});
afterAll(() => intake.close());

describe('completing one upload several times at once', () => {
  it('when four completions of one upload run in parallel, then all answer 201 with the same body and one attachment is stored', async () => {
    const reporter = await TestReporter.create(intake);
    await reporter.createCase('With a file, completed by an impatient client.');
    const attachmentId = newAttachmentId();
    const stored = await readAll(encryptAttachment(streamOf(patternBytes(20_000)), await reporter.recipients(), { caseId: reporter.keys.caseId, attachmentId }));
    expectStatus(await reporter.send('POST', '/api/v1/case/uploads', { uploadId: attachmentId, size: stored.length }), 201);
    expectStatus(await reporter.send('PUT', `/api/v1/case/uploads/${attachmentId}?offset=0`, undefined, { raw: stored }), 200);
    const challenges = await Promise.all([1, 2, 3, 4].map(() => reporter.challenge()));

    const path = `/api/v1/case/uploads/${attachmentId}/complete`;
    const answers = await Promise.all(challenges.map((challenge) => reporter.send('POST', path, { sha256: sha256Hex(stored) }, { challenge })));

    expect(answers.map(({ status }) => status)).toEqual([201, 201, 201, 201]);
    expect(answers.map(({ body }) => body)).toEqual(answers.map(() => ({ id: attachmentId, size: stored.length })));
    expect(intake.storage.db.prepare('SELECT count(*) FROM attachments WHERE id = ?').pluck().get(attachmentId)).toBe(1);
    expect(intake.storage.attachments.findUpload(attachmentId)).toBeUndefined();
    await genuineReporterGetsThrough(intake);
    expectNoServerErrors(intake);
  });
});

describe('case creation as an oracle of which case ids exist', () => {
  let existing: TestReporter;
  beforeAll(async () => {
    existing = await TestReporter.create(intake);
    await existing.createCase('A case whose id the attacker has learnt.');
  });

  /** Creations that differ only in their case id: one that exists, one that does not. */
  async function askBoth(proofOfWork: () => Promise<{ challenge: string; nonce: string }>): Promise<request.Response[]> {
    const template = await (await TestReporter.create(intake)).caseCreationBody('probe');
    const unknown = await TestReporter.create(intake);
    const answers: request.Response[] = [];
    for (const caseId of [existing.keys.caseId, unknown.keys.caseId]) {
      answers.push(await postCase(intake.app, { ...template, caseId, proofOfWork: await proofOfWork() }));
    }
    return answers;
  }

  const freshChallenge = async () => (await request(intake.app).post('/api/v1/proof-of-work').expect(201)).body as { challenge: string; difficultyBits: number };

  it('when the work is wrong or missing, then an existing case id and an unknown one get the very same answer', async () => {
    const wrongNonce = async () => ({ challenge: (await freshChallenge()).challenge, nonce: 'not-the-nonce' });
    const madeUp = async () => ({ challenge: 'A'.repeat(51), nonce: '0' });
    const cases = rowCount(intake, 'cases');
    for (const proofOfWork of [wrongNonce, madeUp]) {
      const [forExisting, forUnknown] = await askBoth(proofOfWork);
      expect([forExisting!.status, forExisting!.text]).toEqual([forUnknown!.status, forUnknown!.text]);
      expect(forExisting!.body.error.code).toBe('proof-of-work-required');
    }
    expect(rowCount(intake, 'cases')).toBe(cases);
  });

  it('when the work was already spent on a case, then an existing case id and an unknown one get the very same answer', async () => {
    // One proof of work, solved once and spent on the attacker's own case, then replayed for every probe.
    const { challenge, difficultyBits } = await freshChallenge();
    const spent = { challenge, nonce: await solveProofOfWork(challenge, difficultyBits) };
    const own = await TestReporter.create(intake);
    await postCase(intake.app, { ...(await own.caseCreationBody('the attacker’s own case')), proofOfWork: spent }).expect(201);
    const [forExisting, forUnknown] = await askBoth(async () => spent);
    expect([forExisting!.status, forExisting!.text]).toEqual([forUnknown!.status, forUnknown!.text]);
  });
});

describe('the length of the status answer', () => {
  it('when a case has 0, 1, 5 or 40 replies of very different sizes, then every status answer is 8192 bytes', async () => {
    const reporter = await TestReporter.create(intake);
    await reporter.createCase('Will they answer?');
    const lengths: Record<number, number[]> = {};
    let replies = 0;
    for (const count of [0, 1, 5, 40]) {
      for (; replies < count; replies++) {
        const text = `Reply ${replies}: ${'x'.repeat(replies * 997)}`;
        intake.storage.cases.addObject(reporter.keys.caseId, 'reply', sealReply(reporter.keys.replyPublicKey, utf8Encode(text)), '2026-12-01' as Day);
      }
      const first = expectStatus(await reporter.send('GET', '/api/v1/case'), 200);
      lengths[count] = [Number(first.headers['content-length'])];
      if (first.body.nextAfter !== null) {
        const next = expectStatus(await reporter.send('GET', `/api/v1/case?after=${String(first.body.nextAfter)}`), 200);
        lengths[count]!.push(Number(next.headers['content-length']));
      }
    }
    expect(lengths).toEqual({ 0: [STATUS_ANSWER_BYTES], 1: [STATUS_ANSWER_BYTES], 5: [STATUS_ANSWER_BYTES], 40: [STATUS_ANSWER_BYTES, STATUS_ANSWER_BYTES] });
    expectNoServerErrors(intake);
  });
});
