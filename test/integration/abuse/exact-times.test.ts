/**
 * Attack drill, issue 13 §5: what a seized disk or log says about when reporters acted. Blob files
 * and their folders carry 00:00 UTC of the day as their times, and the intake logs counts per route
 * and status per interval, never a line per request.
 */
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAttachmentId } from '../../../crypto/index';
import { midnightOf } from '../../../server/storage/day-times';
import { TestClock } from '../../helpers/console';
import { patternBytes } from '../../helpers/crypto';
import { expectStatus, sha256Hex, startTestIntake, TestReporter, type TestIntake } from '../../helpers/intake';
import { Attacker, genuineReporterGetsThrough, handMadeEnvelope, randomCaseId, serveOnLoopback, type DrillServer } from './drill';

const KiB = 1024;

describe('file times of uploads', () => {
  // The blob store of the test intake writes by the system clock (startTestIntake does not pass its
  // clock to openStorage), so the injected clock is set to now: the day is the same.
  const clock = new TestClock(Date.now());
  let intake: TestIntake;

  beforeAll(async () => {
    intake = await startTestIntake({ clock });
  });
  afterAll(() => intake.close());

  /** atime and mtime of each path, in milliseconds since 1970. */
  const timesOf = (...paths: string[]) => paths.map((path) => [statSync(path).atimeMs, statSync(path).mtimeMs]);

  it('when a file is uploaded in pieces and completed, then the part, the blob and their folders carry 00:00 UTC of the day, not the time of the upload', async () => {
    const midnight = midnightOf(clock.now()).getTime();
    const { uploadsDir, blobsDir } = intake.storage.blobs;
    const reporter = await TestReporter.create(intake);
    await reporter.createCase('With a file.');
    const file = patternBytes(12 * KiB);
    const uploadId = newAttachmentId();
    expectStatus(await reporter.send('POST', '/api/v1/case/uploads', { uploadId, size: file.length }), 201);
    expectStatus(await reporter.send('PUT', `/api/v1/case/uploads/${uploadId}?offset=0`, undefined, { raw: file.subarray(0, 4 * KiB) }), 200);
    expect(timesOf(`${uploadsDir}/${uploadId}.part`, uploadsDir)).toEqual([
      [midnight, midnight],
      [midnight, midnight],
    ]);

    expectStatus(await reporter.send('PUT', `/api/v1/case/uploads/${uploadId}?offset=${4 * KiB}`, undefined, { raw: file.subarray(4 * KiB) }), 200);
    expectStatus(await reporter.send('POST', `/api/v1/case/uploads/${uploadId}/complete`, { sha256: sha256Hex(file) }), 201);
    expect(timesOf(intake.storage.blobs.blobPath(uploadId), blobsDir, uploadsDir)).toEqual([
      [midnight, midnight],
      [midnight, midnight],
      [midnight, midnight],
    ]);
    await genuineReporterGetsThrough(intake);
  });
});

describe('the request log under a flood', () => {
  let intake: TestIntake;
  let served: DrillServer;
  let attacker: Attacker;

  beforeAll(async () => {
    intake = await startTestIntake({ env: { CANDOR_BUDGET_DAILY_INTAKE_BYTES: String(64 * KiB) } });
    served = await serveOnLoopback(intake);
    attacker = new Attacker(served.url);
  });
  afterAll(async () => {
    await served.close();
    intake.close();
  });

  type Entry = { event: string; method: string; route: string; status: number; count: number };
  const flushed = (): Entry[] => {
    const before = intake.logLines.length;
    intake.requestCounter.flush();
    return intake.logLines.slice(before).map((line) => JSON.parse(line) as Entry);
  };
  const countOf = (entries: Entry[], method: string, route: string, status: number) =>
    entries.find((entry) => entry.method === method && entry.route === route && entry.status === status)?.count;

  it('when hundreds of requests and dozens of cases come in, then nothing is logged until the flush, which logs one count per route and status', async () => {
    await attacker.flood(300, () => ({ method: 'POST', path: '/api/v1/proof-of-work' }));
    await attacker.flood(300, () => ({ method: 'POST', path: '/api/v1/case/challenge', json: { caseId: randomCaseId() } }));
    await attacker.flood(100, () => ({ path: '/api/v1/case', headers: { 'Candor-Case-Id': randomCaseId() } }));
    for (let i = 0; i < 20; i++) expect((await attacker.createCase()).status).toBe(201);
    await genuineReporterGetsThrough(intake);
    expect(intake.logLines).toEqual([]);

    const entries = flushed();
    for (const entry of entries) expect(Object.keys(entry).sort()).toEqual(['count', 'event', 'level', 'method', 'route', 'status']);
    // The attacker's 20 cases and the genuine reporter's: 21 creations, 21 challenges of work on top of the flood's.
    expect(countOf(entries, 'POST', '/api/v1/cases', 201)).toBe(21);
    expect(countOf(entries, 'POST', '/api/v1/proof-of-work', 201)).toBe(321);
    expect(countOf(entries, 'POST', '/api/v1/case/challenge', 201)).toBeGreaterThanOrEqual(300);
    expect(entries.filter(({ method, status }) => method === 'GET' && status === 401).map(({ count }) => count)).toEqual([100]);
    expect(entries.length).toBeLessThanOrEqual(10);
    expect(entries.reduce((sum, { count }) => sum + count, 0)).toBeGreaterThan(740);
  });

  it('when writes are refused for the day’s budget, then the log counts the refusals and has no line for each', async () => {
    const spammer = await TestReporter.create(intake);
    await spammer.createCase('Spam.');
    const linesBefore = intake.logLines.length;
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await spammer.send('POST', '/api/v1/case/followups', { message: handMadeEnvelope('followup', 16 * KiB) })).status);
    }
    const refused = statuses.filter((status) => status === 507).length;
    expect(refused).toBeGreaterThanOrEqual(8);
    // Each refusal is the budget working, not the server failing: a line for each would date each attempt.
    expect(intake.logLines.slice(linesBefore)).toEqual([]);
    expect(flushed().filter(({ method, status }) => method === 'POST' && status === 507).map(({ count }) => count)).toEqual([refused]);
  });
});
