/**
 * TOTP second factor (RFC 6238 over RFC 4226 HOTP): HMAC-SHA-1, 6 digits, 30-second steps, the form
 * every authenticator app reads. Twenty lines against the RFC's own test vectors were clearer than a
 * dependency; the secret's base32 comes from @scure/base (see README, dependency notes).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { base32nopad } from '@scure/base';

export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps of clock drift accepted either way. */
export const TOTP_WINDOW = 1;
const SECRET_BYTES = 20;

/** RFC 4648 base32, unpadded and upper case: the form otpauth URIs carry secrets in. */
export function base32Encode(bytes: Uint8Array): string {
  return base32nopad.encode(bytes);
}

/** Decodes canonical unpadded upper-case base32; null for anything else. */
export function base32Decode(text: string): Uint8Array | null {
  try {
    return base32nopad.decode(text);
  } catch {
    // The codec throws only for text that is not such base32 (alphabet, case, length, leftover bits).
    return null;
  }
}

export function newTotpSecret(): string {
  return base32Encode(randomBytes(SECRET_BYTES));
}

export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_STEP_SECONDS);
}

export function hotp(secret: Uint8Array, counter: number, digits = TOTP_DIGITS, algorithm: 'sha1' | 'sha256' | 'sha512' = 'sha1'): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, secret).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The code an authenticator app shows at `at` for a base32 secret (tests use it to sign in). */
export function totpCode(secretBase32: string, at: Date): string {
  const secret = base32Decode(secretBase32);
  if (secret === null) throw new Error('The TOTP secret is not base32.');
  return hotp(secret, totpStep(at));
}

/**
 * The step whose code matches, within the window and strictly after `lastUsedStep` (a code is good
 * once: a shoulder-surfed or replayed code fails), or null.
 */
export function matchTotp(secret: Uint8Array, code: string, at: Date, lastUsedStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const now = totpStep(at);
  let matched: number | null = null;
  for (let step = now - TOTP_WINDOW; step <= now + TOTP_WINDOW; step += 1) {
    // Every step is compared, in constant time, so timing does not tell which one matched.
    const same = timingSafeEqual(Buffer.from(hotp(secret, step)), Buffer.from(code));
    if (same && (lastUsedStep === null || step > lastUsedStep) && matched === null) matched = step;
  }
  return matched;
}

export function otpauthUri(secretBase32: string, username: string, issuer: string): string {
  const label = encodeURIComponent(`${issuer}:${username}`);
  const query = new URLSearchParams({ secret: secretBase32, issuer, algorithm: 'SHA1', digits: String(TOTP_DIGITS), period: String(TOTP_STEP_SECONDS) });
  return `otpauth://totp/${label}?${query.toString()}`;
}
