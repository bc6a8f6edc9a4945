/** ConsoleHttp: which refusals end the session in the page, and which are only a wrong answer. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, ConsoleHttp } from '../../../../client/console/api/http';

function answerWith(status: number, details: readonly string[]): void {
  vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: { code: 'unauthorized', message: 'x', details } }), { status, headers: { 'Content-Type': 'application/json' } }));
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('ConsoleHttp', () => {
  it('when a second-factor code is wrong, then the session is kept and the error is thrown', async () => {
    const onSessionLost = vi.fn();
    answerWith(401, []);
    await expect(new ConsoleHttp({ onSessionLost }).send('POST', '/api/v1/session/totp', { code: '000000' }, { expectSession: false })).rejects.toBeInstanceOf(ApiError);
    expect(onSessionLost).not.toHaveBeenCalled();
  });

  it('when the server has no session for the second step, then the page is told the session ended', async () => {
    const onSessionLost = vi.fn();
    const http = new ConsoleHttp({ onSessionLost });
    http.useCsrfToken('the token of the password step');
    answerWith(401, ['no-session']);
    await expect(http.send('POST', '/api/v1/session/totp', { code: '000000' }, { expectSession: false })).rejects.toMatchObject({ status: 401, details: ['no-session'] });
    expect(onSessionLost).toHaveBeenCalledOnce();
  });

  it('when the page first asks for its session and there is none, then that is no lost session', async () => {
    const onSessionLost = vi.fn();
    answerWith(401, ['no-session']);
    await expect(new ConsoleHttp({ onSessionLost }).get('/api/v1/session', { expectSession: false })).rejects.toBeInstanceOf(ApiError);
    expect(onSessionLost).not.toHaveBeenCalled();
  });

  it('when any request inside a session gets a 401, then the page is told the session ended', async () => {
    const onSessionLost = vi.fn();
    answerWith(401, []);
    await expect(new ConsoleHttp({ onSessionLost }).get('/api/v1/cases')).rejects.toBeInstanceOf(ApiError);
    expect(onSessionLost).toHaveBeenCalledOnce();
  });
});
