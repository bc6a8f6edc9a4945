/** The server's one error type: a stable code for clients, an HTTP status, and nothing internal. */
import { API_ERROR_STATUSES, type ApiErrorCode } from '../protocol/wire';

/** The codes and their statuses are the contract's (protocol/wire.ts), which clients parse errors with. */
export const APP_ERRORS = API_ERROR_STATUSES;

export type AppErrorCode = ApiErrorCode;

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
