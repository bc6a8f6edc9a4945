/** Where a session stands on the way to the console: which step the investigator must take next. */
import type { SessionAnswer } from '../../protocol/console-api/index';

export type SessionStep = 'sign-in' | 'second-factor' | 'enroll' | 'change-password' | 'ready';

export function sessionStep(session: SessionAnswer | null): SessionStep {
  if (session === null) return 'sign-in';
  const { account } = session;
  if (session.stage === 'password') return account.secondFactors.totp || account.secondFactors.webauthn > 0 ? 'second-factor' : 'enroll';
  return account.mustChangePassword ? 'change-password' : 'ready';
}
