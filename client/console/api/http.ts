/**
 * The console's one way to talk to its server: JSON with the session cookie, the CSRF token on every
 * request that changes something, and errors as `ApiError` with the server's code and details.
 */

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly details: readonly string[] = [],
  ) {
    super(`HTTP ${status} ${code}`);
  }
}

export type ChangeMethod = 'POST' | 'PATCH' | 'DELETE';

export interface ConsoleHttpOptions {
  /** Called when the server says the session is gone (expired, signed out elsewhere). */
  readonly onSessionLost: () => void;
}

async function errorOf(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: unknown; details?: unknown } };
  const code = typeof body.error?.code === 'string' ? body.error.code : 'unknown';
  const details = Array.isArray(body.error?.details) ? body.error.details.filter((d): d is string => typeof d === 'string') : [];
  return new ApiError(response.status, code, details);
}

export class ConsoleHttp {
  private csrfToken: string | null = null;
  private lastAnswer = Date.now();

  constructor(private readonly options: ConsoleHttpOptions) {}

  /** Every session answer carries the token; it changes with the session, so it is replaced each time. */
  useCsrfToken(token: string | null): void {
    this.csrfToken = token;
  }

  /** When the server last answered: each request restarts its idle timer (client/console/idle-lock.ts). */
  get lastRequestAt(): number {
    return this.lastAnswer;
  }

  private async checked(response: Response, { expectSession }: { expectSession: boolean }): Promise<Response> {
    this.lastAnswer = Date.now();
    if (response.ok) return response;
    const error = await errorOf(response);
    // The tab holds a session exactly while it holds its CSRF token: then "no session" means it was lost.
    const lost = expectSession || (error.details.includes('no-session') && this.csrfToken !== null);
    if (error.status === 401 && lost) this.options.onSessionLost();
    throw error;
  }

  async get<T>(path: string, options: { expectSession?: boolean } = {}): Promise<T> {
    const response = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    return (await (await this.checked(response, { expectSession: options.expectSession ?? true })).json()) as T;
  }

  /** A whole binary body, for one stored object of a case: bounded by the server's limit on one object. */
  async bytes(path: string): Promise<Uint8Array> {
    const response = await this.checked(await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/octet-stream' } }), { expectSession: true });
    return new Uint8Array(await response.arrayBuffer());
  }

  /** A response body as a stream, for attachments: nothing is buffered here. */
  async stream(path: string): Promise<ReadableStream<Uint8Array>> {
    const response = await this.checked(await fetch(path, { credentials: 'same-origin' }), { expectSession: true });
    if (response.body === null) throw new ApiError(response.status, 'empty-body');
    return response.body;
  }

  /**
   * Sends a change. `expectSession: false` is for signing in and its second factor, where a 401 means
   * a wrong password or code, not a lost session, unless the server says there is no session at all.
   */
  async send<T>(method: ChangeMethod, path: string, body?: unknown, options: { expectSession?: boolean } = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.csrfToken !== null) headers['X-Candor-CSRF'] = this.csrfToken;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const ok = await this.checked(response, { expectSession: options.expectSession ?? true });
    // 204, and some 201s, have no body.
    const text = await ok.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
}
