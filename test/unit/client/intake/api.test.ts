import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, BAD_ANSWER, fetchBodies, fetchProofOfWork } from '../../../../client/intake/api';

const answering = (body: string, status = 200, type = 'application/json') => {
  vi.stubGlobal('fetch', () => Promise.resolve(new Response(body, { status, headers: { 'Content-Type': type } })));
};

async function refusalOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (cause: unknown) => cause,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the intake client reading answers', () => {
  it('when an answer is the contract’s, then its value comes back', async () => {
    answering(JSON.stringify({ challenge: 'c', difficultyBits: 12, busy: false }), 201);
    expect(await fetchProofOfWork()).toEqual({ challenge: 'c', difficultyBits: 12, busy: false });
  });

  it('when an answer lacks a field, has another type or one field more, then it is a bad answer, not a value', async () => {
    for (const body of [{ challenge: 'c', busy: false }, { challenge: 'c', difficultyBits: '12', busy: false }, { challenge: 'c', difficultyBits: 12, busy: false, extra: 1 }]) {
      answering(JSON.stringify(body), 201);
      const error = await refusalOf(fetchProofOfWork());
      expect([error.status, error.code]).toEqual([201, BAD_ANSWER]);
    }
  });

  it('when a bad answer is described, then its details name where it differs, never the values', async () => {
    answering(JSON.stringify({ bodies: [{ id: 'a-body', name: 'secret name', more: 'secret value' }] }));
    const error = await refusalOf(fetchBodies());
    expect(error.details.join(' ')).toContain('bodies.0');
    expect(error.details.join(' ')).not.toContain('secret');
  });

  it('when the answer is not JSON (a proxy’s error page), then it is a bad answer that keeps its status', async () => {
    answering('<html>Bad gateway</html>', 502, 'text/html');
    const error = await refusalOf(fetchBodies());
    expect([error.status, error.code]).toEqual([502, BAD_ANSWER]);
  });

  it('when the server refuses, then the error carries its code and details; a refusal in no known form is a bad answer', async () => {
    answering(JSON.stringify({ error: { code: 'storage-full', message: 'Full.', details: ['daily-budget'] } }), 507);
    const error = await refusalOf(fetchBodies());
    expect([error.status, error.code, error.details]).toEqual([507, 'storage-full', ['daily-budget']]);
    for (const body of [{ message: 'no' }, { error: { code: 'teapot', message: 'A code no version of the contract has.' } }]) {
      answering(JSON.stringify(body), 418);
      expect((await refusalOf(fetchBodies())).code).toBe(BAD_ANSWER);
    }
  });
});
