/**
 * Crash consistency of the real server, started as `npm start` starts it: while cases are created and
 * files uploaded over HTTP, the process is killed with SIGKILL at seeded-random points (between
 * requests, halfway through a request body, while a request is being handled) and restarted on the
 * same data directory. After every kill the data must be whole: each case complete or absent, every
 * acknowledged byte kept, nothing left over, and each interrupted upload resumable to a file that
 * decrypts. The rounds run once, before the tests; each test checks one of these properties.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decryptAttachment,
  deriveCaseKeys,
  encryptAttachment,
  encryptReport,
  generateCaseToken,
  newAttachmentId,
  openReply,
  sealReply,
  signCaseRequest,
  solveProofOfWork,
  toBase64Url,
  unlockPrivateKey,
  utf8Decode,
  utf8Encode,
  type AttachmentId,
  type CaseId,
  type CaseKeys,
  type DecryptionKey,
  type RecipientKey,
} from '../../../crypto/index';
import { verifyBodyDirectory } from '../../../protocol/body-directory';
import { DEMO_BODY_ID } from '../../../server/demo-setup';
import { DATABASE_FILE } from '../../../server/storage/index';
import { compiledEntry } from '../../helpers/compiled-server';
import { patternBytes, readAll, streamOf } from '../../helpers/crypto';
import { expectStatus, sha256Hex, startTestIntake, TestReporter } from '../../helpers/intake';
import { Random } from '../../helpers/random';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SEED = 0xc7a5_4001;
const ROUNDS = 6;
/** Each kind of kill twice; where in the work it lands is left to the seed. */
const KILL_MODES = ['after-answer', 'mid-body', 'in-flight'] as const;
const READY_TIMEOUT_MS = 30_000;



function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

interface RunningIntake {
  readonly child: ChildProcess;
  readonly url: string;
  readonly banner: readonly string[];
}

const children = new Set<ChildProcess>();

/** Starts the compiled `server/start.ts` and resolves once it prints that it listens; rejects if it dies or dawdles. */
async function startIntake(dataDir: string): Promise<RunningIntake> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CANDOR_DATA_DIR: dataDir,
    // Its own client build, so that parallel test files never write the same directory.
    CANDOR_INTAKE_CLIENT_DIR: join(dataDir, 'client'),
    CANDOR_INTAKE_HOST: '127.0.0.1',
    CANDOR_INTAKE_PORT: String(port),
    // The console starts in the same process: a port of its own, never the default a running system holds.
    CANDOR_CONSOLE_PORT: String(await freePort()),
    CANDOR_POW_DIFFICULTY_BITS: '2',
    CANDOR_POW_QUIET_CREATIONS_PER_HOUR: '100000',
    CANDOR_RATE_REPORTER_REQUESTS_PER_MINUTE: '100000',
  };
  delete env.CANDOR_CONFIG;
  const child = spawn(process.execPath, [compiledEntry('start')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const banner: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  // Lines keep being read after start-up: a full pipe would block the server's request log.
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The intake did not start within ${READY_TIMEOUT_MS} ms:\n${banner.join('\n')}\n${stderr}`)), READY_TIMEOUT_MS);
    const exited = (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      reject(new Error(`The intake exited (${code ?? signal}) before it was ready:\n${banner.join('\n')}\n${stderr}`));
    };
    child.once('exit', exited);
    lines.on('line', (line) => {
      if (line.startsWith('{')) return;
      banner.push(line);
      if (line.startsWith('Candor intake:')) {
        clearTimeout(timer);
        child.off('exit', exited);
        resolve();
      }
    });
  });
  return { child, url: `http://127.0.0.1:${port}`, banner };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
  children.delete(child);
}

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  /** The bytes of an answer that is not JSON (a sealed message). */
  readonly bytes: Uint8Array;
  readonly nextChallenge: string | null;
}

type KillMode = 'after-answer' | 'mid-body' | 'in-flight';

/**
 * Sends every request of a round and kills the intake at the request chosen for it: after its answer,
 * halfway through its body (the server has part of the body and can't act on it), or while it is
 * being handled (the server may or may not finish; either outcome must leave whole data).
 */
class Transport {
  intake: RunningIntake | undefined;
  private sent = 0;
  private killAt = Number.POSITIVE_INFINITY;
  private mode: KillMode = 'after-answer';
  private killTurns = 0;
  killed = false;
  lastKillMode: KillMode | undefined;

  armKill(atRequest: number, mode: KillMode, turns: number): void {
    this.sent = 0;
    this.killAt = atRequest;
    this.mode = mode;
    this.killTurns = turns;
    this.killed = false;
  }

  disarm(): void {
    this.killAt = Number.POSITIVE_INFINITY;
    this.killed = false;
  }

  /** The answer, or null when the intake died before answering (the request's outcome is unknown). */
  async send(method: string, path: string, headers: Record<string, string>, body: Uint8Array | null): Promise<Answer | null> {
    if (this.killed) return null;
    const intake = this.intake!;
    this.sent++;
    const url = `${intake.url}${path}`;
    // A copy, because fetch's types want a body on a plain ArrayBuffer.
    const init: RequestInit = { method, headers, ...(body === null ? {} : { body: new Uint8Array(body) }) };
    if (this.sent < this.killAt) return answerOf(await fetch(url, init));
    this.killed = true;
    if (this.mode === 'after-answer') {
      this.lastKillMode = 'after-answer';
      const answer = await answerOf(await fetch(url, init));
      await kill(intake.child);
      return answer;
    }
    if (this.mode === 'mid-body' && body !== null && body.length >= 2) {
      this.lastKillMode = 'mid-body';
      let pulls = 0;
      const halves = new ReadableStream<Uint8Array>({
        pull: async (controller) => {
          if (pulls++ === 0) {
            controller.enqueue(body.slice(0, body.length >> 1));
            return;
          }
          await kill(intake.child);
          controller.error(new Error('killed halfway through the body'));
        },
      });
      // Node's fetch streams a request body only in half-duplex mode, which the DOM types don't know.
      return fetch(url, { ...init, body: halves, duplex: 'half' } as RequestInit)
        .then(answerOf)
        .catch(() => null);
    }
    this.lastKillMode = 'in-flight';
    const pending = fetch(url, init)
      .then(answerOf)
      .catch(() => null);
    // A seeded number of event-loop turns moves the kill around inside the request's handling. Nothing
    // waits on it being anywhere in particular: every outcome is checked for wholeness afterwards.
    for (let turn = 0; turn < this.killTurns; turn++) await new Promise((resolve) => setImmediate(resolve));
    await kill(intake.child);
    return pending;
  }
}

async function answerOf(response: Response): Promise<Answer> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const json = (response.headers.get('content-type') ?? '').startsWith('application/json') && bytes.length > 0;
  const body = json ? (JSON.parse(utf8Decode(bytes)) as Record<string, unknown>) : {};
  return { status: response.status, body, bytes, nextChallenge: response.headers.get('candor-next-challenge') };
}

/** A reporter's browser over plain fetch: every request signed as TestReporter.send signs it. */
class FetchReporter {
  private nextChallenge: string | null = null;

  constructor(
    readonly keys: CaseKeys,
    private readonly transport: Transport,
  ) {}

  forgetChallenge(): void {
    this.nextChallenge = null;
  }

  async send(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, raw?: Uint8Array): Promise<Answer | null> {
    const bytes = raw ?? (body === undefined ? new Uint8Array(0) : utf8Encode(JSON.stringify(body)));
    let challenge = this.nextChallenge;
    this.nextChallenge = null;
    if (challenge === null) {
      const issued = await this.transport.send('POST', '/api/v1/case/challenge', { 'Content-Type': 'application/json' }, utf8Encode(JSON.stringify({ caseId: this.keys.caseId })));
      if (issued === null) return null;
      challenge = issued.body.challenge as string;
    }
    const headers: Record<string, string> = {
      'Candor-Case-Id': this.keys.caseId,
      'Candor-Challenge': challenge,
      'Candor-Signature': await signCaseRequest(this.keys, { challenge, method, path, body: bytes }),
    };
    if (bytes.length > 0) {
      headers['Content-Type'] = raw ? 'application/octet-stream' : 'application/json';
      headers['Candor-Content-SHA256'] = sha256Hex(bytes);
    }
    const answer = await this.transport.send(method, path, headers, bytes.length > 0 ? bytes : null);
    this.nextChallenge = answer?.nextChallenge ?? null;
    return answer;
  }

  /** The texts of the reporter copies, as the browser reads them: status, then each message's bytes. */
  async readCopies(): Promise<string[] | string> {
    const status = await this.send('GET', '/api/v1/case');
    if (status?.status !== 200) return `status answered ${status?.status}`;
    const texts: string[] = [];
    for (const { seq, kind } of status.body.objects as { seq: number; kind: 'reply' | 'reporter-copy' }[]) {
      const answer = await this.send('GET', `/api/v1/case/objects/${seq}`);
      if (answer?.status !== 200) return `message ${seq} answered ${answer?.status}`;
      texts.push(utf8Decode(openReply(this.keys, answer.bytes, kind)));
    }
    return texts;
  }
}

type Outcome = 'acknowledged' | 'in-doubt';

interface TrackedCase {
  readonly reporter: FetchReporter;
  readonly creation: { readonly caseId: string } & Record<string, unknown>;
  readonly proofOfWork: ProofOfWork;
  readonly report: Uint8Array;
  readonly reportText: string;
  outcome: Outcome;
  /** Seen on disk after the kill that left its creation in doubt; compared with the retry's answer. */
  presentAfterKill?: boolean;
}

interface TrackedUpload {
  readonly owner: TrackedCase;
  readonly id: string;
  readonly plaintext: Uint8Array;
  readonly stored: Uint8Array;
  start: Outcome;
  /** Bytes the intake acknowledged: they must survive any kill. */
  acknowledged: number;
  completion: Outcome | 'not-sent';
  /** Seen after a kill: the finished file was in blobs/ but its row not yet written. */
  placedBeforeRow?: boolean;
}

const found = {
  integrity: [] as string[],
  cases: [] as string[],
  bytes: [] as string[],
  leftovers: [] as string[],
  resumes: [] as string[],
  retries: [] as string[],
  answers: [] as string[],
  final: [] as string[],
};
const exercised = { kills: [] as KillMode[], resumedUploads: 0, checkedParts: 0, retriedCreations: 0, decrypted: 0, readCases: 0 };

let dataDir: string;
const transport = new Transport();
const cases: TrackedCase[] = [];
const uploads: TrackedUpload[] = [];
let recipients: readonly RecipientKey[];
let investigatorKey: DecryptionKey;

const unfinished = () => uploads.filter((upload) => upload.completion !== 'acknowledged');

function expectAnswer(what: string, answer: Answer | null, status: number): answer is Answer {
  if (answer === null || answer.status === status) return answer !== null;
  found.answers.push(`${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  return false;
}

interface ProofOfWork {
  readonly challenge: string;
  readonly nonce: string;
}

async function solvedWork(pow: Answer): Promise<ProofOfWork> {
  const challenge = pow.body.challenge as string;
  return { challenge, nonce: await solveProofOfWork(challenge, pow.body.difficultyBits as number) };
}

/** As the browser creates a case: the work and the case id in headers, the rest in the body. */
function postCreation(creation: TrackedCase['creation'], work: ProofOfWork): Promise<Answer | null> {
  const headers = { 'Content-Type': 'application/json', 'Candor-Case-Id': creation.caseId, 'Candor-Proof-Of-Work': `${work.challenge}.${work.nonce}` };
  return transport.send('POST', '/api/v1/cases', headers, utf8Encode(JSON.stringify(creation)));
}

async function createCase(rng: Random): Promise<void> {
  const reporter = new FetchReporter(await deriveCaseKeys(generateCaseToken()), transport);
  const reportText = `Crash-test report ${cases.length}: ${toBase64Url(rng.bytes(12))}`;
  const report = await encryptReport(reportText, recipients, { caseId: reporter.keys.caseId });
  const pow = await transport.send('POST', '/api/v1/proof-of-work', {}, null);
  if (!expectAnswer('proof of work', pow, 201)) return;
  const creation = {
    bodyId: DEMO_BODY_ID,
    caseId: reporter.keys.caseId,
    authPublicKey: toBase64Url(reporter.keys.authPublicKey),
    replyPublicKey: toBase64Url(reporter.keys.replyPublicKey),
    report: toBase64Url(report),
    reporterCopy: toBase64Url(sealReply(reporter.keys.replyPublicKey, utf8Encode(reportText), 'reporter-copy')),
  };
  const proofOfWork = await solvedWork(pow);
  const answer = await postCreation(creation, proofOfWork);
  if (answer === null) cases.push({ reporter, creation, proofOfWork, report, reportText, outcome: 'in-doubt' });
  else if (expectAnswer('case creation', answer, 201)) cases.push({ reporter, creation, proofOfWork, report, reportText, outcome: 'acknowledged' });
}

async function startUpload(rng: Random, owner: TrackedCase): Promise<void> {
  const id = newAttachmentId();
  const plaintext = rng.bytes(rng.between(20_000, 300_000));
  const stored = await readAll(encryptAttachment(streamOf(plaintext), recipients, { caseId: owner.reporter.keys.caseId, attachmentId: id }));
  const answer = await owner.reporter.send('POST', '/api/v1/case/uploads', { uploadId: id, size: stored.length });
  if (answer === null) uploads.push({ owner, id, plaintext, stored, start: 'in-doubt', acknowledged: 0, completion: 'not-sent' });
  else if (expectAnswer('upload start', answer, 201)) uploads.push({ owner, id, plaintext, stored, start: 'acknowledged', acknowledged: 0, completion: 'not-sent' });
}

async function sendPiece(upload: TrackedUpload, pieceBytes: number): Promise<void> {
  const offset = upload.acknowledged;
  const piece = upload.stored.subarray(offset, offset + pieceBytes);
  const answer = await upload.owner.reporter.send('PUT', `/api/v1/case/uploads/${upload.id}?offset=${offset}`, undefined, piece);
  if (expectAnswer('upload piece', answer, 200)) upload.acknowledged = answer.body.received as number;
}

async function complete(upload: TrackedUpload): Promise<void> {
  const answer = await upload.owner.reporter.send('POST', `/api/v1/case/uploads/${upload.id}/complete`, { sha256: sha256Hex(upload.stored) });
  if (answer === null) upload.completion = 'in-doubt';
  else if (expectAnswer('upload completion', answer, 201)) upload.completion = 'acknowledged';
}

/** One round of work; keeps an upload in progress, so that the kill interrupts one. */
async function work(rng: Random): Promise<void> {
  for (let step = 0; step < 200 && !transport.killed; step++) {
    const acknowledged = cases.filter((tracked) => tracked.outcome === 'acknowledged');
    const inProgress = uploads.filter((upload) => upload.start === 'acknowledged' && upload.completion === 'not-sent');
    const full = inProgress.filter((upload) => upload.acknowledged === upload.stored.length);
    if (acknowledged.length === 0 || rng.chance(0.15)) await createCase(rng);
    else if (inProgress.length === 0 || rng.chance(0.1)) await startUpload(rng, rng.pick(acknowledged));
    else if (full.length > 0) await complete(rng.pick(full));
    else await sendPiece(rng.pick(inProgress), rng.between(8_000, 64_000));
  }
}

/** What SQLite and the files say after a kill, before the next start-up has touched anything. */
function inspectAfterKill(round: number): void {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') found.integrity.push(`round ${round}: integrity_check says ${String(integrity)}`);
    const foreign = db.pragma('foreign_key_check') as unknown[];
    if (foreign.length > 0) found.integrity.push(`round ${round}: foreign_key_check finds ${JSON.stringify(foreign)}`);

    const rows = db.prepare('SELECT id, length(auth_public_key) AS auth, length(reply_public_key) AS reply FROM cases').all() as { id: string; auth: number; reply: number }[];
    const kinds = db.prepare("SELECT kind, count(*) AS n FROM case_objects WHERE case_id = ? AND kind IN ('report', 'reporter-copy') GROUP BY kind");
    for (const row of rows) {
      const counts = Object.fromEntries((kinds.all(row.id) as { kind: string; n: number }[]).map(({ kind, n }) => [kind, n]));
      if (row.auth !== 32 || row.reply !== 32 || counts.report !== 1 || counts['reporter-copy'] !== 1) {
        found.cases.push(`round ${round}: case ${row.id.slice(0, 8)} is not whole: keys ${row.auth}/${row.reply} bytes, objects ${JSON.stringify(counts)}`);
      }
    }
    const reportOf = db.prepare("SELECT ciphertext FROM case_objects WHERE case_id = ? AND kind = 'report'").pluck();
    for (const tracked of cases) {
      const stored = reportOf.get(tracked.reporter.keys.caseId) as Buffer | undefined;
      if (stored !== undefined && !Buffer.from(tracked.report).equals(stored)) found.cases.push(`round ${round}: a case's report differs from what was sent`);
      if (tracked.outcome === 'acknowledged' && stored === undefined) found.cases.push(`round ${round}: a case answered 201 is gone`);
      if (tracked.outcome === 'in-doubt' && tracked.presentAfterKill === undefined) tracked.presentAfterKill = stored !== undefined;
    }

    const attachments = db.prepare('SELECT id, size, sha256 FROM attachments').all() as { id: string; size: number; sha256: string }[];
    for (const attachment of attachments) {
      const path = join(dataDir, 'blobs', attachment.id);
      const blob = existsSync(path) ? readFileSync(path) : undefined;
      if (blob === undefined || blob.length !== attachment.size || sha256Hex(blob) !== attachment.sha256) {
        found.bytes.push(`round ${round}: attachment ${attachment.id} has ${blob === undefined ? 'no blob' : `a blob of ${blob.length} bytes that does not match its row`}`);
      }
    }
    const attachmentIds = new Set(attachments.map(({ id }) => id));
    const uploadIds = new Set(db.prepare('SELECT id FROM uploads').pluck().all() as string[]);
    for (const upload of uploads) {
      if (attachmentIds.has(upload.id)) continue;
      if (upload.completion === 'acknowledged') found.bytes.push(`round ${round}: completed attachment ${upload.id} is gone`);
      if (!uploadIds.has(upload.id)) {
        if (upload.start === 'acknowledged') found.bytes.push(`round ${round}: started upload ${upload.id} lost its row`);
        continue;
      }
      // A kill between moving a finished upload into place and writing its row leaves the bytes in blobs/.
      const part = join(dataDir, 'uploads', `${upload.id}.part`);
      const placed = join(dataDir, 'blobs', upload.id);
      upload.placedBeforeRow = !existsSync(part) && existsSync(placed);
      const file = upload.placedBeforeRow ? placed : part;
      const bytes = existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
      exercised.checkedParts++;
      if (bytes.length < upload.acknowledged) found.bytes.push(`round ${round}: upload ${upload.id} keeps ${bytes.length} of ${upload.acknowledged} acknowledged bytes`);
      if (!Buffer.from(upload.stored.subarray(0, bytes.length)).equals(bytes)) found.bytes.push(`round ${round}: upload ${upload.id}'s bytes on disk are not a prefix of what was sent`);
    }
  } finally {
    db.close();
  }
}

/** Right after start-up: every part and blob file on disk belongs to a row. */
function inspectAfterStart(round: number): void {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    const uploadIds = new Set(db.prepare('SELECT id FROM uploads').pluck().all() as string[]);
    const attachmentIds = new Set(db.prepare('SELECT id FROM attachments').pluck().all() as string[]);
    for (const name of readdirSync(join(dataDir, 'uploads'))) {
      if (!uploadIds.has(name.replace(/\.part$/, ''))) found.leftovers.push(`round ${round}: uploads/${name} has no upload row after start-up`);
    }
    for (const name of readdirSync(join(dataDir, 'blobs'))) {
      if (!attachmentIds.has(name) && !uploadIds.has(name)) found.leftovers.push(`round ${round}: blobs/${name} has no row after start-up`);
    }
  } finally {
    db.close();
  }
}

async function decrypts(upload: TrackedUpload): Promise<boolean> {
  const path = join(dataDir, 'blobs', upload.id);
  if (!existsSync(path)) return false;
  const binding = { caseId: upload.owner.reporter.keys.caseId as CaseId, attachmentId: upload.id as AttachmentId };
  try {
    const plaintext = await readAll(decryptAttachment(streamOf(new Uint8Array(readFileSync(path))), investigatorKey, binding));
    exercised.decrypted++;
    return Buffer.from(plaintext).equals(upload.plaintext);
  } catch {
    return false;
  }
}

/** After a restart: retries what was in doubt and finishes every upload from what the intake has. */
async function resume(round: number): Promise<void> {
  for (const tracked of cases.filter((candidate) => candidate.outcome === 'in-doubt')) {
    exercised.retriedCreations++;
    const retry = await postCreation(tracked.creation, tracked.proofOfWork);
    // The work was signed with the killed process's challenge key, which died with it: a retry needs
    // new work, and with it the case is confirmed (200) if it was stored before the kill, or made (201).
    const code = (retry?.body.error as { code?: string } | undefined)?.code;
    if (retry?.status !== 400 || code !== 'proof-of-work-required') found.retries.push(`round ${round}: retrying with the old work answered ${retry?.status} ${String(code)}, not 400 proof-of-work-required`);
    const pow = await transport.send('POST', '/api/v1/proof-of-work', {}, null);
    const again = pow === null ? null : await postCreation(tracked.creation, await solvedWork(pow));
    const expected = tracked.presentAfterKill ? 200 : 201;
    if (again?.status !== expected) found.retries.push(`round ${round}: a creation found ${tracked.presentAfterKill ? 'on' : 'not on'} disk, retried with new work, answered ${again?.status}, not ${expected}`);
    tracked.outcome = 'acknowledged';
    delete tracked.presentAfterKill;
  }
  for (const upload of unfinished()) {
    const reporter = upload.owner.reporter;
    if (upload.completion === 'not-sent') {
      // A start that may or may not have arrived is simply repeated: it answers the progress either way.
      const progress = upload.start === 'in-doubt' ? await reporter.send('POST', '/api/v1/case/uploads', { uploadId: upload.id, size: upload.stored.length }) : await reporter.send('GET', `/api/v1/case/uploads/${upload.id}`);
      const received = progress?.body.received;
      // A file already in place is reported as not received, a bug the last test here pins down;
      // until it is fixed, resending is the client's only way on, so only the answer's bounds are checked.
      const floor = upload.placedBeforeRow ? 0 : upload.acknowledged;
      if (typeof received !== 'number' || received < floor || received > upload.stored.length) {
        found.resumes.push(`round ${round}: upload ${upload.id} reports ${String(received)} received after ${upload.acknowledged} were acknowledged (${progress?.status})`);
        continue;
      }
      upload.start = 'acknowledged';
      if (received < upload.stored.length) exercised.resumedUploads++;
      for (let offset = received; offset < upload.stored.length; offset += 100_000) {
        const piece = await reporter.send('PUT', `/api/v1/case/uploads/${upload.id}?offset=${offset}`, undefined, upload.stored.subarray(offset, offset + 100_000));
        if (piece?.status !== 200) found.resumes.push(`round ${round}: resuming ${upload.id} at ${offset} answered ${piece?.status}`);
      }
    }
    const completed = await reporter.send('POST', `/api/v1/case/uploads/${upload.id}/complete`, { sha256: sha256Hex(upload.stored) });
    if (completed?.status !== 201) found.resumes.push(`round ${round}: completing ${upload.id} after the restart answered ${completed?.status} ${JSON.stringify(completed?.body)}`);
    else if (!(await decrypts(upload))) found.resumes.push(`round ${round}: resumed upload ${upload.id} does not decrypt to the file`);
    upload.completion = 'acknowledged';
    upload.acknowledged = upload.stored.length;
  }
}

async function restart(round: number): Promise<void> {
  transport.intake = await startIntake(dataDir);
  for (const tracked of cases) tracked.reporter.forgetChallenge();
  inspectAfterStart(round);
  transport.disarm();
  await resume(round);
}

/** After the last restart: every case opens for its reporter, and every attachment for the investigator. */
async function readEverything(): Promise<void> {
  for (const tracked of cases) {
    const opened = await tracked.reporter.readCopies();
    if (typeof opened === 'string' || opened.length !== 1 || opened[0] !== tracked.reportText) found.final.push(`a case reads as ${JSON.stringify(opened)}`);
    else exercised.readCases++;
  }
  for (const upload of uploads) if (!(await decrypts(upload))) found.final.push(`attachment ${upload.id} does not decrypt to the file`);
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    const counts = db.prepare('SELECT (SELECT count(*) FROM cases) AS cases, (SELECT count(*) FROM attachments) AS attachments').get();
    if (JSON.stringify(counts) !== JSON.stringify({ cases: cases.length, attachments: uploads.length })) found.final.push(`the database holds ${JSON.stringify(counts)}, not ${cases.length} cases and ${uploads.length} attachments`);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'candor-crash-'));
  const rng = new Random(SEED);
  transport.intake = await startIntake(dataDir);
  const pinned = transport.intake.banner.find((line) => line.includes('Pinned directory key of the demo body:'))!.split(': ').at(-1)!;
  const secrets = join(dataDir, 'demo-secrets');
  investigatorKey = await unlockPrivateKey(readFileSync(join(secrets, 'investigator-private-key.asc'), 'utf8'), readFileSync(join(secrets, 'investigator-passphrase.txt'), 'utf8').trim());
  const body = await (await fetch(`${transport.intake.url}/api/v1/bodies/${DEMO_BODY_ID}`)).json();
  recipients = (await verifyBodyDirectory(body.signedDirectory, { pins: { [DEMO_BODY_ID]: { keys: [pinned], minimumSerial: 1 } }, bodyId: DEMO_BODY_ID })).recipients;

  const endRound = async (round: number) => {
    await kill(transport.intake!.child);
    exercised.kills.push(transport.lastKillMode ?? 'after-answer');
    inspectAfterKill(round);
    // Files whose rows never became durable, as a kill inside a rolled-back transaction leaves them:
    // start-up must remove them along with whatever the kill itself left.
    writeFileSync(join(dataDir, 'uploads', `${newAttachmentId()}.part`), rng.bytes(100));
    writeFileSync(join(dataDir, 'blobs', newAttachmentId()), rng.bytes(100));
    await restart(round);
  };
  for (let round = 1; round <= ROUNDS; round++) {
    transport.armKill(rng.between(6, 30), KILL_MODES[round % KILL_MODES.length]!, rng.between(0, 40));
    await work(rng);
    await endRound(round);
  }
  // Two more rounds aim at a creation itself (its second request, after the proof of work), so that
  // answers lost in a kill are certainly retried: once cut off mid-body, once while being handled.
  for (const [offset, mode] of (['mid-body', 'in-flight'] as const).entries()) {
    transport.armKill(2, mode, rng.between(0, 40));
    await createCase(rng);
    await endRound(ROUNDS + 1 + offset);
  }
  await readEverything();
}, 240_000);

afterAll(async () => {
  for (const child of [...children]) await kill(child);
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

describe('killing the intake with SIGKILL and restarting it, round after round', () => {
  it('when the intake is killed, then it was killed in every round, at every kind of moment', () => {
    expect(exercised.kills).toHaveLength(ROUNDS + 2);
    expect(new Set(exercised.kills)).toEqual(new Set(KILL_MODES));
  });

  it('when the database is opened after a kill, then integrity_check and foreign_key_check find nothing wrong', () => {
    expect(found.integrity).toEqual([]);
  });

  it('when a kill interrupts case creations, then every case is whole or absent and every case answered 201 is there', () => {
    expect(found.cases).toEqual([]);
    expect(cases.length).toBeGreaterThan(ROUNDS);
  });

  it('when a kill interrupts uploads, then every attachment matches its row and every acknowledged byte is on disk', () => {
    expect(found.bytes).toEqual([]);
    expect(exercised.checkedParts).toBeGreaterThan(0);
  });

  it('when the intake starts after a kill, then no part or blob file is left without a row', () => {
    expect(found.leftovers).toEqual([]);
  });

  it('when an upload was interrupted by a kill, then after the restart it resumes from what arrived and decrypts to the file', () => {
    expect(found.resumes).toEqual([]);
    expect(exercised.resumedUploads).toBeGreaterThan(0);
  });

  it('when a creation’s answer was lost in a kill, then retrying it finds the case or makes it, never twice', () => {
    expect(found.retries).toEqual([]);
    expect(exercised.retriedCreations).toBeGreaterThanOrEqual(2);
  });

  it('when requests reach the intake between kills, then each gets the answer the protocol promises', () => {
    expect(found.answers).toEqual([]);
  });

  it('when all rounds are over, then every case opens for its reporter and every attachment for the investigator', () => {
    expect(found.final).toEqual([]);
    expect(exercised.readCases).toBe(cases.length);
    expect(exercised.decrypted).toBeGreaterThanOrEqual(uploads.length);
  });
});

describe('a kill between moving a finished upload into place and writing its row', () => {
  it('when the reporter then asks how much arrived, then the answer counts the bytes already in place', async () => {
    const intake = await startTestIntake();
    try {
      const reporter = await TestReporter.create(intake);
      await reporter.createCase();
      const id = newAttachmentId();
      const stored = patternBytes(50_000);
      expectStatus(await reporter.send('POST', '/api/v1/case/uploads', { uploadId: id, size: stored.length }), 201);
      expectStatus(await reporter.send('PUT', `/api/v1/case/uploads/${id}?offset=0`, undefined, { raw: stored }), 200);
      // The first half of a completion, where the process died: the file is in blobs/, its row not written.
      expect((await intake.storage.blobs.finalize(id, stored.length, { sha256: sha256Hex(stored) })).outcome).toBe('stored');
      const progress = expectStatus(await reporter.send('GET', `/api/v1/case/uploads/${id}`), 200);
      expect(progress.body).toEqual({ received: stored.length, size: stored.length });
    } finally {
      intake.close();
    }
  });
});
