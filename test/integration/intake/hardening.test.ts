import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../../crypto/index';
import { TestClock } from '../../helpers/console';
import { patternBytes } from '../../helpers/crypto';
import { expectStatus, startTestIntake, TestReporter, type TestIntake, postCase } from '../../helpers/intake';

let intake: TestIntake;

beforeAll(async () => {
  intake = await startTestIntake({ env: { CANDOR_RATE_REPORTER_REQUESTS_PER_MINUTE: '5' } });
});
afterAll(() => intake.close());

describe('response headers', () => {
  it.each(['/api/v1/bodies', '/no/such/page'])('when %s is fetched, then the strict headers are set', async (path) => {
    const response = await request(intake.app).get(path);
    const csp = response.headers['content-security-policy'];
    for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['x-powered-by']).toBeUndefined();
    expect(response.headers['strict-transport-security']).toBeUndefined();
    expect(response.headers['x-frame-options']).toBe('DENY');
  });

  it('when the API answers, then it forbids caching', async () => {
    expect((await request(intake.app).get('/api/v1/bodies')).headers['cache-control']).toBe('no-store');
  });
});

describe('errors', () => {
  it('when the server fails internally, then the client gets a generic JSON error without a stack', async () => {
    const broken = await startTestIntake({ investigator: intake.investigator });
    broken.storage.db.close();
    const response = await request(broken.app).get('/api/v1/bodies').expect(500);
    expect(response.body).toEqual({ error: { code: 'internal', message: 'Something went wrong on the server. Nothing was stored.' } });
    expect(response.text).not.toMatch(/at .*\.(ts|js)|node_modules|sqlite/i);
    expect(broken.logLines.some((line) => line.includes('"event":"request-failed"'))).toBe(true);
    expect(broken.logLines.join('\n')).not.toMatch(/at .*\.(ts|js)|database connection/i);
  });

  it('when an unknown route is requested, then 404 comes as JSON with a stable code', async () => {
    const response = await request(intake.app).post('/api/v1/admin').expect(404);
    expect(response.body.error.code).toBe('not-found');
  });
});

describe('rate limits behind Tor (every client is 127.0.0.1)', () => {
  it('when one case sends more requests a minute than allowed, then it is slowed down and another case is not', async () => {
    const busy = await TestReporter.create(intake);
    await busy.createCase();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await busy.send('GET', '/api/v1/case')).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const calm = await TestReporter.create(intake);
    await calm.createCase();
    expect((await calm.send('GET', '/api/v1/case')).status).toBe(200);
  });

  it('when cases are created faster than the quiet rate, then the work asked for rises a bit per doubling, up to the maximum, and falls back when quiet', async () => {
    const clock = new TestClock(Date.parse('2026-12-01T10:00:00Z'));
    // Quiet is 8 an hour, so 2 in the 15-minute window: the 2nd case adds a bit, the 4th another.
    const env = { CANDOR_POW_DIFFICULTY_BITS: '2', CANDOR_POW_MAX_DIFFICULTY_BITS: '4', CANDOR_POW_QUIET_CREATIONS_PER_HOUR: '8' };
    const flooded = await startTestIntake({ env, clock, investigator: intake.investigator });
    try {
      const asked = async () => (await request(flooded.app).post('/api/v1/proof-of-work').expect(201)).body as { difficultyBits: number; busy: boolean };
      const seen = [await asked()];
      for (let i = 0; i < 6; i++) {
        await (await TestReporter.create(flooded)).createCase();
        seen.push(await asked());
      }
      expect(seen.map(({ difficultyBits }) => difficultyBits)).toEqual([2, 2, 3, 3, 4, 4, 4]);
      expect(seen.map(({ busy }) => busy)).toEqual([false, false, true, true, true, true, true]);
      clock.advance(15 * 60_000);
      expect(await asked()).toEqual(expect.objectContaining({ difficultyBits: 2, busy: false }));
    } finally {
      flooded.close();
    }
  });

  it('when the price rose by more than a step after a challenge was fetched, then its work no longer buys a case, and fresh work does', async () => {
    const clock = new TestClock(Date.parse('2026-12-01T10:00:00Z'));
    const env = { CANDOR_POW_DIFFICULTY_BITS: '2', CANDOR_POW_MAX_DIFFICULTY_BITS: '6', CANDOR_POW_QUIET_CREATIONS_PER_HOUR: '4' };
    const flooded = await startTestIntake({ env, clock, investigator: intake.investigator });
    try {
      const late = await TestReporter.create(flooded);
      const hoarded = await late.caseCreationBody('fetched while quiet');
      for (let i = 0; i < 4; i++) await (await TestReporter.create(flooded)).createCase();
      const refused = await postCase(flooded.app, hoarded).expect(400);
      expect(refused.body.error.code).toBe('proof-of-work-required');
      await postCase(flooded.app, await late.caseCreationBody('fetched while quiet')).expect(201);
    } finally {
      flooded.close();
    }
  });
});

describe('logging', () => {
  it('when a whole reporter session runs, then the log holds counts per route and status only: no ids, keys, tokens, bodies, addresses or a line per request', async () => {
    const quiet = await startTestIntake({ investigator: intake.investigator });
    try {
      const reporter = await TestReporter.create(quiet);
      await reporter.createCase('LOG-SENTINEL report text');
      expectStatus(await reporter.send('GET', '/api/v1/case'), 200);
      expectStatus(await reporter.send('GET', '/api/v1/case'), 200);
      const { attachmentId, stored } = await reporter.upload(patternBytes(5000), 1000);
      await request(quiet.app).get('/api/v1/bodies/no-such-body').set('User-Agent', 'Mozilla/5.0 LOG-SENTINEL-AGENT');
      // Nothing is logged while requests come in: a line per request would date each of them.
      expect(quiet.logLines).toEqual([]);
      quiet.requestCounter.flush();
      const log = quiet.logLines.join('\n');
      const secrets = [
        reporter.token,
        reporter.token.replaceAll('-', ''),
        reporter.keys.caseId,
        toBase64Url(reporter.keys.authPublicKey),
        toBase64Url(reporter.keys.replyPublicKey),
        attachmentId,
        'LOG-SENTINEL',
        '127.0.0.1',
        '::ffff:',
        'Mozilla',
        'no-such-body',
      ];
      for (const secret of secrets) expect(log, secret).not.toContain(secret);
      const entries = quiet.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
      for (const entry of entries) expect(Object.keys(entry).sort()).toEqual(['count', 'event', 'level', 'method', 'route', 'status']);
      const count = (method: string, route: string) => entries.find((entry) => entry.method === method && entry.route === route)?.count;
      expect(count('GET', '/api/v1/case')).toBe(2);
      expect(count('PUT', '/api/v1/case/uploads/:uploadId')).toBe(Math.ceil(stored.length / 1000));
      // Sorted by what was counted, not by when: the order of lines says nothing of the order of requests.
      const keys = entries.map((entry) => `${String(entry.method)} ${String(entry.route)} ${String(entry.status)}`);
      expect(keys).toEqual([...keys].sort());
      quiet.requestCounter.flush();
      expect(quiet.logLines).toHaveLength(entries.length);
    } finally {
      quiet.close();
    }
  });
});
