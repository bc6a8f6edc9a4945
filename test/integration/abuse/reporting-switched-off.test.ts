/**
 * Attack drill, issue 13 §2: switching reporting off for free. Challenges cost the intake an HMAC
 * and no memory, only a case created with checked work moves the price, and a case's request
 * allowance counts only requests signed with its key, so a flood of free requests locks nobody out
 * and a flood of paid ones makes the work dearer for everyone, never impossible.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openReply, sealReply, signCaseRequest, utf8Decode, utf8Encode, type CaseKeys } from '../../../crypto/index';
import type { Day } from '../../../server/clock';
import { TestClock } from '../../helpers/console';
import { makeInvestigator, type TestInvestigator } from '../../helpers/crypto';
import { expectStatus, startTestIntake, TestReporter, type TestIntake } from '../../helpers/intake';
import {
  attackWhileGenuineReporterGoesThrough,
  Attacker,
  expectNoServerErrors,
  genuineReporterGetsThrough,
  randomCaseId,
  rowCount,
  serveOnLoopback,
  statusCounts,
  type Answer,
  type DrillServer,
} from './drill';

/** A cheap price that a flood can push up four bits in a few dozen cases: quiet is 2 cases in the 15-minute window. */
const PRICE = { CANDOR_POW_DIFFICULTY_BITS: '2', CANDOR_POW_MAX_DIFFICULTY_BITS: '6', CANDOR_POW_QUIET_CREATIONS_PER_HOUR: '8' };

let investigator: TestInvestigator;
let intake: TestIntake;
let served: DrillServer;
let attacker: Attacker;
let clock: TestClock;

beforeAll(async () => {
  investigator = await makeInvestigator('Abuse Drill Investigator');
});

async function start(env: Record<string, string> = {}): Promise<void> {
  clock = new TestClock(Date.parse('2026-12-01T10:00:00Z'));
  intake = await startTestIntake({ env: { ...PRICE, ...env }, clock, investigator });
  served = await serveOnLoopback(intake);
  attacker = new Attacker(served.url);
}

afterEach(async () => {
  await served.close();
  intake.close();
});

const priceNow = async () => JSON.parse((await attacker.send({ method: 'POST', path: '/api/v1/proof-of-work' })).text) as { difficultyBits: number; busy: boolean };

describe('a flood of proof-of-work challenges, fetched without any hashing', () => {
  // The default quiet rate: the genuine reporters' own cases do not move the price, so only the flood could.
  beforeEach(() => start({ CANDOR_POW_QUIET_CREATIONS_PER_HOUR: '120' }));

  it('when 2,000 are fetched, then every one is issued alike, nothing is stored, and a genuine reporter creates a case at the base price', async () => {
    const answers = await attackWhileGenuineReporterGoesThrough(intake, 2000, (_first, count) =>
      attacker.flood(count, () => ({ method: 'POST', path: '/api/v1/proof-of-work' })),
    );

    expect(statusCounts(answers)).toEqual({ 201: 2000 });
    // The same answer every time: the price did not move and no answer grew.
    const offers = answers.map(({ text }) => JSON.parse(text) as { challenge: string; difficultyBits: number; busy: boolean });
    expect(new Set(answers.map(({ text }) => text.length))).toEqual(new Set([answers[0]!.text.length]));
    expect(new Set(offers.map(({ difficultyBits, busy }) => `${difficultyBits} ${busy}`))).toEqual(new Set(['2 false']));
    expect(new Set(offers.map(({ challenge }) => challenge)).size).toBe(2000);
    expect(rowCount(intake, 'cases')).toBe(2);
    expect(await priceNow()).toEqual({ challenge: expect.any(String), difficultyBits: 2, busy: false });
    await genuineReporterGetsThrough(intake);
    expectNoServerErrors(intake);
  });
});

describe('a flood of reporter challenges for random case ids', () => {
  beforeEach(() => start());

  it('when 2,000 are fetched, half of them for a returning reporter’s case, then all are issued and that reporter still reads their reply', async () => {
    const returning = await TestReporter.create(intake);
    await returning.createCase('Filed before the flood.');
    const answers = await attackWhileGenuineReporterGoesThrough(intake, 2000, (first, count) =>
      attacker.flood(count, (i) => ({ method: 'POST', path: '/api/v1/case/challenge', json: { caseId: (first + i) % 2 === 0 ? randomCaseId() : returning.keys.caseId } })),
    );

    expect(statusCounts(answers)).toEqual({ 201: 2000 });
    expect(answers.every(({ text }) => /^\{"challenge":"[A-Za-z0-9_-]{51}"\}$/.test(text))).toBe(true);
    expect(rowCount(intake, 'cases')).toBe(3);
    intake.storage.cases.addObject(returning.keys.caseId, 'reply', sealReply(returning.keys.replyPublicKey, utf8Encode('We read your report.')), '2026-12-01' as Day);
    const reply = (await returning.readCase()).objects.find(({ kind }) => kind === 'reply');
    expect(utf8Decode(openReply(returning.keys, reply!.sealed))).toBe('We read your report.');
    expectNoServerErrors(intake);
  });
});

describe('a flood of cases created with valid work', () => {
  beforeEach(() => start());

  it('when an attacker creates case after case, then the price rises to the maximum, a genuine reporter pays it and gets through, and the price falls back after 15 quiet minutes', async () => {
    const pricesPaid: number[] = [];
    const answers = await attackWhileGenuineReporterGoesThrough(intake, 24, async (_first, count) => {
      const created: Answer[] = [];
      for (let i = 0; i < count; i++) {
        const answer = await attacker.createCase();
        pricesPaid.push(answer.difficultyBits);
        created.push(answer);
      }
      return created;
    });

    expect(statusCounts(answers)).toEqual({ 201: 24 });
    expect(pricesPaid[0]).toBe(2);
    expect(pricesPaid).toEqual([...pricesPaid].sort((a, b) => a - b));
    expect(pricesPaid.at(-1)).toBe(6);
    expect(await priceNow()).toEqual({ challenge: expect.any(String), difficultyBits: 6, busy: true });
    // At the highest price the genuine reporter does 16 times the quiet work, and gets through.
    await genuineReporterGetsThrough(intake);
    expect(rowCount(intake, 'cases')).toBe(24 + 3);

    clock.advance(15 * 60_000);
    expect(await priceNow()).toEqual({ challenge: expect.any(String), difficultyBits: 2, busy: false });
    await genuineReporterGetsThrough(intake);
    expectNoServerErrors(intake);
  });
});

describe('a flood of requests that name a case but do not hold its key', () => {
  const ALLOWANCE = 5;
  beforeEach(() => start({ CANDOR_RATE_REPORTER_REQUESTS_PER_MINUTE: String(ALLOWANCE) }));

  /** A request signed with `keys` over exactly these terms. */
  const signature = (keys: CaseKeys, challenge: string, method: 'GET' | 'POST', path: string, body = new Uint8Array(0)) => signCaseRequest(keys, { challenge, method, path, body });

  it('when 1,000 unsigned or wrongly signed requests name a reporter’s case, then all are refused alike and the reporter’s allowance is untouched', async () => {
    const victim = await TestReporter.create(intake);
    await victim.createCase('The one the attacker knows the case id of.');
    const stranger = await TestReporter.create(intake);
    const caseId = victim.keys.caseId;
    // Challenges are free for any case id, and one is spent only by a request that verifies, so one serves the whole flood.
    const challenge = await victim.challenge();
    const followup = utf8Encode(JSON.stringify({ message: 'Q05EUgECAQ' }));
    const followupSha256 = createHash('sha256').update(followup).digest('hex');
    const strangersGet = await signature(stranger.keys, challenge, 'GET', '/api/v1/case');
    const strangersPost = await signature(stranger.keys, challenge, 'POST', '/api/v1/case/followups', followup);
    const kinds = [
      { path: '/api/v1/case', headers: { 'Candor-Case-Id': caseId } },
      { path: '/api/v1/case', headers: { 'Candor-Case-Id': caseId, 'Candor-Challenge': challenge, 'Candor-Signature': 'A'.repeat(86) } },
      { path: '/api/v1/case', headers: { 'Candor-Case-Id': caseId, 'Candor-Challenge': challenge, 'Candor-Signature': strangersGet } },
      { path: '/api/v1/case/objects/2', headers: { 'Candor-Case-Id': caseId, 'Candor-Challenge': 'A'.repeat(51), 'Candor-Signature': strangersGet } },
      {
        method: 'POST' as const,
        path: '/api/v1/case/followups',
        headers: { 'Candor-Case-Id': caseId, 'Candor-Challenge': challenge, 'Candor-Signature': strangersPost, 'Candor-Content-SHA256': followupSha256, 'Content-Type': 'application/json' },
        json: JSON.parse(utf8Decode(followup)) as unknown,
      },
    ];
    const answers = await attackWhileGenuineReporterGoesThrough(intake, 1000, (first, count) => attacker.flood(count, (i) => kinds[(first + i) % kinds.length]!));

    expect(statusCounts(answers)).toEqual({ 401: 1000 });
    expect(new Set(answers.map(({ text }) => text)).size).toBe(1);
    expect(intake.storage.cases.objects(caseId, ['followup'])).toEqual([]);
    // The first signed request after the flood is the first the allowance counts.
    const first = expectStatus(await victim.send('GET', '/api/v1/case'), 200);
    expect(first.headers.ratelimit).toMatch(new RegExp(`^limit=${ALLOWANCE}, remaining=${ALLOWANCE - 1}, reset=\\d+$`));
    expect(first.headers['ratelimit-policy']).toBe(`${ALLOWANCE};w=60`);
    intake.storage.cases.addObject(caseId, 'reply', sealReply(victim.keys.replyPublicKey, utf8Encode('Noted.')), '2026-12-01' as Day);
    const reply = (await victim.readCase()).objects.find(({ kind }) => kind === 'reply');
    expect(utf8Decode(openReply(victim.keys, reply!.sealed))).toBe('Noted.');
    expectNoServerErrors(intake);
  });
});
