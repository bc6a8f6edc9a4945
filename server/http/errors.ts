/** The one error middleware: a stable JSON error, the right status, and never a stack trace. */
import type { NextFunction, Request, Response } from 'express';
import { AppError, isStorageFull } from '../errors';
import type { Logger } from '../logger';
import type { ErrorAnswer } from '../../protocol/wire';

/** body-parser's errors carry a `type`; map the ones a client can cause to our codes. */
function fromBodyParser(error: { type?: unknown; status?: unknown }): AppError | undefined {
  switch (error.type) {
    case 'entity.too.large':
      return new AppError('payload-too-large', 'The request body is larger than this endpoint accepts.');
    case 'entity.parse.failed':
      return new AppError('bad-request', 'The request body is not valid JSON.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported-media-type', 'The request body encoding is not supported.');
    case 'request.aborted':
    case 'request.size.invalid':
      return new AppError('bad-request', 'The request body arrived incomplete.');
    default:
      return undefined;
  }
}

/** A request whose sender went away or stalled mid-body (a dropped circuit, the request time limit). */
function isAbortedRequest(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || message === 'aborted';
}

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isAbortedRequest(error)) return new AppError('bad-request', 'The request body arrived incomplete.', { cause: error });
  if (isStorageFull(error)) return new AppError('storage-full', 'The server has no space left; nothing was stored. Try again later.', { cause: error });
  const parsed = typeof error === 'object' && error !== null ? fromBodyParser(error) : undefined;
  if (parsed !== undefined) return parsed;
  // Other errors Express or body-parser mark as the client's (a bad percent-escape in a path, say).
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) return new AppError('bad-request', 'The request is malformed.', { cause: error });
  return new AppError('internal', 'Something went wrong on the server. Nothing was stored.', { cause: error });
}

export function errorMiddleware(logger: Logger) {
  // Express knows an error handler by its four parameters, so `_next` stays although it is not called.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  return (error: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    if (res.headersSent) {
      // A stream broke after the answer began (a download the client dropped, a damaged file): the
      // answer cannot be fixed any more, only cut, so the client sees it incomplete. Express's own
      // handler would print the whole error, message and stack, to stderr.
      const cause = error as { name?: unknown; code?: unknown } | null;
      logger.warn('response-aborted', { cause: String(cause?.name ?? 'unknown'), causeCode: String(cause?.code ?? '') });
      res.destroy();
      return;
    }
    const appError = toAppError(error);
    // A full disk and a failure are the operator's to know at once; a budget's refusal is an answer
    // like others, counted with them (a line each would date every refused attempt).
    if (appError.code === 'internal' || (appError.code === 'storage-full' && isStorageFull(appError.cause))) {
      const cause = appError.cause as { name?: unknown; code?: unknown } | undefined;
      // The class and code of what failed, not its message: messages can quote request data.
      logger.error('request-failed', { code: appError.code, cause: String(cause?.name ?? 'unknown'), causeCode: String(cause?.code ?? '') });
    }
    res.status(appError.status).json({
      error: { code: appError.code, message: appError.publicMessage, ...(appError.details.length > 0 ? { details: [...appError.details] } : {}) },
    } satisfies ErrorAnswer);
  };
}

export function notFound(_req: Request, _res: Response, next: NextFunction): void {
  next(new AppError('not-found', 'There is nothing at this address.'));
}
