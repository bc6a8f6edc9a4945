/** ConsoleHttp: which refusals end the session in the page, which are only a wrong answer, and answers that break the contract. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, BAD_ANSWER, ConsoleHttp } from '../../../../client/console/api/http';
import { casePageAnswerSchema, objectCreatedAnswerSchema, sessionAnswerSchema } from '../../../../protocol/console-api/index';

function answerWith(status: number, details: readonly string[]): void {
  answer(status, JSON.stringify({ error: { code: 'unauthorized', message: 'x', details } }));
}

function answer(status: number, body: string | null): void {
  vi.stubGlobal('fetch', async () => new Response(body, { status, headers: { 'Content-Type': 'application/json' } }));
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('ConsoleHttp', () => {
  it('when a second-factor code is wrong, then the session is kept and the error is thrown', async () => {
    const onSessionLost = vi.fn();
    answerWith(401, []);
    await expect(new ConsoleHttp({ onSessionLost }).send('POST', '/api/v1/session/totp', sessionAnswerSchema, { code: '000000' }, { expectSession: false })).rejects.toBeInstanceOf(ApiError);
    expect(onSessionLost).not.toHaveBeenCalled();
  });

  it('when the server has no session for the second step, then the page is told the session ended', async () => {
    const onSessionLost = vi.fn();
    const http = new ConsoleHttp({ onSessionLost });
    http.useCsrfToken('the token of the password step');
    answerWith(401, ['no-session']);
    await expect(http.send('POST', '/api/v1/session/totp', sessionAnswerSchema, { code: '000000' }, { expectSession: false })).rejects.toMatchObject({ status: 401, details: ['no-session'] });
    expect(onSessionLost).toHaveBeenCalledOnce();
  });

  it('when the page first asks for its session and there is none, then that is no lost session', async () => {
    const onSessionLost = vi.fn();
    answerWith(401, ['no-session']);
    await expect(new ConsoleHttp({ onSessionLost }).get('/api/v1/session', sessionAnswerSchema, { expectSession: false })).rejects.toBeInstanceOf(ApiError);
    expect(onSessionLost).not.toHaveBeenCalled();
  });

  it('when any request inside a session gets a 401, then the page is told the session ended', async () => {
    const onSessionLost = vi.fn();
    answerWith(401, []);
    await expect(new ConsoleHttp({ onSessionLost }).get('/api/v1/cases', casePageAnswerSchema)).rejects.toBeInstanceOf(ApiError);
    expect(onSessionLost).toHaveBeenCalledOnce();
  });

  it('when an answer matches its schema, then it is returned as parsed', async () => {
    answer(201, JSON.stringify({ seq: 7 }));
    await expect(new ConsoleHttp({ onSessionLost: vi.fn() }).send('POST', '/api/v1/cases/x/notes', objectCreatedAnswerSchema, { message: 'x' })).resolves.toEqual({ seq: 7 });
  });

  it('when an answer does not match its schema, then it is a bad-answer ApiError naming the field, and the session is kept', async () => {
    const onSessionLost = vi.fn();
    answer(200, JSON.stringify({ cases: [{ id: 'not a case id' }], nextCursor: null }));
    const refused = new ConsoleHttp({ onSessionLost }).get('/api/v1/cases', casePageAnswerSchema);
    await expect(refused).rejects.toBeInstanceOf(ApiError);
    await expect(refused).rejects.toMatchObject({ status: 200, code: BAD_ANSWER, details: expect.arrayContaining([expect.stringContaining('cases.0.id')]) });
    expect(onSessionLost).not.toHaveBeenCalled();
  });

  it('when an answer carries a field the contract does not name, then it is refused rather than passed on', async () => {
    answer(201, JSON.stringify({ seq: 7, passwordHash: 'x' }));
    await expect(new ConsoleHttp({ onSessionLost: vi.fn() }).send('POST', '/api/v1/cases/x/notes', objectCreatedAnswerSchema, { message: 'x' })).rejects.toMatchObject({ code: BAD_ANSWER });
  });

  it('when an answer is not JSON, then it is a bad-answer ApiError, not a crash', async () => {
    answer(200, '<html>proxy</html>');
    await expect(new ConsoleHttp({ onSessionLost: vi.fn() }).get('/api/v1/cases', casePageAnswerSchema)).rejects.toMatchObject({ code: BAD_ANSWER, details: ['/api/v1/cases: not JSON'] });
  });

  it('when a change that answers nothing gets a body instead, then it is a bad-answer ApiError; 204 is accepted', async () => {
    answer(200, JSON.stringify({ ok: true }));
    await expect(new ConsoleHttp({ onSessionLost: vi.fn() }).sendWithoutAnswer('DELETE', '/api/v1/session')).rejects.toMatchObject({ code: BAD_ANSWER });
    answer(204, null);
    await expect(new ConsoleHttp({ onSessionLost: vi.fn() }).sendWithoutAnswer('DELETE', '/api/v1/session')).resolves.toBeUndefined();
  });

  it('when a refusal is not the error shape (a proxy page), then it keeps its status with code unknown', async () => {
    answer(502, '<html>bad gateway</html>');
    await expect(new ConsoleHttp({ onSessionLost: vi.fn() }).get('/api/v1/cases', casePageAnswerSchema)).rejects.toMatchObject({ status: 502, code: 'unknown', details: [] });
  });
});
