/**
 * The intake API as the browser uses it (docs/api.md). Everything sent is ciphertext, public keys or
 * ids; this module never sees plaintext other than file sizes it needs to declare uploads.
 */
import {
  encryptAttachment,
  maxStoredAttachmentSize,
  sha256Digest,
  signCaseRequest,
  createSha256,
  toHex,
  utf8Encode,
  type AttachmentId,
  type CaseKeys,
  type RecipientKey,
} from '../../crypto/index';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    /** The error's details (docs/api.md), e.g. `daily-budget` for a storage-full that lasts until tomorrow. */
    readonly details: readonly string[] = [],
  ) {
    super(`HTTP ${status} ${code}`);
  }
}

async function parse<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; details?: unknown } };
  if (!response.ok) {
    const details = Array.isArray(body.error?.details) ? body.error.details.filter((detail): detail is string => typeof detail === 'string') : [];
    throw new ApiError(response.status, body.error?.code ?? 'unknown', details);
  }
  return body as T;
}

const postJson = (path: string, body: unknown) =>
  fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), credentials: 'omit' });

export interface BodySummary {
  readonly id: string;
  readonly name: string;
}

export interface BodyDetails extends BodySummary {
  readonly signedDirectory: unknown;
  readonly questionnaire: Questionnaire;
}

export interface Question {
  readonly id: string;
  readonly kind: 'text' | 'long-text' | 'date' | 'choice';
  readonly required: boolean;
  readonly label: Readonly<Record<string, string>>;
  readonly help?: Readonly<Record<string, string>>;
  readonly choices?: readonly { readonly id: string; readonly label: Readonly<Record<string, string>> }[];
}

export interface Questionnaire {
  readonly format: 'candor-questionnaire';
  readonly version: 1;
  readonly questions: readonly Question[];
}

export const fetchBodies = async () => (await parse<{ bodies: BodySummary[] }>(await fetch('/api/v1/bodies'))).bodies;
export const fetchBody = async (id: string) => parse<BodyDetails>(await fetch(`/api/v1/bodies/${encodeURIComponent(id)}`));
/** `busy`: the intake is under load and asks for more work than usual, so the page says it may take a while. */
export const fetchProofOfWork = async () => parse<{ challenge: string; difficultyBits: number; busy: boolean }>(await fetch('/api/v1/proof-of-work', { method: 'POST' }));
/** The work goes in headers, so that the server checks it before it reads the report (docs/api.md). */
export async function createCase(body: { readonly caseId: string }, proofOfWork: { readonly challenge: string; readonly nonce: string }) {
  const response = await fetch('/api/v1/cases', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Candor-Case-Id': body.caseId, 'Candor-Proof-Of-Work': `${proofOfWork.challenge}.${proofOfWork.nonce}` },
    body: JSON.stringify(body),
    credentials: 'omit',
  });
  return parse<{ caseId: string; receivedOn: string }>(response);
}

/** A reporter's signed conversation with the server, chaining each answer's next challenge. */
export class CaseSession {
  private nextChallenge: string | undefined;

  constructor(readonly keys: CaseKeys) {}

  private async challenge(): Promise<string> {
    const chained = this.nextChallenge;
    this.nextChallenge = undefined;
    if (chained !== undefined) return chained;
    return (await parse<{ challenge: string }>(await postJson('/api/v1/case/challenge', { caseId: this.keys.caseId }))).challenge;
  }

  /** A signed request: the signature covers the body's SHA-256, which goes in a header so the server can check it before reading the body. */
  private async request(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, raw?: Uint8Array): Promise<Response> {
    const bytes = raw ?? (body === undefined ? new Uint8Array(0) : utf8Encode(JSON.stringify(body)));
    const bodySha256 = await sha256Digest(bytes);
    const challenge = await this.challenge();
    const signature = await signCaseRequest(this.keys, { challenge, method, path, bodySha256 });
    const headers: Record<string, string> = { 'Candor-Case-Id': this.keys.caseId, 'Candor-Challenge': challenge, 'Candor-Signature': signature };
    if (bytes.length > 0) {
      headers['Content-Type'] = raw ? 'application/octet-stream' : 'application/json';
      headers['Candor-Content-SHA256'] = toHex(bodySha256);
    }
    const response = await fetch(path, { method, headers, body: bytes.length > 0 ? Uint8Array.from(bytes) : null, credentials: 'omit' });
    this.nextChallenge = response.headers.get('Candor-Next-Challenge') ?? undefined;
    return response;
  }

  async send<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, raw?: Uint8Array): Promise<T> {
    return parse<T>(await this.request(method, path, body, raw));
  }

  /** A signed GET whose answer is bytes (a sealed message). */
  async fetchBytes(path: string): Promise<Uint8Array> {
    const response = await this.request('GET', path);
    if (!response.ok) return parse<never>(response);
    return new Uint8Array(await response.arrayBuffer());
  }
}

export interface UploadProgress {
  readonly sent: number;
  readonly total: number;
}

/** Bytes per PUT: small enough to resend cheaply after a dropped circuit. */
const UPLOAD_PIECE_BYTES = 1024 * 1024;
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
  const path = `/api/v1/case/uploads/${attachmentId}`;
  await session.send('POST', '/api/v1/case/uploads', { uploadId: attachmentId, size: bound });
  const reader = encryptAttachment(source, recipients, { caseId: session.keys.caseId, attachmentId }).getReader();
  const hasher = createSha256();
  let offset = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;

  const flush = async () => {
    const piece = new Uint8Array(pendingBytes);
    let at = 0;
    for (const part of pending) {
      piece.set(part, at);
      at += part.length;
    }
    pending = [];
    pendingBytes = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        // Resending at the same offset is safe: the server skips the bytes it already holds.
        const { received } = await session.send<{ received: number }>('PUT', `${path}?offset=${offset}`, undefined, piece);
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
    hasher.update(value);
    pending.push(value);
    pendingBytes += value.length;
    if (pendingBytes >= UPLOAD_PIECE_BYTES) await flush();
  }
  if (pendingBytes > 0) await flush();
  const completed = await session.send<{ id: string; size: number }>('POST', `${path}/complete`, { sha256: hasher.digestHex(), size: offset });
  onProgress({ sent: offset, total: offset });
  return { attachmentId, size: completed.size };
}
