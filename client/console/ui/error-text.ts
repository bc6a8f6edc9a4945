/** Every failure the console can meet, as a sentence for the investigator: by code, never by message text. */
import { isCryptoError } from '../../../crypto/index';
import { ApiError, BAD_ANSWER } from '../api/http';
import { t } from '../strings';

function apiErrorText(error: ApiError): string {
  if (error.code === BAD_ANSWER) return t('error.badAnswer', { details: error.details.join('; ') });
  if (error.status === 429) {
    const retry = error.details.map((detail) => /^retry-after: (\d+)$/.exec(detail)?.[1]).find((seconds) => seconds !== undefined);
    return retry === undefined ? t('error.rateLimited') : t('error.rateLimitedFor', { seconds: retry });
  }
  if (error.status === 401) return error.details.includes('no-session') ? t('app.sessionEnded') : t('error.unauthorized');
  if (error.status === 403) {
    if (error.details.includes('csrf')) return t('error.csrf');
    if (error.details.includes('password-change-required')) return t('error.passwordChangeRequired');
    return t('error.forbidden');
  }
  if (error.status === 404) return t('error.notFound');
  if (error.status === 400 || error.status === 409 || error.status === 422) {
    return error.details.length > 0 ? t('error.refusedBecause', { details: error.details.join('; ') }) : t('error.refused');
  }
  return t('error.server', { code: error.code });
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return apiErrorText(error);
  if (isCryptoError(error)) {
    if (error.code === 'key-locked') return t('error.passphrase');
    if (error.code.startsWith('directory-')) return t('error.directory');
    // The crypto core's messages about keys are written for people: they name what is wrong with the key.
    if (error.code.startsWith('key-')) return t('error.key', { reason: error.message });
    return t('error.crypto', { code: error.code });
  }
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'WebAuthnError' || name === 'NotAllowedError' || name === 'AbortError') return t('error.securityKey');
  if (error instanceof TypeError) return t('error.network');
  return t('error.generic');
}
