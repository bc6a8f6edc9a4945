/**
 * A genuine whistleblower creating cases for a window of time, as the browser does on "Submit":
 * fetch a proof-of-work challenge, solve it at the difficulty asked, send the case. The hashing and
 * the two requests are timed apart, so that a slower creation says whether the intake was slow to
 * answer or the reporter's own CPU was busy.
 */
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { solveProofOfWork } from '../../crypto/index';
import { caseCreatedAnswerSchema, proofOfWorkAnswerSchema } from '../../protocol/intake-api';
import { caseCreationRequest, type PreparedCase } from './intake-client';

interface TimedCreation {
  readonly caseId: string;
  readonly difficultyBits: number;
  readonly solveMs: number;
  /** The challenge request and the creation request together. */
  readonly requestMs: number;
  /** Date.now() when the creation was answered. */
  readonly finishedAt: number;
}

async function expectJson(what: string, response: Response, expected: number): Promise<unknown> {
  const text = await response.text();
  if (response.status !== expected) throw new Error(`${what}: expected HTTP ${expected}, got ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

async function createTimedCase(baseUrl: string, prepared: PreparedCase): Promise<TimedCreation> {
  const challengeStart = performance.now();
  const pow = proofOfWorkAnswerSchema.parse(await expectJson('POST proof-of-work', await fetch(`${baseUrl}/api/v1/proof-of-work`, { method: 'POST' }), 201));
  const challengeMs = performance.now() - challengeStart;
  const solveStart = performance.now();
  // Back to the event loop now and then, as the browser does for its progress bar, so that the
  // suite's RSS sampling and a second worker's answers are not held up by the hashing.
  const nonce = await solveProofOfWork(pow.challenge, pow.difficultyBits, { onProgress: () => nextTurn() });
  const solveMs = performance.now() - solveStart;
  const createStart = performance.now();
  const response = await fetch(`${baseUrl}/api/v1/cases`, caseCreationRequest(prepared.fields, { challenge: pow.challenge, nonce }));
  caseCreatedAnswerSchema.parse(await expectJson('POST cases', response, 201));
  return { caseId: prepared.keys.caseId, difficultyBits: pow.difficultyBits, solveMs, requestMs: challengeMs + performance.now() - createStart, finishedAt: Date.now() };
}

export interface GenuineWindow {
  readonly baseUrl: string;
  /** One per creation at most: the window ends early once they are used up. */
  readonly prepared: readonly PreparedCase[];
  readonly workers: number;
  /** Date.now() at which the first creations start. */
  readonly startAt: number;
  readonly durationMs: number;
}

export interface GenuineResult {
  readonly workers: number;
  /** Creations answered 201 within the window. */
  readonly creations: number;
  readonly failures: number;
  readonly firstFailure: string | null;
  /** The window, or up to the last creation when the prepared cases ran out first. */
  readonly elapsedMs: number;
  readonly creationsPerSecond: number;
  /** Every difficulty the intake asked for in the window, lowest and highest; null when it asked none. */
  readonly minDifficultyBits: number | null;
  readonly maxDifficultyBits: number | null;
  readonly meanSolveMs: number;
  readonly meanRequestMs: number;
  readonly maxRequestMs: number;
  readonly caseIds: readonly string[];
}

const mean = (values: readonly number[]) => (values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length);

/**
 * Sequential creations by each worker from `startAt` until the window closes. A creation still
 * running then is awaited, so it does not spill into what follows, but not counted: both windows
 * of a comparison lose the same fraction of one.
 */
export async function runGenuineWindow(window: GenuineWindow): Promise<GenuineResult> {
  await sleep(Math.max(0, window.startAt - Date.now()));
  const endAt = window.startAt + window.durationMs;
  const done: TimedCreation[] = [];
  let failures = 0;
  let firstFailure: string | null = null;
  let next = 0;
  const worker = async () => {
    while (Date.now() < endAt && next < window.prepared.length) {
      const prepared = window.prepared[next++]!;
      try {
        done.push(await createTimedCase(window.baseUrl, prepared));
      } catch (error) {
        failures++;
        firstFailure ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: window.workers }, () => worker()));

  const counted = done.filter((creation) => creation.finishedAt <= endAt);
  const ranOut = next >= window.prepared.length && counted.length === done.length;
  const elapsedMs = ranOut && counted.length > 0 ? Math.max(...counted.map((creation) => creation.finishedAt)) - window.startAt : window.durationMs;
  const bits = done.map((creation) => creation.difficultyBits);
  return {
    workers: window.workers,
    creations: counted.length,
    failures,
    firstFailure,
    elapsedMs,
    creationsPerSecond: counted.length / (elapsedMs / 1000),
    minDifficultyBits: bits.length === 0 ? null : Math.min(...bits),
    maxDifficultyBits: bits.length === 0 ? null : Math.max(...bits),
    meanSolveMs: mean(done.map((creation) => creation.solveMs)),
    meanRequestMs: mean(done.map((creation) => creation.requestMs)),
    maxRequestMs: Math.max(0, ...done.map((creation) => creation.requestMs)),
    caseIds: done.map((creation) => creation.caseId),
  };
}
