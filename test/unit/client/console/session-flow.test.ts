/** Which step of signing in the console shows for a session. */
import { describe, expect, it } from 'vitest';
import type { SessionAnswer } from '../../../../protocol/console-api/index';
import { sessionStep } from '../../../../client/console/session-flow';

function session(change: { stage?: SessionAnswer['stage']; totp?: boolean; webauthn?: number; mustChangePassword?: boolean }): SessionAnswer {
  return {
    stage: change.stage ?? 'complete',
    csrfToken: 'token',
    idleMinutes: 30,
    account: {
      id: 'id',
      username: 'alice',
      role: 'investigator',
      bodies: [],
      mustChangePassword: change.mustChangePassword ?? false,
      secondFactors: { totp: change.totp ?? true, webauthn: change.webauthn ?? 0, recoveryCodesLeft: 10 },
    },
  };
}

describe('sessionStep', () => {
  it('when there is no session, then the password is asked', () => {
    expect(sessionStep(null)).toBe('sign-in');
  });

  it('when the password was right and an app is set up, then the second step is asked', () => {
    expect(sessionStep(session({ stage: 'password' }))).toBe('second-factor');
  });

  it('when the password was right and only a security key is set up, then the second step is asked', () => {
    expect(sessionStep(session({ stage: 'password', totp: false, webauthn: 1 }))).toBe('second-factor');
  });

  it('when the account has no second factor yet, then it must enroll one', () => {
    expect(sessionStep(session({ stage: 'password', totp: false }))).toBe('enroll');
  });

  it('when the session is complete with a one-time password, then the password must be changed', () => {
    expect(sessionStep(session({ mustChangePassword: true }))).toBe('change-password');
  });

  it('when the session is complete, then the console is ready', () => {
    expect(sessionStep(session({}))).toBe('ready');
  });
});
