/** The console's password rule (docs/console-api.md), checked before asking the server, which checks it again. */

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export type PasswordProblem = 'too-short' | 'too-long' | 'is-username' | 'mismatch' | 'unchanged';

export function passwordProblem(input: { username: string; current: string; next: string; repeated: string }): PasswordProblem | null {
  if ([...input.next].length < PASSWORD_MIN) return 'too-short';
  if ([...input.next].length > PASSWORD_MAX) return 'too-long';
  if (input.next.trim().toLowerCase() === input.username.toLowerCase()) return 'is-username';
  if (input.next === input.current) return 'unchanged';
  if (input.next !== input.repeated) return 'mismatch';
  return null;
}
