/**
 * The flood generator, run as its own process so that its CPU is not the server's: `node --import
 * tsx test/bench/flood-generator.ts --url URL --data-dir DIR --concurrency C --start-at EPOCH_MS
 * --duration-ms D --case-ids ID[,ID...]`. From the agreed start to the end of the window it sends,
 * as fast as the intake answers, the requests of flood-report.ts, none of which needs any work or
 * a case key, and prints a FloodReport as JSON on stdout; progress goes to stderr.
 *
 * The start is a wall-clock time agreed with the suite, so that the suite's genuine reporter
 * creates cases during the flood without having to hear from this process.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { positiveInteger } from './cli-options';
import { checkProofOfWork, toBase64Url } from '../../crypto/index';
import {
  caseChallengeAnswerSchema,
  CASE_ID_HEADER,
  CHALLENGE_HEADER,
  proofOfWorkAnswerSchema,
  SIGNATURE_HEADER,
  type CreateCaseRequest,
} from '../../protocol/intake-api';
import { FLOOD_KINDS, type FloodKind, type FloodReport } from './flood-report';
import { caseCreationRequest, fetchDemoRecipients, prepareCase } from './intake-client';

/** Reporter challenges live a minute and proof-of-work challenges ten; renewing them this often keeps both live. */
const RENEW_MS = 30_000;
const NONCE_SYMBOLS = '0123456789abcdefghijklmnopqrstuvwxyz';
/** The longest nonce the intake reads (crypto/proof-of-work.ts), so that each one costs it a SHA-256. */
const NONCE_LENGTH = 7;
const SIGNATURE_BYTES = 64;

interface Options {
  readonly url: string;
  readonly dataDir: string;
  readonly concurrency: number;
  readonly startAt: number;
  readonly durationMs: number;
  readonly caseIds: readonly string[];
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      'data-dir': { type: 'string' },
      concurrency: { type: 'string' },
      'start-at': { type: 'string' },
      'duration-ms': { type: 'string' },
      'case-ids': { type: 'string' },
    },
    strict: true,
  });
  if (values.url === undefined) throw new RangeError('--url is required.');
  if (values['data-dir'] === undefined) throw new RangeError('--data-dir is required (the demo directory key, to build a well-formed case).');
  const caseIds = (values['case-ids'] ?? '').split(',').filter((id) => id !== '');
  if (caseIds.length === 0 || !caseIds.every((id) => /^[0-9a-f]{64}$/.test(id))) throw new RangeError('--case-ids must name at least one existing case id.');
  return {
    url: values.url.replace(/\/$/, ''),
    dataDir: values['data-dir'],
    concurrency: positiveInteger('concurrency', values.concurrency),
    startAt: positiveInteger('start-at', values['start-at']),
    durationMs: positiveInteger('duration-ms', values['duration-ms']),
    caseIds,
  };
}

const progress = (message: string) => process.stderr.write(`[flood-generator] ${message}\n`);

const randomCaseId = () => randomBytes(32).toString('hex');

/** A POST that must answer 201, with a JSON body when `value` is given. */
async function post(url: string, value?: unknown): Promise<unknown> {
  const init: RequestInit = value === undefined ? { method: 'POST' } : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(value) };
  const response = await fetch(url, init);
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST ${new URL(url).pathname}: expected HTTP 201, got ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

/**
 * Challenges a worker reuses until it renews them: a refused request never spends one, so one
 * fetched challenge makes every forged request reach the expensive check.
 */
interface Challenges {
  readonly proofOfWork: string;
  readonly difficultyBits: number;
  readonly realCaseId: string;
  readonly realCase: string;
  readonly randomCaseId: string;
  readonly randomCase: string;
  readonly fetchedAt: number;
}

async function fetchChallenges(url: string, realCaseId: string): Promise<Challenges> {
  const work = proofOfWorkAnswerSchema.parse(await post(`${url}/api/v1/proof-of-work`));
  // A nonce at difficulty 0 always solves: there would be no refusal to measure.
  if (work.difficultyBits < 1) throw new RangeError('The intake asks for no proof of work; the flood needs a difficulty of at least 1 bit.');
  const caseChallenge = async (caseId: string) => caseChallengeAnswerSchema.parse(await post(`${url}/api/v1/case/challenge`, { caseId })).challenge;
  const randomId = randomCaseId();
  return {
    proofOfWork: work.challenge,
    difficultyBits: work.difficultyBits,
    realCaseId,
    realCase: await caseChallenge(realCaseId),
    randomCaseId: randomId,
    randomCase: await caseChallenge(randomId),
    fetchedAt: Date.now(),
  };
}

function randomNonce(): string {
  return Array.from({ length: NONCE_LENGTH }, () => NONCE_SYMBOLS[randomInt(NONCE_SYMBOLS.length)]).join('');
}

/** One nonce in 2^bits solves the challenge by luck: that would be work done and a case created, so it is drawn again. */
function failingNonce(challenge: string, difficultyBits: number): string {
  for (;;) {
    const nonce = randomNonce();
    if (!checkProofOfWork(challenge, nonce, difficultyBits)) return nonce;
  }
}

function forgedHeaders(caseId: string, challenge: string): Record<string, string> {
  return { [CASE_ID_HEADER]: caseId, [CHALLENGE_HEADER]: challenge, [SIGNATURE_HEADER]: toBase64Url(randomBytes(SIGNATURE_BYTES)) };
}

function request(kind: FloodKind, challenges: Challenges, fields: CreateCaseRequest): { path: string; init: RequestInit } {
  const json = (value: unknown, headers: Record<string, string> = {}): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(value) });
  // Well-formed in every part, so that the intake gets as far as hashing the nonce.
  const creation = (caseId: string) => caseCreationRequest({ ...fields, caseId }, { challenge: challenges.proofOfWork, nonce: failingNonce(challenges.proofOfWork, challenges.difficultyBits) });
  switch (kind) {
    case 'proof-of-work':
      return { path: '/api/v1/proof-of-work', init: { method: 'POST' } };
    case 'case-challenge':
      return { path: '/api/v1/case/challenge', init: json({ caseId: randomCaseId() }) };
    case 'creation-new-id':
      return { path: '/api/v1/cases', init: creation(randomCaseId()) };
    case 'creation-existing-id':
      return { path: '/api/v1/cases', init: creation(challenges.realCaseId) };
    case 'status-unsigned':
      return { path: '/api/v1/case', init: {} };
    case 'status-forged-real-id':
      return { path: '/api/v1/case', init: { headers: forgedHeaders(challenges.realCaseId, challenges.realCase) } };
    case 'status-forged-random-id':
      return { path: '/api/v1/case', init: { headers: forgedHeaders(challenges.randomCaseId, challenges.randomCase) } };
  }
}

class Tally {
  readonly statuses = new Map<FloodKind, Map<string, number>>();
  answered = 0;
  errors = 0;
  firstError: string | null = null;
  maxDifficultyBits: number | null = null;

  count(kind: FloodKind, status: string): void {
    const byStatus = this.statuses.get(kind) ?? new Map<string, number>();
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    this.statuses.set(kind, byStatus);
  }

  toJson(): Record<string, Record<string, number>> {
    return Object.fromEntries([...this.statuses].map(([kind, byStatus]) => [kind, Object.fromEntries(byStatus)]));
  }
}

async function sendOne(options: Options, kind: FloodKind, challenges: Challenges, fields: CreateCaseRequest, tally: Tally): Promise<void> {
  const { path, init } = request(kind, challenges, fields);
  let response: Response;
  try {
    response = await fetch(`${options.url}${path}`, init);
  } catch (error) {
    tally.errors++;
    tally.firstError ??= `${kind}: ${error instanceof Error ? `${error.message} ${String((error.cause as Error | undefined)?.message ?? '')}` : String(error)}`;
    tally.count(kind, 'error');
    return;
  }
  // Read every answer whole, so that the connection is reused; the quoted difficulty is what a reporter would be asked.
  const text = await response.text();
  if (kind === 'proof-of-work' && response.status === 201) {
    const { difficultyBits } = proofOfWorkAnswerSchema.parse(JSON.parse(text));
    tally.maxDifficultyBits = Math.max(tally.maxDifficultyBits ?? 0, difficultyBits);
  }
  tally.answered++;
  tally.count(kind, String(response.status));
}

async function flood(options: Options): Promise<FloodReport> {
  const recipients = await fetchDemoRecipients(options.url, options.dataDir);
  // One well-formed case, reused with other ids: the intake reads and checks all of it before the work.
  const { fields } = await prepareCase(recipients, 'A report nobody did the work for.');
  const realCaseId = (worker: number) => options.caseIds[worker % options.caseIds.length]!;
  const challenges = await Promise.all(Array.from({ length: options.concurrency }, (_, worker) => fetchChallenges(options.url, realCaseId(worker))));

  const endAt = options.startAt + options.durationMs;
  progress(`ready; flooding with ${options.concurrency} requests at a time for ${options.durationMs / 1000} s`);
  await sleep(Math.max(0, options.startAt - Date.now()));
  const startLateMs = Math.max(0, Date.now() - options.startAt);
  const tally = new Tally();
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    challenges.map(async (initial, worker) => {
      let current = initial;
      // Workers start at different kinds, so the mix is even at every moment, not in waves.
      for (let i = worker; Date.now() < endAt; i++) {
        if (Date.now() - current.fetchedAt > RENEW_MS) current = await fetchChallenges(options.url, current.realCaseId);
        await sendOne(options, FLOOD_KINDS[i % FLOOD_KINDS.length]!, current, fields, tally);
      }
    }),
  );
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  progress(`done: ${tally.answered} answered, ${tally.errors} without an answer`);
  return {
    concurrency: options.concurrency,
    startLateMs,
    elapsedMs,
    answered: tally.answered,
    answeredPerSecond: tally.answered / (elapsedMs / 1000),
    errors: tally.errors,
    firstError: tally.firstError,
    statuses: tally.toJson(),
    maxDifficultyBits: tally.maxDifficultyBits,
    clientCpuCores: (cpu.user + cpu.system) / 1000 / elapsedMs,
  };
}

const report = await flood(parseOptions());
process.stdout.write(`${JSON.stringify(report)}\n`);
