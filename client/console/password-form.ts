/** The password form's checks: the shared rule (protocol/password-policy.ts), then what only the form knows. */
import { passwordRuleProblem, type PasswordRuleProblem } from '../../protocol/password-policy';

export type PasswordProblem = PasswordRuleProblem | 'mismatch' | 'unchanged';

export function passwordProblem(input: { username: string; current: string; next: string; repeated: string }): PasswordProblem | null {
  const rule = passwordRuleProblem(input.next, input.username);
  if (rule !== null) return rule;
  if (input.next === input.current) return 'unchanged';
  if (input.next !== input.repeated) return 'mismatch';
  return null;
}
