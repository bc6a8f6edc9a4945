/** The one error type of the operator's tools (backup, restore, purge, case export). Callers branch on `code`. */

export type OperationErrorCode =
  | 'not-a-data-dir'
  | 'output-exists'
  | 'target-not-empty'
  | 'not-a-backup'
  | 'backup-unknown-version'
  | 'backup-invalid'
  | 'backup-file-mismatch'
  | 'source-changed'
  | 'blob-missing'
  | 'integrity-check-failed'
  | 'case-not-found'
  | 'stored-object-invalid'
  | 'attachment-invalid';

export class OperationError extends Error {
  override readonly name = 'OperationError';

  constructor(
    readonly code: OperationErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
