/**
 * The reporter's side of the intake protocol over real HTTP (fetch), as the benchmarks drive a
 * spawned intake: the demo body's verified directory, case creation, and signed reporter requests.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  deriveCaseKeys,
  encryptReport,
  generateCaseToken,
  sealReply,
  solveProofOfWork,
  toBase64Url,
  utf8Encode,
  type CaseKeys,
  type RecipientKey,
} from '../../crypto/index';
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
  type ChallengeRequest,
  type CreateCaseRequest,
  type ProofOfWork,
} from '../../protocol/intake-api';
import { verifyBodyDirectory } from '../../protocol/body-directory';
import { DEMO_BODY_ID } from '../../server/demo-setup';
import { NativeCaseSigner } from './native-case-signer';

class UnexpectedResponse extends Error {
  override readonly name = 'UnexpectedResponse';
  constructor(what: string, expected: number, actual: number, body: string) {
    super(`${what}: expected HTTP ${expected}, got ${actual}: ${body.slice(0, 300)}`);
  }
}

/** Reads the whole answer (so the connection can be reused) and checks its status. */
async function expectStatus(what: string, response: Response, expected: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (response.status !== expected) throw new UnexpectedResponse(what, expected, response.status, Buffer.from(bytes).toString('utf8'));
  return bytes;
}

async function postJson(url: string, value: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(value) });
}

/**
 * The demo body's recipients, from a directory checked against the key pinned in the demo secrets,
 * as the browser checks it against the key pinned in its build.
 */
export async function fetchDemoRecipients(baseUrl: string, dataDir: string): Promise<readonly RecipientKey[]> {
  const pinned = JSON.parse(await readFile(join(dataDir, 'demo-secrets', 'directory-key.json'), 'utf8')) as { publicKey: string };
  const response = await fetch(`${baseUrl}/api/v1/bodies/${DEMO_BODY_ID}`);
  const body = bodyAnswerSchema.parse(JSON.parse(Buffer.from(await expectStatus('GET body', response, 200)).toString('utf8')));
  const verified = await verifyBodyDirectory(body.signedDirectory, { pins: { [DEMO_BODY_ID]: { keys: [pinned.publicKey], minimumSerial: 1 } }, bodyId: DEMO_BODY_ID });
  return verified.recipients;
}

/** Everything a case creation sends except the proof of work, which must be fresh. */
export interface PreparedCase {
  readonly keys: CaseKeys;
  readonly fields: CreateCaseRequest;
}

export async function prepareCase(recipients: readonly RecipientKey[], reportText: string): Promise<PreparedCase> {
  const keys = await deriveCaseKeys(generateCaseToken());
  const report = await encryptReport(reportText, recipients, { caseId: keys.caseId });
  const reporterCopy = sealReply(keys.replyPublicKey, utf8Encode(reportText), 'reporter-copy');
  return {
    keys,
    fields: {
      bodyId: DEMO_BODY_ID,
      caseId: keys.caseId,
      authPublicKey: toBase64Url(keys.authPublicKey),
      replyPublicKey: toBase64Url(keys.replyPublicKey),
      report: toBase64Url(report),
      reporterCopy: toBase64Url(reporterCopy),
    },
  };
}

/** POST /api/v1/cases as the browser sends it (docs/api.md): the work in headers, checked before the body is read. */
export function caseCreationRequest(fields: CreateCaseRequest, work: ProofOfWork): RequestInit {
  const headers = { 'Content-Type': 'application/json', [CASE_ID_HEADER]: fields.caseId, [PROOF_OF_WORK_HEADER]: proofOfWorkHeaderValue(work) };
  return { method: 'POST', headers, body: JSON.stringify(fields) };
}

/** Proof-of-work challenge, its solution, the creation itself: what the browser does on "Submit". */
export async function createCase(baseUrl: string, prepared: PreparedCase): Promise<void> {
  const powBytes = await expectStatus('POST proof-of-work', await fetch(`${baseUrl}/api/v1/proof-of-work`, { method: 'POST' }), 201);
  const pow = proofOfWorkAnswerSchema.parse(JSON.parse(Buffer.from(powBytes).toString('utf8')));
  const nonce = await solveProofOfWork(pow.challenge, pow.difficultyBits);
  const response = await fetch(`${baseUrl}/api/v1/cases`, caseCreationRequest(prepared.fields, { challenge: pow.challenge, nonce }));
  await expectStatus('POST cases', response, 201);
}

export type ReporterMethod = 'GET' | 'POST' | 'PUT';

/**
 * One reporter signing its requests, each with the challenge the previous answer handed out, so a
 * request costs one round trip; a fresh challenge is fetched only at the start or after a failure.
 * It signs with Node's native Ed25519 (native-case-signer.ts): the same signatures as the browser's.
 */
export class ReporterSession {
  private nextChallenge: string | undefined;
  private readonly signer: NativeCaseSigner;

  constructor(
    private readonly baseUrl: string,
    private readonly keys: CaseKeys,
  ) {
    this.signer = new NativeCaseSigner(keys);
  }

  async authenticate(): Promise<void> {
    const request: ChallengeRequest = { caseId: this.keys.caseId };
    const response = await postJson(`${this.baseUrl}/api/v1/case/challenge`, request);
    const body = caseChallengeAnswerSchema.parse(JSON.parse(Buffer.from(await expectStatus('POST case/challenge', response, 201)).toString('utf8')));
    this.nextChallenge = body.challenge;
  }

  /** Sends a signed request and returns the answer's bytes; throws unless the status is `expected`. */
  async send(method: ReporterMethod, path: string, expected: number, body?: { bytes: Uint8Array<ArrayBuffer>; contentType: string }): Promise<Uint8Array> {
    if (this.nextChallenge === undefined) await this.authenticate();
    const challenge = this.nextChallenge as string;
    this.nextChallenge = undefined;
    const bodySha256 = createHash('sha256').update(body?.bytes ?? new Uint8Array(0)).digest();
    const signature = await this.signer.sign({ challenge, method, path, bodySha256 });
    const headers: Record<string, string> = {
      [CASE_ID_HEADER]: this.keys.caseId,
      [CHALLENGE_HEADER]: challenge,
      [SIGNATURE_HEADER]: signature,
    };
    if (body !== undefined) {
      headers['Content-Type'] = body.contentType;
      headers[CONTENT_SHA256_HEADER] = bodySha256.toString('hex');
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: body.bytes }) });
    this.nextChallenge = response.headers.get(NEXT_CHALLENGE_HEADER) ?? undefined;
    return expectStatus(`${method} ${path.replace(/\?.*$/, '')}`, response, expected);
  }

  async sendJson(method: ReporterMethod, path: string, expected: number, value: unknown): Promise<unknown> {
    const answer = await this.send(method, path, expected, { bytes: utf8Encode(JSON.stringify(value)), contentType: 'application/json' });
    return JSON.parse(Buffer.from(answer).toString('utf8'));
  }
}
