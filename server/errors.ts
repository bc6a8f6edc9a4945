/** The server's one error type: a stable code for clients, an HTTP status, and nothing internal. */

export const APP_ERRORS = {
  'bad-request': 400,
  'proof-of-work-required': 400,
  'unauthorized': 401,
  'forbidden': 403,
  'not-found': 404,
  'conflict': 409,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'limit-reached': 422,
  'rate-limited': 429,
  'storage-full': 507,
  'internal': 500,
} as const;

export type AppErrorCode = keyof typeof APP_ERRORS;

export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    readonly code: AppErrorCode,
    /** Safe to show to the client: says what was wrong with the request, never how the server works. */
    readonly publicMessage: string,
    options?: { cause?: unknown; details?: readonly string[] },
  ) {
    super(publicMessage, options);
    this.details = options?.details ?? [];
  }

  readonly details: readonly string[];

  get status(): number {
    return APP_ERRORS[this.code];
  }
}

/** Disk or database full: the one storage failure the client should hear about as such. */
export function isStorageFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG' || code === 'SQLITE_FULL';
}
