/**
 * The intake API as the browser uses it (docs/api.md). Everything sent is ciphertext, public keys or
 * ids; this module never sees plaintext other than file sizes it needs to declare uploads. Every
 * answer is parsed here with its schema from the contract (protocol/intake-api.ts): an answer that
 * does not match is an ApiError `bad-answer`, never a value of the wrong shape.
 */
import type { z } from 'zod';
import {
  encryptAttachment,
  maxStoredAttachmentSize,
  sha256Digest,
  signCaseRequest,
  createBlockSha256,
  BLOCK_SHA256_BLOCK_BYTES,
  toHex,
  utf8Encode,
  type AttachmentId,
  type CaseKeys,
  type RecipientKey,
} from '../../crypto/index';
import {
  bodiesAnswerSchema,
  bodyAnswerSchema,
  caseChallengeAnswerSchema,
  caseCreatedAnswerSchema,
  CASE_ID_HEADER,
  CHALLENGE_HEADER,
  CONTENT_SHA256_HEADER,
  followupAnswerSchema,
  NEXT_CHALLENGE_HEADER,
  PROOF_OF_WORK_HEADER,
  proofOfWorkAnswerSchema,
  proofOfWorkHeaderValue,
  SIGNATURE_HEADER,
  statusPageSchema,
  uploadCompleteAnswerSchema,
  uploadPieceAnswerSchema,
  uploadProgressAnswerSchema,
  type ChallengeRequest,
  type CompleteUploadRequest,
  type CreateCaseRequest,
  type FollowupRequest,
  type ProofOfWork,
  type StartUploadRequest,
  type StatusPage,
} from '../../protocol/intake-api';
import { statisticsDocumentSchema, type Granularity, type StatisticsDocument } from '../../protocol/statistics';
import { API_ERROR_STATUSES, errorAnswerSchema, type ApiErrorCode } from '../../protocol/wire';

/** An answer that is not what the contract says: the page shows that it was not understood. */
export const BAD_ANSWER = 'bad-answer' as const;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    /** The server's error code (docs/api.md), or BAD_ANSWER when its answer did not match the contract. */
    readonly code: ApiErrorCode | typeof BAD_ANSWER,
    /** The error's details (docs/api.md), e.g. `daily-budget` for a storage-full that lasts until tomorrow. */
    readonly details: readonly string[] = [],
  ) {
    super(`HTTP ${status} ${code}`);
  }
}

/** An answer's JSON; an answer that is not JSON was not understood. */
async function jsonOf(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    throw new ApiError(response.status, BAD_ANSWER);
  }
}

const isApiErrorCode = (code: string): code is ApiErrorCode => Object.hasOwn(API_ERROR_STATUSES, code);

/** The ApiError a refusal describes, or BAD_ANSWER for an error in no known form (a proxy's page, an unknown code). */
function refusalOf(status: number, json: unknown): ApiError {
  const refusal = errorAnswerSchema.safeParse(json);
  if (!refusal.success || !isApiErrorCode(refusal.data.error.code)) return new ApiError(status, BAD_ANSWER);
  return new ApiError(status, refusal.data.error.code, refusal.data.error.details ?? []);
}

/** The answer's value, parsed with its schema; a refusal becomes the ApiError it describes. */
async function parseAnswer<S extends z.ZodType>(response: Response, schema: S): Promise<z.output<S>> {
  const json = await jsonOf(response);
  if (!response.ok) throw refusalOf(response.status, json);
  const parsed = schema.safeParse(json);
  // Where the answer differs, never its values: they may be the case's.
  if (!parsed.success) throw new ApiError(response.status, BAD_ANSWER, parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.code}`));
  return parsed.data;
}

const postJson = (path: string, body: unknown) =>
  fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), credentials: 'omit' });

export const fetchBodies = async () => (await parseAnswer(await fetch('/api/v1/bodies'), bodiesAnswerSchema)).bodies;
export const fetchBody = async (id: string) => parseAnswer(await fetch(`/api/v1/bodies/${encodeURIComponent(id)}`), bodyAnswerSchema);
/** `busy`: the intake is under load and asks for more work than usual, so the page says it may take a while. */
export const fetchProofOfWork = async () => parseAnswer(await fetch('/api/v1/proof-of-work', { method: 'POST' }), proofOfWorkAnswerSchema);

/** The work goes in headers, so that the server checks it before it reads the report (docs/api.md). */
export async function createCase(body: CreateCaseRequest, proofOfWork: ProofOfWork) {
  const response = await fetch('/api/v1/cases', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', [CASE_ID_HEADER]: body.caseId, [PROOF_OF_WORK_HEADER]: proofOfWorkHeaderValue(proofOfWork) },
    body: JSON.stringify(body),
    credentials: 'omit',
  });
  return parseAnswer(response, caseCreatedAnswerSchema);
}

/** Where the published statistics are, of every publishing body (`bodyId` null) or one, as JSON or CSV. */
export const statisticsPath = (bodyId: string | null, granularity: Granularity, extension: 'json' | 'csv') =>
  `/api/v1/${bodyId === null ? '' : `bodies/${encodeURIComponent(bodyId)}/`}statistics${extension === 'csv' ? '.csv' : ''}?period=${granularity}`;

/** The statistics of every publishing body (docs/statistics.md); a format or version this page does not know is refused, not half shown. */
export async function fetchStatistics(granularity: Granularity): Promise<StatisticsDocument> {
  return parseAnswer(await fetch(statisticsPath(null, granularity, 'json'), { credentials: 'omit' }), statisticsDocumentSchema);
}

/** Bytes to send as they are, with their SHA-256 (which the request's signature covers). */
export interface RawBody {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly sha256: Uint8Array;
}

/** A reporter's signed conversation with the server, chaining each answer's next challenge. */
export class CaseSession {
  private nextChallenge: string | undefined;

  constructor(readonly keys: CaseKeys) {}

  private async challenge(): Promise<string> {
    const chained = this.nextChallenge;
    this.nextChallenge = undefined;
    if (chained !== undefined) return chained;
    const request: ChallengeRequest = { caseId: this.keys.caseId };
    return (await parseAnswer(await postJson('/api/v1/case/challenge', request), caseChallengeAnswerSchema)).challenge;
  }

  /**
   * A signed request: the signature covers the body's SHA-256, which goes in a header so the server
   * can check it before reading the body. A raw body comes with its SHA-256, already made by the caller.
   */
  private async request(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, raw?: RawBody): Promise<Response> {
    const bytes = raw?.bytes ?? (body === undefined ? new Uint8Array(0) : utf8Encode(JSON.stringify(body)));
    const bodySha256 = raw?.sha256 ?? (await sha256Digest(bytes));
    const challenge = await this.challenge();
    const signature = await signCaseRequest(this.keys, { challenge, method, path, bodySha256 });
    const headers: Record<string, string> = { [CASE_ID_HEADER]: this.keys.caseId, [CHALLENGE_HEADER]: challenge, [SIGNATURE_HEADER]: signature };
    if (bytes.length > 0) {
      headers['Content-Type'] = raw ? 'application/octet-stream' : 'application/json';
      headers[CONTENT_SHA256_HEADER] = toHex(bodySha256);
    }
    // fetch takes its own copy of the body when called, so the caller may reuse the bytes afterwards.
    const response = await fetch(path, { method, headers, body: bytes.length > 0 ? bytes : null, credentials: 'omit' });
    this.nextChallenge = response.headers.get(NEXT_CHALLENGE_HEADER) ?? undefined;
    return response;
  }

  /** One page of the case's status: the first, or the one after message number `after`. */
  async status(after?: number): Promise<StatusPage> {
    return parseAnswer(await this.request('GET', after === undefined ? '/api/v1/case' : `/api/v1/case?after=${after}`), statusPageSchema);
  }

  /** The sealed bytes of one message the status listed. */
  async fetchObject(seq: number): Promise<Uint8Array> {
    const response = await this.request('GET', `/api/v1/case/objects/${seq}`);
    if (!response.ok) throw refusalOf(response.status, await jsonOf(response));
    return new Uint8Array(await response.arrayBuffer());
  }

  async addFollowup(followup: FollowupRequest) {
    return parseAnswer(await this.request('POST', '/api/v1/case/followups', followup), followupAnswerSchema);
  }

  async startUpload(upload: StartUploadRequest) {
    return parseAnswer(await this.request('POST', '/api/v1/case/uploads', upload), uploadProgressAnswerSchema);
  }

  /** Resending at the same offset is safe: the server skips the bytes it already holds. `sha256` is the piece's. */
  async uploadPiece(uploadId: string, offset: number, piece: RawBody) {
    return parseAnswer(await this.request('PUT', `/api/v1/case/uploads/${uploadId}?offset=${offset}`, undefined, piece), uploadPieceAnswerSchema);
  }

  async completeUpload(uploadId: string, completion: CompleteUploadRequest) {
    return parseAnswer(await this.request('POST', `/api/v1/case/uploads/${uploadId}/complete`, completion), uploadCompleteAnswerSchema);
  }
}

export interface UploadProgress {
  readonly sent: number;
  readonly total: number;
}

/**
 * Bytes per PUT: small enough to resend cheaply after a dropped circuit, and exactly one block of
 * the completion's block SHA-256, so that each piece's SHA-256 is also the digest of its block.
 */
const UPLOAD_PIECE_BYTES = BLOCK_SHA256_BLOCK_BYTES;
const MAX_ATTEMPTS = 8;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Encrypts `source` while uploading it in pieces. A piece that fails (a dropped Tor circuit) is
 * resent from what the server says it received, a bounded number of times with growing pauses.
 */
export async function uploadAttachment(
  session: CaseSession,
  attachmentId: AttachmentId,
  source: ReadableStream<Uint8Array>,
  plaintextBytes: number,
  recipients: readonly RecipientKey[],
  onProgress: (progress: UploadProgress) => void,
): Promise<{ attachmentId: string; size: number }> {
  const bound = maxStoredAttachmentSize(plaintextBytes, recipients.length);
  await session.startUpload({ uploadId: attachmentId, size: bound });
  const reader = encryptAttachment(source, recipients, { caseId: session.keys.caseId, attachmentId }).getReader();
  // The completion names the file's block SHA-256 (docs/protocol.md §9.6), made with WebCrypto, so
  // native even without a JIT. Each piece is one block at its offset in the file, fed once, before it
  // is first sent; a piece resent after a dropped connection (the server skips what it holds) is not
  // fed again.
  const hasher = createBlockSha256();
  let offset = 0;
  // One buffer for every piece, filled from the encrypted frames: fetch and WebCrypto copy what they
  // are given, so a new buffer per piece would only be garbage, and without a JIT the collector falls
  // behind (issue 16: the tab's memory during a large upload).
  const buffer = new Uint8Array(UPLOAD_PIECE_BYTES);
  let filled = 0;

  const send = async (bytes: Uint8Array<ArrayBuffer>) => {
    const piece = { bytes, sha256: await hasher.updateBlock(bytes) };
    for (let attempt = 1; ; attempt++) {
      try {
        const { received } = await session.uploadPiece(attachmentId, offset, piece);
        offset = received;
        break;
      } catch (error) {
        const retryable = !(error instanceof ApiError) || error.status >= 500 || error.status === 429;
        if (attempt >= MAX_ATTEMPTS || !retryable) throw error;
        await delay(Math.min(30_000, 1000 * 2 ** (attempt - 1)));
      }
    }
    onProgress({ sent: offset, total: bound });
  };

  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (let at = 0; at < value.length; ) {
      const take = Math.min(UPLOAD_PIECE_BYTES - filled, value.length - at);
      buffer.set(value.subarray(at, at + take), filled);
      filled += take;
      at += take;
      if (filled === UPLOAD_PIECE_BYTES) {
        await send(buffer);
        filled = 0;
      }
    }
  }
  if (filled > 0) await send(buffer.subarray(0, filled));
  const completed = await session.completeUpload(attachmentId, { blockSha256: await hasher.digestHex(), size: offset });
  onProgress({ sent: offset, total: offset });
  return { attachmentId, size: completed.size };
}
