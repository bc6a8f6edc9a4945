/** Every failure the console can meet, as a sentence for the investigator: by code, never by message text. */
import { isCryptoError } from '../../../crypto/index';
import { PASSWORD_MIN_LENGTH } from '../../../protocol/password-policy';
import { ApiError, BAD_ANSWER } from '../api/http';
import { FileDigestMismatchError } from '../case-crypto';
import { t, type StringKey } from '../strings';

/**
 * What the person was doing when it failed. The server answers every wrong secret alike (401
 * `unauthorized`, no details, so that an answer tells a guesser nothing more); the page knows which
 * secret was typed, and so what to say and what to do next.
 */
export type Attempt = 'sign-in' | 'totp-code' | 'recovery-code' | 'current-password' | 'totp-enrolment' | 'security-key';

const WRONG_SECRET: Readonly<Record<Attempt, StringKey>> = {
  'sign-in': 'error.wrongPassword',
  'totp-code': 'error.wrongTotpCode',
  'recovery-code': 'error.wrongRecoveryCode',
  'current-password': 'error.wrongCurrentPassword',
  'totp-enrolment': 'error.wrongCurrentPassword',
  'security-key': 'error.securityKey',
};

/** The field a refusal's details name first (`field: reason`, as the server's validation writes them). */
function refusedField(details: readonly string[]): string | undefined {
  return details.map((detail) => /^([\w.]+): /.exec(detail)?.[1]).find((field) => field !== undefined);
}

/** A refusal of something the person typed, by the field the details name; undefined when none is theirs. */
function typedInputText(error: ApiError, attempt: Attempt | undefined): string | undefined {
  const field = refusedField(error.details);
  if (field === 'newPassword') return t('error.newPasswordRule', { min: PASSWORD_MIN_LENGTH });
  if (field === 'code' && attempt === 'totp-enrolment') {
    return error.details.includes('code: does not match') ? t('error.enrolCodeMismatch') : t('error.codeFormat');
  }
  if (field === 'code' && attempt === 'recovery-code') return t('error.wrongRecoveryCode');
  if (field === 'code') return t('error.codeFormat');
  return undefined;
}

function apiErrorText(error: ApiError, attempt: Attempt | undefined): string {
  if (error.code === BAD_ANSWER) return t('error.badAnswer', { details: error.details.join('; ') });
  if (error.status === 429) {
    const retry = error.details.map((detail) => /^retry-after: (\d+)$/.exec(detail)?.[1]).find((seconds) => seconds !== undefined);
    return retry === undefined ? t('error.rateLimited') : t('error.rateLimitedFor', { seconds: retry });
  }
  if (error.status === 401) {
    if (error.details.includes('no-session')) return t('app.sessionEnded');
    if (error.details.includes('currentPassword: required')) return t('error.currentPasswordRequired');
    return attempt === undefined ? t('error.unauthorized') : t(WRONG_SECRET[attempt]);
  }
  if (error.status === 403) {
    if (error.details.includes('csrf')) return t('error.csrf');
    if (error.details.includes('password-change-required')) return t('error.passwordChangeRequired');
    return t('error.forbidden');
  }
  if (error.status === 404) return t('error.notFound');
  if (error.status === 400 || error.status === 409 || error.status === 422) {
    const typed = typedInputText(error, attempt);
    if (typed !== undefined) return typed;
    return error.details.length > 0 ? t('error.refusedBecause', { details: error.details.join('; ') }) : t('error.refused');
  }
  return t('error.server', { code: error.code });
}

export function errorText(error: unknown, attempt?: Attempt): string {
  if (error instanceof ApiError) return apiErrorText(error, attempt);
  if (isCryptoError(error)) {
    if (error.code === 'key-locked') return t('error.passphrase');
    if (error.code === 'directory-outdated') return t('error.directoryOutdated');
    if (error.code === 'directory-wrong-body') return t('error.directoryWrongBody');
    if (error.code === 'directory-not-pinned') return t('error.directoryNotPinned');
    if (error.code.startsWith('directory-')) return t('error.directory');
    // The crypto core's messages about keys are written for people: they name what is wrong with the key.
    if (error.code.startsWith('key-')) return t('error.key', { reason: error.message });
    return t('error.crypto', { code: error.code });
  }
  if (error instanceof FileDigestMismatchError) return t('error.fileDigest');
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'WebAuthnError' || name === 'NotAllowedError' || name === 'AbortError') return t('error.securityKey');
  if (error instanceof TypeError) return t('error.network');
  return t('error.generic');
}
