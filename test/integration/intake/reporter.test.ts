import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReply, sealReply, signCaseRequest, utf8Decode, utf8Encode } from '../../../crypto/index';
import type { Clock } from '../../../server/clock';
import { expectStatus, startTestIntake, TestReporter, type TestIntake } from '../../helpers/intake';

/** A clock the tests move by hand, to expire challenges without waiting. */
class ManualClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

let intake: TestIntake;
const clock = new ManualClock();

beforeAll(async () => {
  intake = await startTestIntake({ clock });
});
afterAll(() => intake.close());

describe('reporter authentication', () => {
  it('when the token holder signs a fresh challenge, then the status comes back with dates due', async () => {
    const reporter = await TestReporter.create(intake);
    await reporter.createCase();
    const { body } = expectStatus(await reporter.send('GET', '/api/v1/case'), 200);
    const today = clock.now().toISOString().slice(0, 10);
    expect(body).toMatchObject({ bodyId: intake.storage.cases.find(reporter.keys.caseId)!.bodyId, status: 'received', outcome: null, receivedOn: today, acknowledgedOn: null, feedbackOn: null, closedOn: null, nextAfter: null });
    expect(body.objects).toEqual([{ seq: 2, kind: 'reporter-copy', createdOn: today, size: intake.storage.cases.findObject(reporter.keys.caseId, 2, ['reporter-copy'])!.ciphertext.length }]);
    expect(body.acknowledgeDueOn).toBe(new Date(Date.parse(`${today}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10));
    expect((body.feedbackDueOn as string) > (body.acknowledgeDueOn as string)).toBe(true);
  });

  it('when each answer carries the next challenge, then a client chains requests without asking again', async () => {
    const reporter = await TestReporter.create(intake);
    await reporter.createCase();
    const first = expectStatus(await reporter.send('GET', '/api/v1/case'), 200);
    expect(first.headers['candor-next-challenge']).toMatch(/^[A-Za-z0-9_-]{51}$/);
    expectStatus(await reporter.send('GET', '/api/v1/case', undefined, { challenge: first.headers['candor-next-challenge']! }), 200);
  });

  describe('when the request is not exactly what the token holder signed', () => {
    let reporter: TestReporter;
    beforeAll(async () => {
      reporter = await TestReporter.create(intake);
      await reporter.createCase();
    });

    const signedGet = async (options: { challenge?: string; caseId?: string; path?: string; sign?: TestReporter } = {}) => {
      const challenge = options.challenge ?? (await reporter.challenge());
      const signer = options.sign ?? reporter;
      const signature = await signCaseRequest(signer.keys, { challenge, method: 'GET', path: options.path ?? '/api/v1/case', body: new Uint8Array(0) });
      return request(intake.app)
        .get('/api/v1/case')
        .set('Candor-Case-Id', options.caseId ?? reporter.keys.caseId)
        .set('Candor-Challenge', challenge)
        .set('Candor-Signature', signature);
    };

    it('then a replayed challenge is refused', async () => {
      const challenge = await reporter.challenge();
      expect((await signedGet({ challenge })).status).toBe(200);
      expect((await signedGet({ challenge })).status).toBe(401);
    });

    it('then an expired challenge is refused', async () => {
      const challenge = await reporter.challenge();
      clock.advance(61_000);
      expect((await signedGet({ challenge })).status).toBe(401);
    });

    it('then a challenge issued for another case is refused', async () => {
      const other = await TestReporter.create(intake);
      await other.createCase();
      expect((await signedGet({ challenge: await other.challenge() })).status).toBe(401);
    });

    it('then a signature by another case’s key, or over another path, is refused', async () => {
      const other = await TestReporter.create(intake);
      expect((await signedGet({ sign: other })).status).toBe(401);
      expect((await signedGet({ path: '/api/v1/case/uploads' })).status).toBe(401);
    });

    it('then a signed body that was changed on the way is refused', async () => {
      const challenge = await reporter.challenge();
      const signed = utf8Encode(JSON.stringify({ message: 'x' }));
      const signature = await signCaseRequest(reporter.keys, { challenge, method: 'POST', path: '/api/v1/case/followups', body: signed });
      const response = await request(intake.app)
        .post('/api/v1/case/followups')
        .set('Candor-Case-Id', reporter.keys.caseId)
        .set('Candor-Challenge', challenge)
        .set('Candor-Signature', signature)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ message: 'y' }));
      expect(response.status).toBe(401);
    });

    it('then an unknown case and a bad signature get the very same answer', async () => {
      const stranger = await TestReporter.create(intake);
      const unknown = await request(intake.app)
        .get('/api/v1/case')
        .set('Candor-Case-Id', stranger.keys.caseId)
        .set('Candor-Challenge', await stranger.challenge())
        .set('Candor-Signature', 'A'.repeat(86));
      const badSignature = await signedGet({ sign: stranger });
      expect(unknown.status).toBe(401);
      expect(badSignature.status).toBe(401);
      expect(unknown.text).toBe(badSignature.text);
      expect(unknown.headers['candor-next-challenge']).toBeUndefined();
    });

    it('then missing or malformed headers are refused the same way', async () => {
      expect((await request(intake.app).get('/api/v1/case')).status).toBe(401);
      expect((await request(intake.app).get('/api/v1/case').set('Candor-Case-Id', 'nope')).status).toBe(401);
      expect((await request(intake.app).post('/api/v1/case/challenge').send({ caseId: 'nope' })).status).toBe(400);
    });
  });
});

describe('follow-ups and replies', () => {
  it('when the reporter sends a follow-up with a copy, then both are stored and the copy reads back', async () => {
    const reporter = await TestReporter.create(intake);
    await reporter.createCase();
    const recipients = await reporter.recipients();
    const { encryptReport, toBase64Url } = await import('../../../crypto/index');
    const message = await encryptReport('More evidence: the invoices are fake.', recipients, { caseId: reporter.keys.caseId, kind: 'followup' });
    const copy = sealReply(reporter.keys.replyPublicKey, utf8Encode('More evidence: the invoices are fake.'), 'reporter-copy');
    const response = expectStatus(await reporter.send('POST', '/api/v1/case/followups', { message: toBase64Url(message), reporterCopy: toBase64Url(copy) }), 201);
    expect(response.body.seq).toBe(3);
    expect(intake.storage.cases.objects(reporter.keys.caseId, ['followup'])).toHaveLength(1);
    const { objects } = await reporter.readCase();
    expect(objects.map(({ seq, kind }) => [seq, kind])).toEqual([[2, 'reporter-copy'], [4, 'reporter-copy']]);
    expect(utf8Decode(openReply(reporter.keys, objects[1]!.sealed, 'reporter-copy'))).toBe('More evidence: the invoices are fake.');
  });

  it('when a follow-up is not a follow-up envelope, then it is refused with 400', async () => {
    const reporter = await TestReporter.create(intake);
    await reporter.createCase();
    const response = await reporter.send('POST', '/api/v1/case/followups', { message: 'Q05EUgEBAQ' });
    expect(response.status).toBe(400);
    expect((await reporter.send('POST', '/api/v1/case/followups', undefined, { raw: utf8Encode('{not json') })).status).toBe(400);
  });

  it('when a case has a short reply and another has none, then their status answers are the same size', async () => {
    const answered = await TestReporter.create(intake);
    await answered.createCase();
    intake.storage.cases.addObject(answered.keys.caseId, 'reply', sealReply(answered.keys.replyPublicKey, utf8Encode('We are on it.')), '2026-11-22' as never);
    const silent = await TestReporter.create(intake);
    await silent.createCase();
    const sizes = await Promise.all([answered, silent].map(async (reporter) => {
      const response = expectStatus(await reporter.send('GET', '/api/v1/case'), 200);
      return Number(response.headers['content-length']);
    }));
    expect(sizes[0]).toBe(sizes[1]);
  });

  it('when an investigator’s reply is stored for the case, then the reporter reads it decrypted', async () => {
    const reporter = await TestReporter.create(intake);
    await reporter.createCase();
    const sealed = sealReply(reporter.keys.replyPublicKey, utf8Encode('Thank you. We have opened an assessment.'));
    intake.storage.cases.addObject(reporter.keys.caseId, 'reply', sealed, '2026-11-22' as never);
    const { objects } = await reporter.readCase();
    const reply = objects.find(({ kind }) => kind === 'reply');
    expect(utf8Decode(openReply(reporter.keys, reply!.sealed))).toBe('Thank you. We have opened an assessment.');
  });
});
