/** Single-use recovery codes for a lost second factor: shown once, stored only as SHA-256. */
import { createHash, randomBytes } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** `xxxxx-xxxxx-xxxxx`: 15 symbols of 31, about 74 bits each. */
export function newRecoveryCode(): string {
  const symbols: string[] = [];
  while (symbols.length < 15) {
    for (const byte of randomBytes(32)) if (byte < 248 && symbols.length < 15) symbols.push(ALPHABET[byte % ALPHABET.length] ?? '');
  }
  return [0, 5, 10].map((start) => symbols.slice(start, start + 5).join('')).join('-');
}

/** Codes are long and random, so a fast hash suffices; case and separators are forgiven. */
export function hashRecoveryCode(code: string): string {
  const normalized = code.toLowerCase().replace(/[^a-z0-9]/g, '');
  return createHash('sha256').update(`candor/v1/recovery-code\0${normalized}`).digest('hex');
}
