/** The one error type of the crypto core. Callers branch on `code`, never on `message`. */

export type CryptoErrorCode =
  | 'unsupported-platform'
  | 'token-invalid-length'
  | 'token-invalid-character'
  | 'token-checksum-mismatch'
  | 'encoding-invalid'
  | 'envelope-invalid'
  | 'envelope-unknown-version'
  | 'envelope-wrong-kind'
  | 'binding-mismatch'
  | 'decryption-failed'
  | 'encryption-failed'
  | 'attachment-truncated'
  | 'attachment-out-of-order'
  | 'attachment-frame-too-large'
  | 'signature-invalid'
  | 'directory-invalid'
  | 'directory-unsigned'
  | 'directory-not-pinned'
  | 'directory-expired'
  | 'directory-wrong-body'
  | 'directory-outdated'
  | 'signed-message-invalid'
  | 'manifest-invalid'
  | 'manifest-not-pinned'
  | 'key-invalid'
  | 'key-is-private'
  | 'key-weak'
  | 'key-expired'
  | 'key-revoked'
  | 'key-no-encryption-subkey'
  | 'key-unsupported-version'
  | 'key-unsupported-algorithm'
  | 'key-locked'
  | 'key-not-locked'
  | 'proof-of-work-exhausted';

export class CryptoError extends Error {
  override readonly name = 'CryptoError';

  constructor(
    readonly code: CryptoErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isCryptoError(error: unknown, code?: CryptoErrorCode): error is CryptoError {
  return error instanceof CryptoError && (code === undefined || error.code === code);
}
