/**
 * The console's one way to talk to its server: JSON with the session cookie, the CSRF token on every
 * request that changes something, every answer parsed with its schema from protocol/console-api/, and
 * errors as `ApiError` with the server's code and details.
 */
import type { z } from 'zod';
import { errorAnswerSchema } from '../../../protocol/wire';

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

/**
 * The code of an answer that does not match the contract (or is not JSON): this console and its
 * server disagree, e.g. a tab left open across an upgrade. Its details name what did not match.
 */
export const BAD_ANSWER = 'bad-answer';

export type ChangeMethod = 'POST' | 'PATCH' | 'DELETE';

export interface ConsoleHttpOptions {
  /** Called when the server says the session is gone (expired, signed out elsewhere). */
  readonly onSessionLost: () => void;
}

/** A refusal as the server words it; one that is not (a proxy's page, say) keeps its status, with code `unknown`. */
async function errorOf(response: Response): Promise<ApiError> {
  const parsed = errorAnswerSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) return new ApiError(response.status, 'unknown');
  return new ApiError(response.status, parsed.data.error.code, parsed.data.error.details ?? []);
}

/** Reads an answer with its schema: anything else is an `ApiError` with code BAD_ANSWER, never a value cast to a type it lacks. */
async function parsedAnswer<S extends z.ZodType>(response: Response, path: string, schema: S): Promise<z.output<S>> {
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new ApiError(response.status, BAD_ANSWER, [`${path}: not JSON`]);
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new ApiError(response.status, BAD_ANSWER, parsed.error.issues.slice(0, 5).map((issue) => `${path} ${issue.path.join('.') || 'answer'}: ${issue.message}`));
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

  async get<S extends z.ZodType>(path: string, answer: S, options: { expectSession?: boolean } = {}): Promise<z.output<S>> {
    const response = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    return parsedAnswer(await this.checked(response, { expectSession: options.expectSession ?? true }), path, answer);
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
   * Sends a change and parses the answer with `answer`. `expectSession: false` is for signing in and
   * its second factor, where a 401 means a wrong password or code, not a lost session, unless the
   * server says there is no session at all.
   */
  async send<S extends z.ZodType>(method: ChangeMethod, path: string, answer: S, body?: unknown, options: { expectSession?: boolean } = {}): Promise<z.output<S>> {
    return parsedAnswer(await this.change(method, path, body, options), path, answer);
  }

  /** Sends a change the server answers with `204 No Content`; any other success is a BAD_ANSWER. */
  async sendWithoutAnswer(method: ChangeMethod, path: string, body?: unknown, options: { expectSession?: boolean } = {}): Promise<void> {
    const response = await this.change(method, path, body, options);
    if (response.status !== 204) throw new ApiError(response.status, BAD_ANSWER, [`${path}: expected no content`]);
  }

  private async change(method: ChangeMethod, path: string, body: unknown, options: { expectSession?: boolean }): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.csrfToken !== null) headers['X-Candor-CSRF'] = this.csrfToken;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return this.checked(response, { expectSession: options.expectSession ?? true });
  }
}
