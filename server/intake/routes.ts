/** The intake's HTTP routes: thin adapters from requests to IntakeService, documented in docs/api.md. */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { utf8Decode, type SignedDirectory } from '../../crypto/index';
import type { CandorConfig } from '../../config/schema';
import { AppError } from '../errors';
import { sendFixedSizeJson } from '../http/fixed-size-json';
import { concurrencyLimit, limiter } from '../http/rate-limit';
import { parseInput } from '../http/validate';
import {
  CASE_ID_HEADER,
  challengeRequestSchema,
  completeUploadSchema,
  createCaseSchema,
  followupSchema,
  offsetSchema,
  PROOF_OF_WORK_HEADER,
  proofOfWorkHeadersSchema,
  startUploadSchema,
  STATUS_ANSWER_BYTES,
  statusQuerySchema,
  type BodiesAnswer,
  type BodyAnswer,
  type CaseChallengeAnswer,
  type CaseCreatedAnswer,
  type FollowupAnswer,
  type ProofOfWorkAnswer,
  type StatusPageContent,
  type UploadCompleteAnswer,
  type UploadPieceAnswer,
  type UploadProgressAnswer,
} from '../../protocol/intake-api';
import { statisticsQuerySchema, type StatisticsDocument } from '../../protocol/statistics';
import { blobIdSchema, bodyIdSchema, objectSeqSchema } from '../../protocol/wire';
import type { PublishedStatistics } from '../statistics/published-statistics';
import { renderStatisticsCsv, statisticsCsvFileName } from '../statistics/statistics-csv';
import { acceptsReports } from '../storage/bodies-repository';
import type { Storage } from '../storage/index';
import type { IntakeService } from './intake-service';
import type { AdmittedWork } from './proof-of-work-gate';
import { bodyMatchesSignature, reporterAuth, type CaseChallenges, type ReporterLocals } from './reporter-auth';

const REPORTER_REQUESTS_AT_ONCE = 4;

interface CreationLocals {
  work: { readonly caseId: string; readonly admitted: AdmittedWork };
}

/** `{"caseId": "<64 hex>"}` with room for white space. */
const CHALLENGE_REQUEST_BYTES = 256;

function jsonOf(req: Request): unknown {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  try {
    return JSON.parse(utf8Decode(new Uint8Array(raw)));
  } catch {
    throw new AppError('bad-request', 'The request body is not valid JSON.');
  }
}

function sendCsv(res: Response, document: StatisticsDocument): void {
  res.type('text/csv; charset=utf-8').attachment(statisticsCsvFileName(document)).send(renderStatisticsCsv(document));
}

/** An upload piece's length, from its header: pieces are streamed, so the length must be known before. */
function pieceLength(req: Request, limit: number): number {
  const header = req.get('content-length');
  if (header === undefined || !/^(0|[1-9][0-9]{0,15})$/.test(header)) throw new AppError('bad-request', 'An upload piece needs a Content-Length header.');
  const length = Number(header);
  if (length > limit) throw new AppError('payload-too-large', 'This piece is larger than the intake accepts in one request.');
  return length;
}

export interface IntakeRouteDeps {
  readonly config: CandorConfig;
  readonly storage: Storage;
  readonly service: IntakeService;
  readonly caseChallenges: CaseChallenges;
  readonly statistics: PublishedStatistics;
}

export function intakeApiRouter({ config, storage, service, caseChallenges, statistics }: IntakeRouteDeps): Router {
  const router = Router();
  // Browsers never compress request bodies: refusing Content-Encoding also rules out decompression bombs.
  // A case id and no more: anonymous, so it may not make the server hold more than that.
  const tinyJsonBody = express.json({ limit: CHALLENGE_REQUEST_BYTES, type: 'application/json', strict: true, inflate: false });
  // Buffers until the body has all arrived; JSON.parse then. Reporter routes also need the exact
  // bytes to check them against the signed digest.
  const rawJsonBody = express.raw({ limit: config.limits.requestBodyBytes, type: 'application/json', inflate: false });
  const signedJsonBody = [express.raw({ limit: config.limits.requestBodyBytes, type: () => true, inflate: false }), bodyMatchesSignature];
  const authenticate = reporterAuth(service, caseChallenges);
  // Counted only once a request is authenticated: nobody without the token can use up a case's allowance.
  const perCase = limiter(60_000, config.rateLimits.reporterRequestsPerMinute, (_req, res) => `case:${caseOf(res).id}`);
  // A browser sends one request of a case at a time; a few at once is the most a token buys, so one
  // token cannot make the server hold many bodies at the same time.
  const atOnceForCase = concurrencyLimit(REPORTER_REQUESTS_AT_ONCE, (_req, res) => caseOf(res).id);
  const reporter = [authenticate, perCase, atOnceForCase];
  // Built once: a zod schema costs more to build than to run (issue 16).
  const caseRequestSchema = createCaseSchema(config.limits.requestBodyBytes);
  const followupRequestSchema = followupSchema(config.limits.requestBodyBytes);

  router.get('/bodies', (_req, res) => {
    res.json({ bodies: storage.bodies.list().filter(acceptsReports).map(({ id, name }) => ({ id, name })) } satisfies BodiesAnswer);
  });

  router.get('/bodies/:bodyId', (req, res) => {
    const bodyId = parseInput(bodyIdSchema, req.params.bodyId, 'body id');
    const body = storage.bodies.find(bodyId);
    if (body === undefined || !acceptsReports(body)) throw new AppError('not-found', 'There is no such body, or it does not take reports yet.');
    // Checked when it was stored (import-directory). The questionnaire comes only signed, inside it.
    const answer: BodyAnswer = { id: body.id, name: body.name, signedDirectory: JSON.parse(body.signedDirectory) as SignedDirectory };
    res.json(answer);
  });

  const bodyStatistics = (req: Request) => {
    const bodyId = parseInput(bodyIdSchema, req.params.bodyId, 'body id');
    const { period } = parseInput(statisticsQuerySchema, req.query, 'query');
    const document = statistics.ofBody(bodyId, period);
    if (document === undefined) throw new AppError('not-found', 'This body does not publish statistics.');
    return document;
  };

  router.get('/statistics', (req, res) => {
    res.json(statistics.all(parseInput(statisticsQuerySchema, req.query, 'query').period) satisfies StatisticsDocument);
  });

  router.get('/statistics.csv', (req, res) => {
    sendCsv(res, statistics.all(parseInput(statisticsQuerySchema, req.query, 'query').period));
  });

  router.get('/bodies/:bodyId/statistics', (req, res) => {
    res.json(bodyStatistics(req));
  });

  router.get('/bodies/:bodyId/statistics.csv', (req, res) => {
    sendCsv(res, bodyStatistics(req));
  });

  // Stateless and uncapped: issuing costs an HMAC; only a case created with the work counts (issue 13).
  router.post('/proof-of-work', (_req, res) => {
    res.status(201).json(service.issueProofOfWork() satisfies ProofOfWorkAnswer);
  });

  // The work is checked from the headers first: without it, the body is never read (issue 13). It
  // admits one body at a time, and the body is parsed only once it has all arrived (a raw buffer
  // meanwhile, outside the JavaScript heap).
  const admitWork = (req: Request, res: Response, next: NextFunction) => {
    const parsed = proofOfWorkHeadersSchema.safeParse({ proofOfWork: req.get(PROOF_OF_WORK_HEADER), caseId: req.get(CASE_ID_HEADER) });
    if (!parsed.success) throw new AppError('proof-of-work-required', 'A case is created with a proof of work in the Candor-Proof-Of-Work header and its case id in Candor-Case-Id.');
    const { proofOfWork, caseId } = parsed.data;
    const admitted = service.admitProofOfWork(proofOfWork.challenge, proofOfWork.nonce, caseId);
    res.once('close', admitted.release);
    (res.locals as CreationLocals).work = { caseId, admitted };
    next();
  };

  router.post('/cases', admitWork, rawJsonBody, async (req, res) => {
    const request = parseInput(caseRequestSchema, jsonOf(req), 'case');
    const { work } = res.locals as CreationLocals;
    if (request.caseId !== work.caseId) throw new AppError('bad-request', 'The case id of the body is not the one of the Candor-Case-Id header.', { details: ['caseId: differs from the header'] });
    const { created, receivedOn } = await service.createCase(request, work.admitted);
    res.status(created ? 201 : 200).json({ caseId: request.caseId, receivedOn } satisfies CaseCreatedAnswer);
  });

  router.post('/case/challenge', tinyJsonBody, (req, res) => {
    const { caseId } = parseInput(challengeRequestSchema, req.body, 'challenge request');
    res.status(201).json({ challenge: caseChallenges.issue(caseId) } satisfies CaseChallengeAnswer);
  });

  router.get('/case', ...reporter, (req, res) => {
    const { after } = parseInput(statusQuerySchema, req.query, 'query');
    sendFixedSizeJson(res, service.status(caseOf(res), after) satisfies StatusPageContent, STATUS_ANSWER_BYTES);
  });

  router.get('/case/objects/:seq', ...reporter, (req, res) => {
    const seq = parseInput(objectSeqSchema, req.params.seq, 'message number');
    // Read before the type is set: a refusal is JSON, like every other.
    const sealed = service.readObject(caseOf(res), seq);
    res.type('application/octet-stream').send(Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength));
  });

  router.post('/case/followups', ...reporter, ...signedJsonBody, (req, res) => {
    const { message, reporterCopy } = parseInput(followupRequestSchema, jsonOf(req), 'follow-up');
    res.status(201).json({ seq: service.addFollowup(caseOf(res), message, reporterCopy) } satisfies FollowupAnswer);
  });

  router.post('/case/uploads', ...reporter, ...signedJsonBody, async (req, res) => {
    const { uploadId, size } = parseInput(startUploadSchema, jsonOf(req), 'upload');
    res.status(201).json((await service.startUpload(caseOf(res), uploadId, size)) satisfies UploadProgressAnswer);
  });

  router.get('/case/uploads/:uploadId', ...reporter, async (req, res) => {
    const uploadId = parseInput(blobIdSchema, req.params.uploadId, 'upload id');
    res.json((await service.uploadProgress(caseOf(res), uploadId)) satisfies UploadProgressAnswer);
  });

  // The piece is streamed to disk as it arrives, never held whole: the headers were authenticated first.
  router.put('/case/uploads/:uploadId', ...reporter, async (req, res) => {
    const uploadId = parseInput(blobIdSchema, req.params.uploadId, 'upload id');
    const { offset } = parseInput(offsetSchema, req.query, 'offset');
    const length = pieceLength(req, config.limits.uploadChunkBytes);
    const { bodySha256 } = res.locals as ReporterLocals;
    res.json((await service.appendToUpload(caseOf(res), uploadId, { offset, length, sha256: bodySha256, bytes: req })) satisfies UploadPieceAnswer);
  });

  router.post('/case/uploads/:uploadId/complete', ...reporter, ...signedJsonBody, async (req, res) => {
    const uploadId = parseInput(blobIdSchema, req.params.uploadId, 'upload id');
    const { size, ...named } = parseInput(completeUploadSchema, jsonOf(req), 'completion');
    res.status(201).json((await service.completeUpload(caseOf(res), uploadId, named, size)) satisfies UploadCompleteAnswer);
  });

  return router;
}

const caseOf = (res: Response) => (res.locals as ReporterLocals).caseRecord;
