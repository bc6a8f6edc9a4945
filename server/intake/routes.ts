/** The intake's HTTP routes: thin adapters from requests to IntakeService, documented in docs/api.md. */
import express, { Router, type Request, type Response } from 'express';
import { toBase64Url, utf8Decode } from '../../crypto/index';
import type { CandorConfig } from '../../config/schema';
import { AppError } from '../errors';
import { sendPaddedJson } from '../http/padded-json';
import { limiter } from '../http/rate-limit';
import { parseInput } from '../http/validate';
import { statisticsQuerySchema, type PublishedStatistics } from '../statistics/published-statistics';
import { renderStatisticsCsv, statisticsCsvFileName } from '../statistics/statistics-csv';
import type { StatisticsDocument } from '../statistics/statistics-format';
import { acceptsReports } from '../storage/bodies-repository';
import type { Storage } from '../storage/index';
import type { ChallengeStore } from './challenge-store';
import type { IntakeService, SealedItem } from './intake-service';
import { reporterAuth, type ReporterLocals } from './reporter-auth';
import {
  bodyIdSchema,
  challengeRequestSchema,
  completeUploadSchema,
  createCaseSchema,
  followupSchema,
  offsetSchema,
  blobIdSchema,
  startUploadSchema,
} from './schemas';

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

const sealedJson = (items: readonly SealedItem[]) => items.map((item) => ({ seq: item.seq, createdOn: item.createdOn, sealed: toBase64Url(item.sealed) }));

export interface IntakeRouteDeps {
  readonly config: CandorConfig;
  readonly storage: Storage;
  readonly service: IntakeService;
  readonly caseChallenges: ChallengeStore;
  readonly statistics: PublishedStatistics;
}

export function intakeApiRouter({ config, storage, service, caseChallenges, statistics }: IntakeRouteDeps): Router {
  const router = Router();
  // Browsers never compress request bodies: refusing Content-Encoding also rules out decompression bombs.
  const jsonBody = express.json({ limit: config.limits.requestBodyBytes, type: 'application/json', strict: true, inflate: false });
  // Reporter routes need the exact bytes to check the signature, so they parse JSON themselves.
  const rawBody = (limit: number) => express.raw({ limit, type: () => true, inflate: false });
  const caseKey = (req: Request) => `case:${req.get('candor-case-id') ?? 'none'}`;
  const perCase = limiter(60_000, config.rateLimits.reporterRequestsPerMinute, caseKey);
  const creations = limiter(3_600_000, config.rateLimits.caseCreationsPerHour, () => 'case-creation');
  const challengesPerMinute = limiter(60_000, config.rateLimits.reporterRequestsPerMinute * 20, () => 'challenges');
  const authenticate = reporterAuth(service, caseChallenges);

  router.get('/bodies', (_req, res) => {
    res.json({ bodies: storage.bodies.list().filter(acceptsReports).map(({ id, name }) => ({ id, name })) });
  });

  router.get('/bodies/:bodyId', (req, res) => {
    const bodyId = parseInput(bodyIdSchema, req.params.bodyId, 'body id');
    const body = storage.bodies.find(bodyId);
    if (body === undefined || !acceptsReports(body)) throw new AppError('not-found', 'There is no such body, or it does not take reports yet.');
    res.json({ id: body.id, name: body.name, signedDirectory: JSON.parse(body.signedDirectory), questionnaire: JSON.parse(body.questionnaire) });
  });

  const bodyStatistics = (req: Request) => {
    const bodyId = parseInput(bodyIdSchema, req.params.bodyId, 'body id');
    const { period } = parseInput(statisticsQuerySchema, req.query, 'query');
    const document = statistics.ofBody(bodyId, period);
    if (document === undefined) throw new AppError('not-found', 'This body does not publish statistics.');
    return document;
  };

  router.get('/statistics', (req, res) => {
    res.json(statistics.all(parseInput(statisticsQuerySchema, req.query, 'query').period));
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

  router.post('/proof-of-work', creations, (_req, res) => {
    res.status(201).json(service.issueProofOfWork());
  });

  router.post('/cases', jsonBody, (req, res) => {
    const request = parseInput(createCaseSchema(config.limits.requestBodyBytes), req.body, 'case');
    const { created, receivedOn } = service.createCase(request);
    res.status(created ? 201 : 200).json({ caseId: request.caseId, receivedOn });
  });

  router.post('/case/challenge', challengesPerMinute, jsonBody, (req, res) => {
    const { caseId } = parseInput(challengeRequestSchema, req.body, 'challenge request');
    res.status(201).json({ challenge: caseChallenges.issue(caseId) });
  });

  const caseOf = (res: Response) => (res.locals as ReporterLocals).caseRecord;
  const small = rawBody(config.limits.requestBodyBytes);

  router.get('/case', perCase, small, authenticate, (_req, res) => {
    const view = service.status(caseOf(res));
    sendPaddedJson(res, { ...view, replies: sealedJson(view.replies), reporterCopies: sealedJson(view.reporterCopies) });
  });

  router.post('/case/followups', perCase, small, authenticate, (req, res) => {
    const { message, reporterCopy } = parseInput(followupSchema(config.limits.requestBodyBytes), jsonOf(req), 'follow-up');
    res.status(201).json({ seq: service.addFollowup(caseOf(res), message, reporterCopy) });
  });

  router.post('/case/uploads', perCase, small, authenticate, async (req, res) => {
    const { uploadId, size } = parseInput(startUploadSchema, jsonOf(req), 'upload');
    res.status(201).json(await service.startUpload(caseOf(res), uploadId, size));
  });

  router.get('/case/uploads/:uploadId', perCase, small, authenticate, async (req, res) => {
    const uploadId = parseInput(blobIdSchema, req.params.uploadId, 'upload id');
    res.json(await service.uploadProgress(caseOf(res), uploadId));
  });

  router.put('/case/uploads/:uploadId', perCase, rawBody(config.limits.uploadChunkBytes), authenticate, async (req, res) => {
    const uploadId = parseInput(blobIdSchema, req.params.uploadId, 'upload id');
    const { offset } = parseInput(offsetSchema, req.query, 'offset');
    const bytes: Uint8Array = Buffer.isBuffer(req.body) ? req.body : new Uint8Array(0);
    res.json(await service.appendToUpload(caseOf(res), uploadId, offset, bytes));
  });

  router.post('/case/uploads/:uploadId/complete', perCase, small, authenticate, async (req, res) => {
    const uploadId = parseInput(blobIdSchema, req.params.uploadId, 'upload id');
    const { sha256, size } = parseInput(completeUploadSchema, jsonOf(req), 'completion');
    res.status(201).json(await service.completeUpload(caseOf(res), uploadId, sha256, size));
  });

  return router;
}
