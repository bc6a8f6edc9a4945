import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../../crypto/index';
import { patternBytes } from '../../helpers/crypto';
import { expectStatus, startTestIntake, TestReporter, type TestIntake } from '../../helpers/intake';

let intake: TestIntake;

beforeAll(async () => {
  intake = await startTestIntake({ env: { CANDOR_RATE_REPORTER_REQUESTS_PER_MINUTE: '5', CANDOR_RATE_CASE_CREATIONS_PER_HOUR: '1000' } });
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

  it('when more cases are started in an hour than the intake accepts, then proof-of-work challenges run out', async () => {
    const strict = await startTestIntake({ env: { CANDOR_RATE_CASE_CREATIONS_PER_HOUR: '2' }, investigator: intake.investigator });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await request(strict.app).post('/api/v1/proof-of-work')).status);
      expect(statuses).toEqual([201, 201, 429]);
    } finally {
      strict.close();
    }
  });
});

describe('logging', () => {
  it('when a whole reporter session runs, then the log holds metadata only: no ids, keys, tokens, bodies or addresses', async () => {
    const quiet = await startTestIntake({ investigator: intake.investigator });
    try {
      const reporter = await TestReporter.create(quiet);
      await reporter.createCase('LOG-SENTINEL report text');
      expectStatus(await reporter.send('GET', '/api/v1/case'), 200);
      const { attachmentId } = await reporter.upload(patternBytes(5000));
      await request(quiet.app).get('/api/v1/bodies/no-such-body').set('User-Agent', 'Mozilla/5.0 LOG-SENTINEL-AGENT');
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
      for (const line of quiet.logLines) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        expect(Object.keys(entry).every((key) => ['level', 'event', 'method', 'route', 'status', 'duration'].includes(key))).toBe(true);
        expect(entry.duration).toMatch(/^(<|>=)\d+ms$/);
      }
      expect(log).toContain('"route":"/api/v1/case/uploads/:uploadId"');
    } finally {
      quiet.close();
    }
  });
});
