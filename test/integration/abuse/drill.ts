/**
 * The attack drill's shared parts (issue 13): the genuine reporter who must get through every
 * attack, the intake on a real loopback server for attacks that need sockets, and the attacker,
 * who speaks plain HTTP and does only the work the intake makes them do.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { expect } from 'vitest';
import { openReply, sealReply, solveProofOfWork, toBase64Url, utf8Decode, utf8Encode } from '../../../crypto/index';
import { createLimitedServer, type ServerLimits } from '../../../server/http/limited-server';
import { TestReporter, TEST_BODY_ID, type TestIntake } from '../../helpers/intake';
import { closeServer, listenOnLoopback } from '../../helpers/loopback-server';

let repliesSent = 0;

/**
 * A whistleblower with the real client crypto creates a case, an investigator's reply is stored
 * as the console stores it, and the reporter reads the case back and opens the reply with the
 * token's keys. Fails the test when any step does not go through.
 */
export async function genuineReporterGetsThrough(intake: TestIntake): Promise<TestReporter> {
  const reporter = await TestReporter.create(intake);
  await reporter.createCase('A genuine report, sent while the intake is under attack.');
  const text = `Reply ${++repliesSent}: we have received your report and opened an assessment.`;
  const { receivedOn } = intake.storage.cases.find(reporter.keys.caseId)!;
  intake.storage.cases.addObject(reporter.keys.caseId, 'reply', sealReply(reporter.keys.replyPublicKey, utf8Encode(text)), receivedOn);
  const { objects } = await reporter.readCase();
  const replies = objects.filter(({ kind }) => kind === 'reply');
  expect(replies).toHaveLength(1);
  expect(utf8Decode(openReply(reporter.keys, replies[0]!.sealed))).toBe(text);
  return reporter;
}

/**
 * Runs an attack of `count` requests in two halves: the genuine reporter goes through while the
 * second half runs, and once more after the attack. Answers the attack's answers, in order.
 */
export async function attackWhileGenuineReporterGoesThrough(
  intake: TestIntake,
  count: number,
  attack: (first: number, count: number) => Promise<Answer[]>,
): Promise<Answer[]> {
  const half = Math.floor(count / 2);
  const before = await attack(0, half);
  const [during] = await Promise.all([attack(half, count - half), genuineReporterGetsThrough(intake)]);
  await genuineReporterGetsThrough(intake);
  return [...before, ...during];
}

/**
 * No request the intake answered so far failed inside it: no 5xx but the budgets' 507
 * storage-full. Flushes the request counts into the log and reads them there.
 */
export function expectNoServerErrors(intake: TestIntake): void {
  intake.requestCounter.flush();
  const entries = intake.logLines.map((line) => JSON.parse(line) as { event: string; code?: string; status?: number });
  const failures = entries.filter(({ event, code, status }) => (event === 'request-failed' && code !== 'storage-full') || ((status ?? 0) >= 500 && status !== 507));
  expect(failures).toEqual([]);
}

export function rowCount(intake: TestIntake, table: 'cases' | 'case_objects' | 'uploads' | 'attachments'): number {
  return intake.storage.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}

/** The intake app behind the server start.ts runs, on a free loopback port. */
export interface DrillServer {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export async function serveOnLoopback(intake: TestIntake, limits: Partial<ServerLimits> = {}): Promise<DrillServer> {
  const server = createLimitedServer(intake.app, { ...intake.config.limits, ...limits });
  const port = await listenOnLoopback(server);
  return { server, port, url: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}

/** One answer as the attacker sees it. */
export interface Answer {
  readonly status: number;
  readonly text: string;
}

export interface AttackRequest {
  readonly method?: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly headers?: Record<string, string>;
  /** Sent as JSON. */
  readonly json?: unknown;
}

/**
 * The envelope headers a hand-made object needs: "CNDR", format version 1, kind code, algorithm
 * (docs/protocol.md). The intake checks only the header of what it stores, so an attacker need
 * not encrypt anything.
 */
const ENVELOPE_HEADERS = {
  report: [0x43, 0x4e, 0x44, 0x52, 1, 1, 1],
  followup: [0x43, 0x4e, 0x44, 0x52, 1, 2, 1],
  'reporter-copy': [0x43, 0x4e, 0x44, 0x52, 1, 7, 2],
} as const;

/** A stored object of `kind` made by hand: its header and `bytes` random bytes (at least one). */
export function handMadeEnvelope(kind: keyof typeof ENVELOPE_HEADERS, bytes = 64): string {
  return toBase64Url(Buffer.concat([Buffer.from(ENVELOPE_HEADERS[kind]), randomBytes(Math.max(1, bytes))]));
}

export function randomCaseId(): string {
  return randomBytes(32).toString('hex');
}

/** An anonymous attacker on loopback: plain HTTP, no case token, no more work than asked for. */
export class Attacker {
  constructor(readonly url: string) {}

  async send({ method = 'GET', path, headers = {}, json }: AttackRequest): Promise<Answer> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: json === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    return { status: response.status, text: await response.text() };
  }

  /** `count` requests, `concurrency` at a time, in order of their index. */
  async flood(count: number, requestFor: (index: number) => AttackRequest, concurrency = 32): Promise<Answer[]> {
    const answers: Answer[] = [];
    for (let start = 0; start < count; start += concurrency) {
      const wave = Array.from({ length: Math.min(concurrency, count - start) }, (_, i) => this.send(requestFor(start + i)));
      answers.push(...(await Promise.all(wave)));
    }
    return answers;
  }

  /** A proof-of-work challenge, solved: the one price of a case. */
  async solvedProofOfWork(): Promise<{ challenge: string; nonce: string; difficultyBits: number }> {
    const { challenge, difficultyBits } = JSON.parse((await this.send({ method: 'POST', path: '/api/v1/proof-of-work' })).text) as { challenge: string; difficultyBits: number };
    return { challenge, nonce: await solveProofOfWork(challenge, difficultyBits), difficultyBits };
  }

  /** A case creation with valid work and hand-made objects of `reportBytes`: what a spammer sends. */
  async createCase(options: { caseId?: string; reportBytes?: number } = {}): Promise<Answer & { caseId: string; difficultyBits: number }> {
    const caseId = options.caseId ?? randomCaseId();
    const { challenge, nonce, difficultyBits } = await this.solvedProofOfWork();
    const answer = await this.send({
      method: 'POST',
      path: '/api/v1/cases',
      headers: { 'Candor-Case-Id': caseId, 'Candor-Proof-Of-Work': `${challenge}.${nonce}` },
      json: {
        bodyId: TEST_BODY_ID,
        caseId,
        authPublicKey: toBase64Url(randomBytes(32)),
        replyPublicKey: toBase64Url(randomBytes(32)),
        report: handMadeEnvelope('report', options.reportBytes),
        reporterCopy: handMadeEnvelope('reporter-copy'),
      },
    });
    return { ...answer, caseId, difficultyBits };
  }
}

/** How many answers had each status. */
export function statusCounts(answers: readonly Answer[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
