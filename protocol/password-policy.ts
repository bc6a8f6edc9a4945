/**
 * The console's password rule (docs/console-api.md), one for both sides: the browser checks it
 * before asking, the server checks it again. Written once because two copies had already drifted
 * apart (the browser refused a password equal to the user name, the server one containing it).
 */

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export type PasswordRuleProblem = 'too-short' | 'too-long' | 'contains-username';

/** What is wrong with a new password, or null. Lengths count characters, not UTF-16 units. */
export function passwordRuleProblem(password: string, username: string): PasswordRuleProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'too-short';
  if (length > PASSWORD_MAX_LENGTH) return 'too-long';
  if (password.toLowerCase().includes(username.toLowerCase())) return 'contains-username';
  return null;
}
