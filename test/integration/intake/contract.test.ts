/**
 * The intake's answers against the contract (protocol/intake-api.ts): every route is driven through
 * the real app, and every answer, success or refusal, is parsed with the schema the browser parses
 * it with. A route the intake serves without an answer schema here fails the first test.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { encryptAttachment, encryptReport, newAttachmentId, sealReply, toBase64Url, utf8Encode } from '../../../crypto/index';
import {
  bodiesAnswerSchema,
  bodyAnswerSchema,
  caseChallengeAnswerSchema,
  caseCreatedAnswerSchema,
  createCaseSchema,
  followupAnswerSchema,
  NEXT_CHALLENGE_HEADER,
  proofOfWorkAnswerSchema,
  STATUS_ANSWER_BYTES,
  statusPageSchema,
  uploadCompleteAnswerSchema,
  uploadPieceAnswerSchema,
  uploadProgressAnswerSchema,
} from '../../../protocol/intake-api';
import { statisticsDocumentSchema } from '../../../protocol/statistics';
import { API_ERROR_STATUSES, errorAnswerSchema, type ApiErrorCode } from '../../../protocol/wire';
import { readAll, streamOf } from '../../helpers/crypto';
import { apiRoutes } from '../../helpers/express-routes';
import { postCase, sha256Hex, startTestIntake, TEST_BODY_ID, TestReporter, type TestIntake } from '../../helpers/intake';

/** What each route answers when it succeeds: a schema for JSON, or the media type of what is not JSON. */
const SUCCESS_ANSWERS: Readonly<Record<string, z.ZodType | 'text/csv' | 'application/octet-stream'>> = {
  'GET /api/v1/bodies': bodiesAnswerSchema,
  'GET /api/v1/bodies/:bodyId': bodyAnswerSchema,
  'GET /api/v1/statistics': statisticsDocumentSchema,
  'GET /api/v1/statistics.csv': 'text/csv',
  'GET /api/v1/bodies/:bodyId/statistics': statisticsDocumentSchema,
  'GET /api/v1/bodies/:bodyId/statistics.csv': 'text/csv',
  'POST /api/v1/proof-of-work': proofOfWorkAnswerSchema,
  'POST /api/v1/cases': caseCreatedAnswerSchema,
  'POST /api/v1/case/challenge': caseChallengeAnswerSchema,
  'GET /api/v1/case': statusPageSchema,
  'GET /api/v1/case/objects/:seq': 'application/octet-stream',
  'POST /api/v1/case/followups': followupAnswerSchema,
  'POST /api/v1/case/uploads': uploadProgressAnswerSchema,
  'GET /api/v1/case/uploads/:uploadId': uploadProgressAnswerSchema,
  'PUT /api/v1/case/uploads/:uploadId': uploadPieceAnswerSchema,
  'POST /api/v1/case/uploads/:uploadId/complete': uploadCompleteAnswerSchema,
};

let intake: TestIntake;
let reporter: TestReporter;

beforeAll(async () => {
  intake = await startTestIntake();
  intake.storage.bodies.setPublishStatistics(TEST_BODY_ID, true);
  reporter = await TestReporter.create(intake);
  await reporter.createCase('The contract test’s report.');
});
afterAll(() => intake.close());

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

/** A successful answer of `route`, parsed with its schema: a mismatch fails with zod's description of it. */
function expectAnswer(route: string, answer: Answer, status: number): unknown {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  const expected = SUCCESS_ANSWERS[route];
  if (expected === undefined) throw new Error(`No answer schema for ${route}`);
  if (typeof expected === 'string') {
    expect(answer.headers['content-type']).toMatch(new RegExp(`^${expected}`));
    return answer.body;
  }
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  return expected.parse(answer.body);
}

/** A refusal, parsed with the one error schema; its code must be the one its status stands for. */
function expectRefusal(answer: Answer, code: ApiErrorCode): z.infer<typeof errorAnswerSchema> {
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  const refusal = errorAnswerSchema.strict().parse(answer.body);
  expect(refusal.error.code).toBe(code);
  expect(answer.status).toBe(API_ERROR_STATUSES[code]);
  expect(refusal.error.details === undefined || refusal.error.details.length > 0).toBe(true);
  return refusal;
}

const get = (path: string) => request(intake.app).get(path);

describe('the intake API contract', () => {
  it('when the routes the intake serves are listed, then each has the schema of its answer', () => {
    expect(new Set(apiRoutes(intake.app))).toEqual(new Set(Object.keys(SUCCESS_ANSWERS)));
  });

  it('when the public routes answer, then each answer and each refusal parses with its schema', async () => {
    const bodies = expectAnswer('GET /api/v1/bodies', await get('/api/v1/bodies'), 200) as z.infer<typeof bodiesAnswerSchema>;
    expect(bodies.bodies.map(({ id }) => id)).toContain(TEST_BODY_ID);
    expectAnswer('GET /api/v1/bodies/:bodyId', await get(`/api/v1/bodies/${TEST_BODY_ID}`), 200);
    expectRefusal(await get('/api/v1/bodies/no-such-body'), 'not-found');
    expect(expectRefusal(await get('/api/v1/bodies/Not_A_Slug'), 'bad-request').error.details).toBeDefined();

    expectAnswer('POST /api/v1/proof-of-work', await request(intake.app).post('/api/v1/proof-of-work'), 201);
    expectAnswer('POST /api/v1/case/challenge', await request(intake.app).post('/api/v1/case/challenge').send({ caseId: reporter.keys.caseId }), 201);
    expectRefusal(await request(intake.app).post('/api/v1/case/challenge').send({ caseId: 'short' }), 'bad-request');
  });

  it('when a case is created, then the request is the contract’s and so are the answers to it, repeated and refused', async () => {
    const creator = await TestReporter.create(intake);
    const creation = await creator.caseCreationBody('Created under the contract.');
    const { proofOfWork, ...body } = creation;
    // What the helper sends is what the server's schema takes.
    expect(createCaseSchema(intake.config.limits.requestBodyBytes).safeParse(body).success).toBe(true);
    expectRefusal(await postCase(intake.app, body), 'proof-of-work-required');
    const created = expectAnswer('POST /api/v1/cases', await postCase(intake.app, creation), 201);
    expect(expectAnswer('POST /api/v1/cases', await postCase(intake.app, creation), 200)).toEqual(created);
    expect(expectRefusal(await postCase(intake.app, { ...creation, proofOfWork }, { report: 'not an envelope' }), 'bad-request').error.details).toBeDefined();
  });

  it('when the statistics are asked for, then the JSON parses as the statistics document and the CSV is CSV', async () => {
    expectAnswer('GET /api/v1/statistics', await get('/api/v1/statistics?period=month'), 200);
    expectAnswer('GET /api/v1/statistics.csv', await get('/api/v1/statistics.csv'), 200);
    expectAnswer('GET /api/v1/bodies/:bodyId/statistics', await get(`/api/v1/bodies/${TEST_BODY_ID}/statistics`), 200);
    expectAnswer('GET /api/v1/bodies/:bodyId/statistics.csv', await get(`/api/v1/bodies/${TEST_BODY_ID}/statistics.csv?period=quarter`), 200);
    expectRefusal(await get('/api/v1/statistics?period=week'), 'bad-request');
    expectRefusal(await get('/api/v1/bodies/no-such-body/statistics'), 'not-found');
  });

  it('when the reporter reads the case, then every status page is the padded page of the contract, and each message its bytes', async () => {
    const first = await reporter.send('GET', '/api/v1/case');
    expect(first.headers[NEXT_CHALLENGE_HEADER.toLowerCase()]).toBeDefined();
    expect(Number(first.headers['content-length'])).toBe(STATUS_ANSWER_BYTES);
    const page = statusPageSchema.parse(expectAnswer('GET /api/v1/case', first, 200));
    expectAnswer('GET /api/v1/case', await reporter.send('GET', '/api/v1/case?after=1'), 200);
    expectRefusal(await reporter.send('GET', '/api/v1/case?after=-1'), 'bad-request');

    const [copy] = page.objects;
    const bytes = expectAnswer('GET /api/v1/case/objects/:seq', await reporter.send('GET', `/api/v1/case/objects/${copy!.seq}`), 200);
    expect((bytes as Buffer).length).toBe(copy!.size);
    expectRefusal(await reporter.send('GET', '/api/v1/case/objects/1'), 'not-found');

    const stranger = await TestReporter.create(intake);
    expectRefusal(await stranger.send('GET', '/api/v1/case'), 'unauthorized');
  });

  it('when the reporter sends a follow-up and a file, then each answer and refusal is the contract’s', async () => {
    const recipients = await reporter.recipients();
    const message = await encryptReport('A follow-up.', recipients, { caseId: reporter.keys.caseId, kind: 'followup' });
    const copy = sealReply(reporter.keys.replyPublicKey, utf8Encode('A follow-up.'), 'reporter-copy');
    expectAnswer('POST /api/v1/case/followups', await reporter.send('POST', '/api/v1/case/followups', { message: toBase64Url(message), reporterCopy: toBase64Url(copy) }), 201);
    expect(expectRefusal(await reporter.send('POST', '/api/v1/case/followups', { message: 'nope' }), 'bad-request').error.details).toBeDefined();

    const uploadId = newAttachmentId();
    const stored = await readAll(encryptAttachment(streamOf(new Uint8Array(3000).fill(7)), recipients, { caseId: reporter.keys.caseId, attachmentId: uploadId }));
    const path = `/api/v1/case/uploads/${uploadId}`;
    expectAnswer('POST /api/v1/case/uploads', await reporter.send('POST', '/api/v1/case/uploads', { uploadId, size: stored.length }), 201);
    expectAnswer('GET /api/v1/case/uploads/:uploadId', await reporter.send('GET', path), 200);
    const gap = expectRefusal(await reporter.send('PUT', `${path}?offset=10`, undefined, { raw: stored.subarray(10, 20) }), 'conflict');
    expect(gap.error.details).toEqual(['received: 0']);
    expectAnswer('PUT /api/v1/case/uploads/:uploadId', await reporter.send('PUT', `${path}?offset=0`, undefined, { raw: stored }), 200);
    expectRefusal(await reporter.send('POST', `${path}/complete`, { sha256: sha256Hex(new Uint8Array(1)) }), 'conflict');
    expectAnswer('PUT /api/v1/case/uploads/:uploadId', await reporter.send('PUT', `${path}?offset=0`, undefined, { raw: stored }), 200);
    expectAnswer('POST /api/v1/case/uploads/:uploadId/complete', await reporter.send('POST', `${path}/complete`, { sha256: sha256Hex(stored) }), 201);
    expectRefusal(await reporter.send('GET', `/api/v1/case/uploads/${newAttachmentId()}`), 'not-found');
    expectRefusal(await reporter.send('POST', '/api/v1/case/uploads', { uploadId: newAttachmentId(), size: intake.config.limits.attachmentBytes + 1 }), 'payload-too-large');
  });
});
