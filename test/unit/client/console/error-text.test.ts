/** Failures shown as sentences, chosen by code and details, never by message text. */
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../../../../crypto/index';
import { ApiError } from '../../../../client/console/api/http';
import { errorText } from '../../../../client/console/ui/error-text';

describe('errorText', () => {
  it('when the account is locked out, then the wait the server names is said', () => {
    expect(errorText(new ApiError(429, 'rate-limited', ['retry-after: 120']))).toBe('Too many attempts. Try again in 120 seconds.');
  });

  it('when a code is refused, then it is called wrong; when the session is gone, then the session is said to have ended', () => {
    expect(errorText(new ApiError(401, 'unauthorized'))).toContain('not right');
    expect(errorText(new ApiError(401, 'unauthorized', ['no-session']))).toContain('session ended');
  });

  it('when the CSRF token is missing, then a reload is advised rather than "not allowed"', () => {
    expect(errorText(new ApiError(403, 'forbidden', ['csrf']))).toContain('Reload');
  });

  it('when the server refuses with details, then the details are shown', () => {
    expect(errorText(new ApiError(400, 'bad-request', ['assigneeId: not an investigator of this body']))).toContain('assigneeId: not an investigator of this body');
  });

  it('when an answer does not match the contract, then a reload is advised and what did not match is named', () => {
    const text = errorText(new ApiError(200, 'bad-answer', ['/api/v1/cases cases.0.id: a case id is 64 lower-case hex characters']));
    expect(text).toContain('Reload');
    expect(text).toContain('cases.0.id');
  });

  it('when a passphrase is wrong, then that is said', () => {
    expect(errorText(new CryptoError('key-locked', 'x'))).toBe('This passphrase does not unlock the key.');
  });

  it('when a directory fails to verify, then nothing-was-encrypted is said, whatever the exact code', () => {
    expect(errorText(new CryptoError('directory-not-pinned', 'x'))).toContain('Nothing was encrypted');
    expect(errorText(new CryptoError('directory-expired', 'x'))).toContain('Nothing was encrypted');
  });

  it('when fetch fails, then the network is blamed', () => {
    expect(errorText(new TypeError('Failed to fetch'))).toContain('cannot be reached');
  });

  it('when a security key is cancelled, then that is said', () => {
    expect(errorText(Object.assign(new Error('cancelled'), { name: 'NotAllowedError' }))).toContain('security key');
  });
});
