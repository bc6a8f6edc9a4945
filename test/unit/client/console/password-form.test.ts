/** The password form's checks: the shared rule, checked in the browser before the server checks it again, and the form's own. */
import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../../../client/console/password-form';

const base = { username: 'alice', current: 'one-time-password-1', next: 'a good long passphrase', repeated: 'a good long passphrase' };

describe('passwordProblem', () => {
  it('when the new password follows the rule and is repeated, then there is no problem', () => {
    expect(passwordProblem(base)).toBeNull();
  });

  it('when it has 11 characters, then it is too short; 12 is enough', () => {
    expect(passwordProblem({ ...base, next: 'x'.repeat(11), repeated: 'x'.repeat(11) })).toBe('too-short');
    expect(passwordProblem({ ...base, next: 'x'.repeat(12), repeated: 'x'.repeat(12) })).toBeNull();
  });

  it('when characters outside the BMP are used, then they count as one each', () => {
    const emoji = '🔒'.repeat(12);
    expect(passwordProblem({ ...base, next: emoji, repeated: emoji })).toBeNull();
  });

  it('when it is longer than 256 characters, then it is too long', () => {
    expect(passwordProblem({ ...base, next: 'x'.repeat(257), repeated: 'x'.repeat(257) })).toBe('too-long');
  });

  it('when it is or contains the user name, in any case, then it is refused', () => {
    expect(passwordProblem({ username: 'investigator01', current: 'x', next: 'INVESTIGATOR01', repeated: 'INVESTIGATOR01' })).toBe('contains-username');
    // The server's rule, now the same one: a password that merely contains the name is refused too.
    expect(passwordProblem({ username: 'investigator01', current: 'x', next: 'my investigator01 phrase', repeated: 'my investigator01 phrase' })).toBe('contains-username');
  });

  it('when it equals the current one, then it is refused', () => {
    expect(passwordProblem({ ...base, current: base.next })).toBe('unchanged');
  });

  it('when the repetition differs, then that is the problem', () => {
    expect(passwordProblem({ ...base, repeated: 'a good long passphrasE' })).toBe('mismatch');
  });
});
