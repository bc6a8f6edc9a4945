/** Failures shown as sentences, chosen by code and details, never by message text. */
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../../../../crypto/index';
import { ApiError } from '../../../../client/console/api/http';
import { errorText, type Attempt } from '../../../../client/console/ui/error-text';

describe('errorText', () => {
  it('when the account is locked out, then the wait the server names is said', () => {
    const text = errorText(new ApiError(429, 'rate-limited', ['retry-after: 120']), 'sign-in');
    expect(text).toContain('locked for 120 seconds');
    expect(text).toContain('Wait, then try again');
  });

  it('when a code is refused, then it is called wrong; when the session is gone, then the session is said to have ended', () => {
    expect(errorText(new ApiError(401, 'unauthorized'))).toContain('not right');
    expect(errorText(new ApiError(401, 'unauthorized', ['no-session']))).toContain('session ended');
  });

  // What the server answers for each mistake a person can make while signing in or setting up a second step.
  const wrongSecret = new ApiError(401, 'unauthorized');
  const refusedCode = (detail: string) => new ApiError(400, 'bad-request', [detail]);
  const mistakes: readonly { what: string; error: unknown; attempt?: Attempt; says: string }[] = [
    { what: 'a wrong password at sign-in', error: wrongSecret, attempt: 'sign-in', says: 'The user name or password is not right. Check both' },
    { what: 'a wrong or expired code from the app', error: wrongSecret, attempt: 'totp-code', says: 'Enter the code your authenticator app shows now' },
    { what: 'a wrong recovery code', error: wrongSecret, attempt: 'recovery-code', says: 'use another of your codes' },
    { what: 'a wrong current password', error: wrongSecret, attempt: 'current-password', says: 'Your current password is not right. Type it again.' },
    { what: 'a locked account', error: new ApiError(429, 'rate-limited', ['retry-after: 60']), attempt: 'totp-code', says: 'locked for 60 seconds' },
    { what: 'an enrolment code that does not match the secret', error: refusedCode('code: does not match'), attempt: 'totp-enrolment', says: 'This code does not match the secret.' },
    { what: 'an enrolment code that is not six digits', error: refusedCode('code: six digits'), attempt: 'totp-enrolment', says: 'has 6 digits' },
    { what: 'a new password against the rule', error: refusedCode('newPassword: The password must have at least 12 characters.'), attempt: 'current-password', says: 'at least 12 characters' },
    { what: 'a new password equal to the current one', error: refusedCode('newPassword: same as the current one'), attempt: 'current-password', says: 'not your current password' },
    { what: 'a cancelled passkey', error: Object.assign(new Error('cancelled'), { name: 'NotAllowedError' }), attempt: 'security-key', says: 'Try again and touch the key' },
    { what: 'a security key answer the server refuses', error: wrongSecret, attempt: 'security-key', says: 'Try again and touch the key' },
  ];

  for (const mistake of mistakes) {
    it(`when a person makes ${mistake.what}, then plain words say what to do next, and nothing of the server's wording`, () => {
      const text = errorText(mistake.error, mistake.attempt);
      expect(text).toContain(mistake.says);
      expect(text).not.toMatch(/refused|server|code: |newPassword|unauthorized|bad-request/);
    });
  }

  it('when the issue\'s example happens (an enrolment code that does not match), then "The server refused this request" is not shown', () => {
    expect(errorText(refusedCode('code: does not match'), 'totp-enrolment')).not.toContain('The server refused this request');
  });

  it('when a refusal is not about something typed, then the details stay shown', () => {
    expect(errorText(new ApiError(409, 'conflict', ['key: key-expired']), 'totp-enrolment')).toContain('key: key-expired');
  });

  it('when no attempt is named, then a refused secret keeps the general wording', () => {
    expect(errorText(wrongSecret)).toBe('The user name, password or code is not right.');
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
