import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { FIRST_LOCK_MS, FREE_ATTEMPTS, LONGEST_LOCK_MS, lockedUntil } from '../../../../server/console/auth/lockout';
import { hashPassword, newOneTimePassword, passwordProblem, verifyPassword } from '../../../../server/console/auth/password';
import { hashRecoveryCode, newRecoveryCode } from '../../../../server/console/auth/recovery-codes';
import { cookieValue } from '../../../../server/console/auth/sessions';
import { base32Decode, base32Encode, hotp, matchTotp, newTotpSecret, otpauthUri, totpCode, totpStep } from '../../../../server/console/auth/totp';

const FAST = { log2N: 10, r: 8, p: 1 };

describe('TOTP', () => {
  // RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890", 8 digits.
  const rfcSeed = new TextEncoder().encode('12345678901234567890');
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('when the RFC 6238 test time %i is used, then the code is %s', (seconds, code) => {
    expect(hotp(rfcSeed, totpStep(new Date(seconds * 1000)), 8)).toBe(code);
  });

  it('when base32 is encoded and decoded, then RFC 4648 examples hold and bad text is refused', () => {
    expect(base32Encode(new TextEncoder().encode('foobar'))).toBe('MZXW6YTBOI');
    expect(new TextDecoder().decode(base32Decode('MZXW6YTBOI')!)).toBe('foobar');
    expect(base32Decode('mzxw')).toBeNull();
    expect(base32Decode('MZ1W')).toBeNull();
    expect(base32Decode(newTotpSecret())).toHaveLength(20);
  });

  it.each([
    ['padding', 'MY======'],
    ['an impossible length', 'MZX'],
    ['non-zero leftover bits (a second spelling of "f")', 'MZ'],
  ])('when base32 text has %s, then it is refused', (_case, text) => {
    expect(base32Decode(text)).toBeNull();
  });

  it('when a code is checked, then the current and adjacent steps match once each and others never', () => {
    const secret = newTotpSecret();
    const bytes = base32Decode(secret)!;
    const now = new Date('2026-11-22T10:00:10Z');
    const step = totpStep(now);
    expect(matchTotp(bytes, totpCode(secret, now), now, null)).toBe(step);
    expect(matchTotp(bytes, totpCode(secret, now), now, step)).toBeNull();
    expect(matchTotp(bytes, totpCode(secret, new Date(now.getTime() - 30_000)), now, null)).toBe(step - 1);
    expect(matchTotp(bytes, totpCode(secret, new Date(now.getTime() + 30_000)), now, null)).toBe(step + 1);
    expect(matchTotp(bytes, totpCode(secret, new Date(now.getTime() - 90_000)), now, null)).toBeNull();
    expect(matchTotp(bytes, '12345', now, null)).toBeNull();
    expect(matchTotp(bytes, 'abcdef', now, null)).toBeNull();
  });

  it('when an otpauth URI is made, then authenticator apps find the secret, issuer and account in it', () => {
    const uri = new URL(otpauthUri('MZXW6YTBOI', 'alice', 'Candor'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Candor:alice');
    expect(uri.searchParams.get('secret')).toBe('MZXW6YTBOI');
    expect(uri.searchParams.get('issuer')).toBe('Candor');
  });
});

describe('passwords', () => {
  it('when a password is hashed, then only the same password verifies and the parameters travel with the hash', async () => {
    const stored = await hashPassword('correct horse battery', FAST);
    expect(stored).toMatch(/^scrypt\$1\$10\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await hashPassword('correct horse battery', FAST)).not.toBe(stored);
    await expect(verifyPassword('x', 'md5$abc')).rejects.toThrow();
  });

  it('when the default parameters are used, then the hash is memory-hard scrypt with N = 2^17', async () => {
    expect(await hashPassword('a long enough password')).toMatch(/^scrypt\$1\$17\$8\$1\$/);
  });

  it('when a new password is checked, then short, overlong and user-name passwords are refused', () => {
    expect(passwordProblem('short', 'alice')).toMatch(/at least 12/);
    expect(passwordProblem('x'.repeat(257), 'alice')).toMatch(/at most 256/);
    expect(passwordProblem('my-name-is-ALICE-ok', 'alice')).toMatch(/user name/);
    expect(passwordProblem('a perfectly fine phrase', 'alice')).toBeNull();
  });

  it('when one-time passwords and recovery codes are made, then they are long, unambiguous and distinct', () => {
    const passwords = new Set(Array.from({ length: 200 }, newOneTimePassword));
    expect(passwords.size).toBe(200);
    for (const password of passwords) expect(password).toMatch(/^[a-hj-km-np-z2-9]{20}$/);
    const code = newRecoveryCode();
    expect(code).toMatch(/^[a-hj-km-np-z2-9]{5}-[a-hj-km-np-z2-9]{5}-[a-hj-km-np-z2-9]{5}$/);
    expect(hashRecoveryCode(code.toUpperCase().replaceAll('-', ' '))).toBe(hashRecoveryCode(code));
    expect(hashRecoveryCode(newRecoveryCode())).not.toBe(hashRecoveryCode(code));
  });
});

describe('lockout', () => {
  it('when failures accumulate, then the lock starts after the free attempts, doubles, and is capped at an hour', () => {
    const now = 1_000_000;
    expect(lockedUntil(FREE_ATTEMPTS - 1, now)).toBeNull();
    expect(lockedUntil(FREE_ATTEMPTS, now)).toBe(now + FIRST_LOCK_MS);
    expect(lockedUntil(FREE_ATTEMPTS + 1, now)).toBe(now + 2 * FIRST_LOCK_MS);
    expect(lockedUntil(FREE_ATTEMPTS + 50, now)).toBe(now + LONGEST_LOCK_MS);
  });
});

describe('cookies', () => {
  const SESSION = 'a'.repeat(43);
  const DEVICE = 'b'.repeat(43);
  const request = (cookie?: string) => ({ headers: cookie === undefined ? {} : { cookie } }) as Request;

  it('when the Cookie header is read, then only the named cookie counts, the first one sent, exactly as sent', () => {
    expect(cookieValue(request(`candor_console_device=${DEVICE}; candor_console=${SESSION}`), 'candor_console')).toBe(SESSION);
    expect(cookieValue(request(`candor_console=${SESSION}; candor_console=${DEVICE}`), 'candor_console')).toBe(SESSION);
    expect(cookieValue(request(`candor_console=%61${SESSION.slice(1)}`), 'candor_console')).toBe(`%61${SESSION.slice(1)}`);
    expect(cookieValue(request('other=1'), 'candor_console')).toBeUndefined();
    expect(cookieValue(request(), 'candor_console')).toBeUndefined();
  });
});
