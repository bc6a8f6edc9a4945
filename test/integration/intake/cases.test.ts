import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkProofOfWork, decryptReport, openReply, utf8Decode, type CaseId } from '../../../crypto/index';
import type { Day } from '../../../server/clock';
import { verifyBodyDirectory } from '../../../protocol/body-directory';
import { DEFAULT_QUESTIONNAIRE } from '../../../protocol/default-questionnaire';
import { UNSIGNED_DIRECTORY } from '../../../server/storage/bodies-repository';
import { startTestIntake, TestReporter, TEST_BODY_ID, type TestIntake, postCase } from '../../helpers/intake';

let intake: TestIntake;

beforeAll(async () => {
  intake = await startTestIntake();
});
afterAll(() => intake.close());

describe('bodies', () => {
  it('when the bodies are listed, then each has an id and a name only', async () => {
    const response = await request(intake.app).get('/api/v1/bodies').expect(200);
    expect(response.body).toEqual({ bodies: [{ id: TEST_BODY_ID, name: 'Test Anti-Corruption Body' }] });
  });

  it('when a body is fetched, then its signed directory comes with it and the questionnaire only inside it, signed', async () => {
    const response = await request(intake.app).get(`/api/v1/bodies/${TEST_BODY_ID}`).expect(200);
    expect(Object.keys(response.body).sort()).toEqual(['id', 'name', 'signedDirectory']);
    const directory = await verifyBodyDirectory(response.body.signedDirectory, { pins: intake.pins, bodyId: TEST_BODY_ID });
    expect(directory.questionnaire).toEqual(DEFAULT_QUESTIONNAIRE);
  });

  it('when the body is unknown or its id malformed, then 404 and 400 come with a code', async () => {
    expect((await request(intake.app).get('/api/v1/bodies/no-such-body').expect(404)).body.error.code).toBe('not-found');
    expect((await request(intake.app).get('/api/v1/bodies/NOT_A_SLUG').expect(400)).body.error.code).toBe('bad-request');
  });

  it('when a body’s directory is not signed yet, then reporters are not offered it and cannot send it a case', async () => {
    const unsigned = { id: 'new-unsigned-body', name: 'A New Body', signedDirectory: UNSIGNED_DIRECTORY, questionnaire: JSON.stringify(DEFAULT_QUESTIONNAIRE), updatedOn: '2026-11-22' as Day };
    intake.storage.bodies.save(unsigned);
    const listed = (await request(intake.app).get('/api/v1/bodies').expect(200)).body.bodies as { id: string }[];
    expect(listed.map((body) => body.id)).toEqual([TEST_BODY_ID]);
    await request(intake.app).get(`/api/v1/bodies/${unsigned.id}`).expect(404);
    const reporter = await TestReporter.create(intake);
    const creation = { ...(await reporter.caseCreationBody('for nobody yet')), bodyId: unsigned.id };
    expect((await postCase(intake.app, creation).expect(404)).body.error.code).toBe('not-found');
    expect(intake.storage.cases.find(reporter.keys.caseId)).toBeUndefined();
  });
});

describe('creating a case', () => {
  it('when a reporter submits an encrypted report, then the case exists with exactly that ciphertext', async () => {
    const reporter = await TestReporter.create(intake);
    const body = await reporter.caseCreationBody('The mayor’s cousin won the bridge contract.');
    const response = await postCase(intake.app, body).expect(201);
    expect(response.body).toEqual({ caseId: reporter.keys.caseId, receivedOn: new Date().toISOString().slice(0, 10) });
    const [report] = intake.storage.cases.objects(reporter.keys.caseId, ['report']);
    const plaintext = await decryptReport(report!.ciphertext, intake.investigator.key, { caseId: reporter.keys.caseId as CaseId });
    expect(utf8Decode(plaintext)).toBe('The mayor’s cousin won the bridge contract.');
  });

  it('when the same creation is retried (a dropped connection), then it answers 200 and makes no second case', async () => {
    const reporter = await TestReporter.create(intake);
    const body = await reporter.caseCreationBody('retry me');
    await postCase(intake.app, body).expect(201);
    for (let retry = 0; retry < 3; retry++) await postCase(intake.app, body).expect(200);
    expect(intake.storage.cases.objects(reporter.keys.caseId, ['report'])).toHaveLength(1);
    // Spent work admits a few retries of its own creation, not an endless stream of bodies to read.
    expect((await postCase(intake.app, body).expect(400)).body.error.code).toBe('proof-of-work-required');
  });

  it('when another creation claims an existing case id, then it is refused with 409', async () => {
    const reporter = await TestReporter.create(intake);
    await reporter.createCase('first');
    const second = await reporter.caseCreationBody('second, different ciphertext');
    expect((await postCase(intake.app, second).expect(409)).body.error.code).toBe('conflict');
  });

  it('when the proof of work is missing, wrong, reused or for another purpose, then creation is refused', async () => {
    const reporter = await TestReporter.create(intake);
    const body = await reporter.caseCreationBody('pow');
    const refused = async (proofOfWork: unknown, creation: Record<string, unknown> = body) =>
      (await postCase(intake.app, { ...creation, proofOfWork }).expect(400)).body.error.code;
    const { challenge } = body.proofOfWork as { challenge: string };
    // Difficulty is low in tests, so pick a nonce that certainly fails rather than hoping.
    const wrongNonce = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].find((nonce) => !checkProofOfWork(challenge, nonce, intake.config.proofOfWork.difficultyBits))!;
    expect(await refused({ challenge, nonce: wrongNonce })).toBe('proof-of-work-required');
    // A wrong guess spends nothing (challenges are not stored): the right nonce still buys the case, once.
    await postCase(intake.app, body).expect(201);
    const other = await TestReporter.create(intake);
    expect(await refused(body.proofOfWork, await other.caseCreationBody('same work again'))).toBe('proof-of-work-required');
    expect(await refused({ challenge: await reporter.challenge(), nonce: '0' })).toBe('proof-of-work-required');
    // A challenge this server did not sign (a made-up one of the right length) is refused too.
    expect(await refused({ challenge: challenge.replace(/^./, (first) => (first === 'A' ? 'B' : 'A')), nonce: '0' })).toBe('proof-of-work-required');
    const withoutProof: Record<string, unknown> = { ...body };
    delete withoutProof.proofOfWork;
    expect((await postCase(intake.app, withoutProof).expect(400)).body.error.code).toBe('proof-of-work-required');
  });

  it('when the body does not exist, then creation answers 404 and stores nothing', async () => {
    const reporter = await TestReporter.create(intake);
    const body = { ...(await reporter.caseCreationBody('lost')), bodyId: 'no-such-body' };
    await postCase(intake.app, body).expect(404);
    expect(intake.storage.cases.find(reporter.keys.caseId)).toBeUndefined();
  });

  it.each([
    ['a short case id', { caseId: 'abc' }],
    ['an upper-case case id', { caseId: 'A'.repeat(64) }],
    ['a 31-byte key', { authPublicKey: 'A'.repeat(41) }],
    ['a report that is no envelope', { report: 'aGVsbG8gd29ybGQ' }],
    ['a reply posing as the report', { report: 'Q05EUgEGAgAAAA' }],
    ['an unknown field', { extra: 1 }],
    ['a number for a string', { bodyId: 7 }],
  ])('when the request has %s, then it is refused with 400 and details, and nothing is stored', async (_what, change) => {
    const reporter = await TestReporter.create(intake);
    // Valid work in the headers, so that it is the body that is judged.
    const response = await postCase(intake.app, await reporter.caseCreationBody('bad'), change).expect(400);
    expect(response.body.error.code).toBe('bad-request');
    expect(response.body.error.details.length).toBeGreaterThan(0);
    expect(intake.storage.cases.find(reporter.keys.caseId)).toBeUndefined();
  });

  it('when the request has no valid work in its headers, then it is refused before its body is read, whatever the body', async () => {
    const post = () => request(intake.app).post('/api/v1/cases');
    const huge = JSON.stringify({ report: 'A'.repeat(intake.config.limits.requestBodyBytes + 10) });
    for (const pending of [post().set('Content-Type', 'application/json').send('{"bodyId":'), post().set('Content-Type', 'application/json').send(huge), post().set('Content-Type', 'text/plain').send('hello')]) {
      expect((await pending.expect(400)).body.error.code).toBe('proof-of-work-required');
    }
    const reporter = await TestReporter.create(intake);
    const { proofOfWork } = (await reporter.caseCreationBody('malformed')) as { proofOfWork: { challenge: string; nonce: string } };
    const header = `${proofOfWork.challenge}.${proofOfWork.nonce}`;
    for (const bad of ['', 'no-dot', `${proofOfWork.challenge}.`, `.${proofOfWork.nonce}`, `${header}.x`, `${proofOfWork.challenge}.${'z'.repeat(8)}`]) {
      const refused = await post().set('Candor-Case-Id', reporter.keys.caseId).set('Candor-Proof-Of-Work', bad).send({}).expect(400);
      expect(refused.body.error.code, bad).toBe('proof-of-work-required');
    }
    // Without the case id, the same work is refused too: it is admitted for one case.
    expect((await post().set('Candor-Proof-Of-Work', header).send({}).expect(400)).body.error.code).toBe('proof-of-work-required');
  });

  it('when the work is valid and the body is not JSON, too large, of another type or names another case, then it is refused with a clear error', async () => {
    const reporter = await TestReporter.create(intake);
    const creation = await reporter.caseCreationBody('malformed');
    const { proofOfWork } = creation as { proofOfWork: { challenge: string; nonce: string } };
    const post = () => request(intake.app).post('/api/v1/cases').set('Candor-Case-Id', reporter.keys.caseId).set('Candor-Proof-Of-Work', `${proofOfWork.challenge}.${proofOfWork.nonce}`);
    expect((await post().set('Content-Type', 'application/json').send('{"bodyId":').expect(400)).body.error.code).toBe('bad-request');
    const huge = JSON.stringify({ report: 'A'.repeat(intake.config.limits.requestBodyBytes + 10) });
    expect((await post().set('Content-Type', 'application/json').send(huge).expect(413)).body.error.code).toBe('payload-too-large');
    expect((await post().set('Content-Type', 'text/plain').send('hello').expect(400)).body.error.code).toBe('bad-request');
    const other = await TestReporter.create(intake);
    const misnamed = await postCase(intake.app, creation, { caseId: other.keys.caseId }).expect(400);
    expect(misnamed.body.error.details).toEqual(['caseId: differs from the header']);
    // The work was bound to its case at its first presentation and admitted three times more: no
    // more bodies for this work. Fresh work creates the case.
    expect((await postCase(intake.app, creation).expect(400)).body.error.code).toBe('proof-of-work-required');
    await postCase(intake.app, await reporter.caseCreationBody('malformed')).expect(201);
  });
});

describe('the reporter’s own copy', () => {
  it('when the reporter reads the case, then the copy opens with the token’s keys only', async () => {
    const reporter = await TestReporter.create(intake);
    await reporter.createCase('my own words');
    const { objects } = await reporter.readCase();
    expect(objects.map(({ kind }) => kind)).toEqual(['reporter-copy']);
    expect(utf8Decode(openReply(reporter.keys, objects[0]!.sealed, 'reporter-copy'))).toBe('my own words');
  });
});
