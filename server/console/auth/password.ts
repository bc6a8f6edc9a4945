/**
 * Investigators' passwords: the policy and scrypt hashing. scrypt is memory-hard (128 MiB per hash
 * with these parameters), so a stolen database makes guessing slow even with special hardware.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordRuleProblem, type PasswordRuleProblem } from '../../../protocol/password-policy';

export { PASSWORD_MAX_LENGTH } from '../../../protocol/password-policy';

const FORMAT = 'scrypt';
const FORMAT_VERSION = 1;
const DEFAULT_PARAMS = { log2N: 17, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const HASH_BYTES = 32;

const RULE_TEXT: Readonly<Record<PasswordRuleProblem, string>> = {
  'too-short': `The password must have at least ${PASSWORD_MIN_LENGTH} characters.`,
  'too-long': `The password must have at most ${PASSWORD_MAX_LENGTH} characters.`,
  'contains-username': 'The password must not contain the user name.',
};

/** Why a new password is refused, or null when it is acceptable (protocol/password-policy.ts). */
export function passwordProblem(password: string, username: string): string | null {
  const problem = passwordRuleProblem(password, username);
  return problem === null ? null : RULE_TEXT[problem];
}

/**
 * Hashes running at once. Each takes 128 MiB and a libuv worker thread for a fraction of a second;
 * without a cap, a burst of sign-ins would take every worker from the intake's file operations.
 */
const MAX_CONCURRENT_HASHES = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

function derive(password: string, salt: Buffer, params: { log2N: number; r: number; p: number }): Promise<Buffer> {
  const N = 2 ** params.log2N;
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 256 * N * params.r };
  return withHashSlot(
    () =>
      new Promise((resolve, reject) => {
        scrypt(password.normalize('NFC'), salt, HASH_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
      }),
  );
}

/** `scrypt$1$<log2 N>$<r>$<p>$<salt b64url>$<hash b64url>`: parameters travel with the hash. */
export async function hashPassword(password: string, params: { log2N: number; r: number; p: number } = DEFAULT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, params);
  return [FORMAT, FORMAT_VERSION, params.log2N, params.r, params.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** Constant-time check; an unreadable stored hash is an error, never a match. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 7 || parts[0] !== FORMAT || parts[1] !== String(FORMAT_VERSION)) throw new Error('Unknown password hash format.');
  const [log2N, r, p] = parts.slice(2, 5).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[5] ?? '', 'base64url');
  const expected = Buffer.from(parts[6] ?? '', 'base64url');
  const actual = await derive(password, salt, { log2N, r, p });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** One-time passwords the admin hands over: 20 characters from an unambiguous alphabet (~100 bits). */
export function newOneTimePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(40);
  let out = '';
  for (const byte of bytes) {
    // Rejection sampling keeps every symbol equally likely (248 = 8 × 31).
    if (byte < 248 && out.length < 20) out += alphabet[byte % alphabet.length];
  }
  return out.length === 20 ? out : newOneTimePassword();
}
