/**
 * A real intake app on a temporary data directory, with one body whose directory is signed, and a
 * reporter client that speaks the protocol through the crypto core exactly as the browser will.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import {
  createBlockSha256,
  deriveCaseKeys,
  encryptAttachment,
  encryptReport,
  generateCaseToken,
  generateDirectoryKeyPair,
  newAttachmentId,
  sealReply,
  signCaseRequest,
  signDirectory,
  solveProofOfWork,
  toBase64Url,
  utf8Encode,
  type CaseIdVersion,
  type CaseKeys,
  type CaseToken,
  type DirectoryDocumentV2,
  type DirectoryKeyPair,
  type RecipientKey,
} from '../../crypto/index';
import { resolveConfig, type CandorConfig } from '../../config/schema';
import {
  bodyAnswerSchema,
  caseChallengeAnswerSchema,
  CASE_ID_HEADER,
  CHALLENGE_HEADER,
  CONTENT_SHA256_HEADER,
  NEXT_CHALLENGE_HEADER,
  PROOF_OF_WORK_HEADER,
  proofOfWorkAnswerSchema,
  proofOfWorkHeaderValue,
  SIGNATURE_HEADER,
  statusPageSchema,
  type CompleteUploadRequest,
  type CreateCaseRequest,
  type ProofOfWork,
  type StartUploadRequest,
  type StatusObject,
  type StatusPage,
} from '../../protocol/intake-api';
import type { Clock } from '../../server/clock';
import { createIntakeApp } from '../../server/intake/create-intake-app';
import { RequestCounter } from '../../server/http/request-log';
import { createJsonLogger } from '../../server/logger';
import { verifyBodyDirectory } from '../../protocol/body-directory';
import { DEFAULT_QUESTIONNAIRE } from '../../protocol/default-questionnaire';
import type { DirectoryPins } from '../../protocol/directory-pins';
import { openStorage, type Storage } from '../../server/storage/index';
import type { BlobIo, UploadPiece } from '../../server/storage/blob-store';
import { makeInvestigator, readAll, streamOf, type TestInvestigator } from './crypto';

export const TEST_BODY_ID = 'test-anti-corruption-body';
export const TEST_BODY_NAME = 'Test Anti-Corruption Body';
/** The role the test directories give every investigator, as the admin's request does by default. */
export const TEST_ROLE = 'Investigator';

/**
 * The test body's directory (version 2) listing `investigators` as the admin signs it: role
 * "Investigator", serial 1 and the default questionnaire unless the test asks otherwise.
 */
export function testDirectoryDocument(
  investigators: readonly TestInvestigator[],
  options: { readonly serial?: number; readonly issuedOn?: string; readonly expiresOn?: string } = {},
): DirectoryDocumentV2 {
  return {
    format: 'candor-directory',
    version: 2,
    body: { id: TEST_BODY_ID, name: TEST_BODY_NAME },
    serial: options.serial ?? 1,
    issuedOn: options.issuedOn ?? new Date().toISOString().slice(0, 10),
    expiresOn: options.expiresOn ?? '2099-12-31',
    recipients: investigators.map(({ generated }, index) => ({ label: `Investigator ${index + 1}`, role: TEST_ROLE, fingerprint: generated.fingerprint, publicKey: generated.armoredPublicKey })),
    intake: { questionnaire: DEFAULT_QUESTIONNAIRE },
  };
}

export interface TestIntake {
  readonly app: Express;
  readonly storage: Storage;
  readonly config: CandorConfig;
  readonly dataDir: string;
  readonly logLines: string[];
  /** Request counts reach logLines when flushed. */
  readonly requestCounter: RequestCounter;
  readonly investigator: TestInvestigator;
  readonly directoryKey: DirectoryKeyPair;
  /** The clients' pins: the directory key, for the test body alone. */
  readonly pins: DirectoryPins;
  close(): void;
}

export interface TestIntakeOptions {
  readonly env?: Record<string, string>;
  readonly clock?: Clock;
  readonly maxPageCount?: number;
  readonly blobIo?: BlobIo;
  readonly investigator?: TestInvestigator;
  /** The serial of the test body's first directory (1 unless a test asks). */
  readonly directorySerial?: number;
}

export async function startTestIntake(options: TestIntakeOptions = {}): Promise<TestIntake> {
  const dataDir = mkdtempSync(join(tmpdir(), 'candor-intake-'));
  // Easy proof of work and generous limits unless a test asks otherwise.
  const config = resolveConfig({}, { CANDOR_DATA_DIR: dataDir, CANDOR_POW_DIFFICULTY_BITS: '4', CANDOR_POW_QUIET_CREATIONS_PER_HOUR: '100000', CANDOR_RATE_REPORTER_REQUESTS_PER_MINUTE: '100000', ...options.env });
  const storage = await openStorage(dataDir, {
    ...(options.maxPageCount === undefined ? {} : { maxPageCount: options.maxPageCount }),
    ...(options.blobIo === undefined ? {} : { blobIo: options.blobIo }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  const investigator = options.investigator ?? (await makeInvestigator('Intake Test Investigator'));
  const directoryKey = generateDirectoryKeyPair();
  const today = new Date().toISOString().slice(0, 10);
  const signed = signDirectory(testDirectoryDocument([investigator], { issuedOn: today, ...(options.directorySerial === undefined ? {} : { serial: options.directorySerial }) }), directoryKey.secretKey);
  storage.bodies.save({
    id: TEST_BODY_ID,
    name: TEST_BODY_NAME,
    signedDirectory: JSON.stringify(signed),
    questionnaire: JSON.stringify(DEFAULT_QUESTIONNAIRE),
    updatedOn: today as never,
  });
  const logLines: string[] = [];
  const logger = createJsonLogger((line) => logLines.push(line));
  const requestCounter = new RequestCounter(logger);
  const app = createIntakeApp(config, { storage, logger, requestCounter, ...(options.clock ? { clock: options.clock } : {}) });
  return {
    app,
    storage,
    config,
    dataDir,
    logLines,
    requestCounter,
    investigator,
    directoryKey,
    pins: { [TEST_BODY_ID]: { keys: [directoryKey.publicKey], minimumSerial: 0 } },
    close() {
      storage.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface SignedResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;
}

/** A reporter as the intake's browser code behaves: keys from the token, every request signed. */
export class TestReporter {
  private nextChallenge: string | undefined;

  private constructor(
    readonly intake: TestIntake,
    readonly token: CaseToken,
    readonly keys: CaseKeys,
  ) {}

  /** A reporter of a new case; `caseIdVersion` 1 makes a case as created before protocol version 2. */
  static async create(intake: TestIntake, token: CaseToken = generateCaseToken(), caseIdVersion: CaseIdVersion = 2): Promise<TestReporter> {
    return new TestReporter(intake, token, await deriveCaseKeys(token, caseIdVersion));
  }

  /** Fetches and verifies the body's directory against the body's pins, as the browser must. */
  async recipients(): Promise<readonly RecipientKey[]> {
    const response = await request(this.intake.app).get(`/api/v1/bodies/${TEST_BODY_ID}`).expect(200);
    const verified = await verifyBodyDirectory(bodyAnswerSchema.parse(response.body).signedDirectory, { pins: this.intake.pins, bodyId: TEST_BODY_ID });
    return verified.recipients;
  }

  async caseCreationBody(reportText: string): Promise<CaseCreation> {
    const recipients = await this.recipients();
    const report = await encryptReport(reportText, recipients, { caseId: this.keys.caseId });
    const reporterCopy = sealReply(this.keys.replyPublicKey, utf8Encode(reportText), 'reporter-copy');
    const pow = proofOfWorkAnswerSchema.parse((await request(this.intake.app).post('/api/v1/proof-of-work').expect(201)).body);
    const nonce = await solveProofOfWork(pow.challenge, pow.difficultyBits);
    return {
      bodyId: TEST_BODY_ID,
      caseId: this.keys.caseId,
      authPublicKey: toBase64Url(this.keys.authPublicKey),
      replyPublicKey: toBase64Url(this.keys.replyPublicKey),
      report: toBase64Url(report),
      reporterCopy: toBase64Url(reporterCopy),
      proofOfWork: { challenge: pow.challenge, nonce },
    };
  }

  async createCase(reportText = 'A report for the tests.'): Promise<void> {
    await postCase(this.intake.app, await this.caseCreationBody(reportText)).expect(201);
  }

  async challenge(): Promise<string> {
    const response = await request(this.intake.app).post('/api/v1/case/challenge').send({ caseId: this.keys.caseId }).expect(201);
    return caseChallengeAnswerSchema.parse(response.body).challenge;
  }

  /** Sends a signed request; uses the chained challenge from the last answer when there is one. */
  async send(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, options: { raw?: Uint8Array; challenge?: string } = {}): Promise<SignedResponse> {
    const bytes = options.raw ?? (body === undefined ? new Uint8Array(0) : utf8Encode(JSON.stringify(body)));
    const challenge = options.challenge ?? this.nextChallenge ?? (await this.challenge());
    this.nextChallenge = undefined;
    const signature = await signCaseRequest(this.keys, { challenge, method, path, body: bytes });
    let pending = request(this.intake.app)[method === 'GET' ? 'get' : method === 'POST' ? 'post' : 'put'](path)
      .set(CASE_ID_HEADER, this.keys.caseId)
      .set(CHALLENGE_HEADER, challenge)
      .set(SIGNATURE_HEADER, signature);
    if (bytes.length > 0) pending = pending.set(CONTENT_SHA256_HEADER, sha256Hex(bytes));
    // Sealed messages come as bytes; kept as a Buffer in `body`.
    pending = pending.buffer(true).parse(bytesOrJson);
    // superagent would re-encode a Buffer sent as JSON, so JSON goes as the exact string that was signed.
    if (options.raw) pending = pending.set('Content-Type', 'application/octet-stream').send(Buffer.from(bytes));
    else if (bytes.length > 0) pending = pending.set('Content-Type', 'application/json').send(Buffer.from(bytes).toString('utf8'));
    const response = await pending;
    this.nextChallenge = response.headers[NEXT_CHALLENGE_HEADER.toLowerCase()];
    return { status: response.status, body: response.body as Record<string, unknown>, headers: response.headers as Record<string, string> };
  }

  /** Every status page, each parsed with its schema, then every message's sealed bytes, as the browser reads a case. */
  async readCase(): Promise<{ status: StatusPage; objects: ReporterObject[] }> {
    let status = statusPageSchema.parse(expectStatus(await this.send('GET', '/api/v1/case'), 200).body);
    const entries = [...status.objects];
    while (status.nextAfter !== null) {
      status = statusPageSchema.parse(expectStatus(await this.send('GET', `/api/v1/case?after=${status.nextAfter}`), 200).body);
      entries.push(...status.objects);
    }
    const objects: ReporterObject[] = [];
    for (const entry of entries) {
      const answer = expectStatus(await this.send('GET', `/api/v1/case/objects/${entry.seq}`), 200);
      objects.push({ ...entry, sealed: new Uint8Array(answer.body as unknown as Buffer) });
    }
    return { status, objects };
  }

  /** Encrypts `file` and uploads it in pieces of `pieceBytes`, returning the attachment id. */
  async upload(file: Uint8Array, pieceBytes = 64 * 1024): Promise<{ attachmentId: string; stored: Uint8Array }> {
    const attachmentId = newAttachmentId();
    const stored = await readAll(encryptAttachment(streamOf(file), await this.recipients(), { caseId: this.keys.caseId, attachmentId }));
    const start: StartUploadRequest = { uploadId: attachmentId, size: stored.length };
    expectStatus(await this.send('POST', '/api/v1/case/uploads', start), 201);
    for (let offset = 0; offset < stored.length; offset += pieceBytes) {
      const piece = stored.subarray(offset, offset + pieceBytes);
      expectStatus(await this.send('PUT', `/api/v1/case/uploads/${attachmentId}?offset=${offset}`, undefined, { raw: piece }), 200);
    }
    const completion: CompleteUploadRequest = { blockSha256: await blockSha256Hex(stored) };
    expectStatus(await this.send('POST', `/api/v1/case/uploads/${attachmentId}/complete`, completion), 201);
    return { attachmentId, stored };
  }
}

export interface ReporterObject extends StatusObject {
  readonly sealed: Uint8Array;
}

/** A case creation as caseCreationBody prepares it: the body the browser sends, and the work for its headers. */
export type CaseCreation = CreateCaseRequest & { readonly proofOfWork: ProofOfWork };

/** superagent's parser: JSON answers as objects, anything else as the Buffer of its bytes. */
function bytesOrJson(res: unknown, done: (error: Error | null, body: unknown) => void): void {
  // superagent hands the Node response, typed there as its own Response.
  const response = res as NodeJS.ReadableStream & { headers: Record<string, string | undefined> };
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('error', (error: Error) => done(error, undefined));
  response.on('end', () => {
    const bytes = Buffer.concat(chunks);
    if (!String(response.headers['content-type'] ?? '').startsWith('application/json')) return done(null, bytes);
    try {
      done(null, JSON.parse(bytes.toString('utf8')));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

/**
 * POST /api/v1/cases as the browser sends it: the work (`proofOfWork` of a creation body from
 * caseCreationBody) and the case id in headers, the rest as the JSON body.
 */
export function postCase(app: Parameters<typeof request>[0], creation: Readonly<Record<string, unknown>>, bodyChanges: Record<string, unknown> = {}) {
  // Loosely typed: tests also send what the contract refuses.
  const { proofOfWork, ...body } = creation as { proofOfWork?: ProofOfWork } & Record<string, unknown>;
  let pending = request(app).post('/api/v1/cases');
  if (proofOfWork !== undefined) pending = pending.set(PROOF_OF_WORK_HEADER, proofOfWorkHeaderValue(proofOfWork));
  if (typeof body.caseId === 'string') pending = pending.set(CASE_ID_HEADER, body.caseId);
  return pending.send({ ...body, ...bodyChanges });
}

/** A piece for BlobStore.appendStream, arriving in one chunk, declared as it is. */
export function uploadPiece(offset: number, bytes: Uint8Array, declared: { length?: number; sha256?: Uint8Array } = {}): UploadPiece {
  return {
    offset,
    length: declared.length ?? bytes.length,
    sha256: declared.sha256 ?? createHash('sha256').update(bytes).digest(),
    bytes: (async function* () {
      yield bytes;
    })(),
  };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The digest an upload's completion names (docs/protocol.md §9). */
export async function blockSha256Hex(bytes: Uint8Array): Promise<string> {
  const hasher = createBlockSha256();
  await hasher.update(bytes);
  return hasher.digestHex();
}

export function expectStatus(response: SignedResponse, status: number): SignedResponse {
  if (response.status !== status) throw new Error(`Expected HTTP ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  return response;
}

