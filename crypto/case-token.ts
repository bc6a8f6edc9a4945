/**
 * Case tokens: the only secret a reporter keeps. 27 random Crockford base32 symbols (135 bits from
 * the CSPRNG) and one Luhn mod 32 check symbol, written in seven groups of four.
 */
import { CryptoError } from './errors';
import { randomBytes } from './random';
import type { CaseToken } from './types';

export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const TOKEN_DATA_SYMBOLS = 27;
export const TOKEN_SYMBOLS = TOKEN_DATA_SYMBOLS + 1;
const GROUP_SIZE = 4;
const RADIX = CROCKFORD_ALPHABET.length;

const SYMBOL_VALUES = new Map([...CROCKFORD_ALPHABET].map((symbol, value) => [symbol, value]));
// Crockford's decoding rules: letters people confuse with digits read as those digits.
const CONFUSABLES: Readonly<Record<string, string>> = { O: '0', I: '1', L: '1' };
const IGNORED = /[\s\-‐‑‒–—_.]/gu;

function symbolValue(symbol: string): number {
  const value = SYMBOL_VALUES.get(symbol);
  if (value === undefined) throw new CryptoError('token-invalid-character', `"${symbol}" is not a token character.`);
  return value;
}

/** Luhn mod N over the symbol values: catches every single substitution and most adjacent swaps. */
function luhnSum(values: readonly number[], doubleFirstFromRight: boolean): number {
  let sum = 0;
  let double = doubleFirstFromRight;
  for (let i = values.length - 1; i >= 0; i--) {
    let addend = (values[i] as number) * (double ? 2 : 1);
    addend = Math.floor(addend / RADIX) + (addend % RADIX);
    sum += addend;
    double = !double;
  }
  return sum % RADIX;
}

export function checkSymbolFor(dataSymbols: string): string {
  const remainder = luhnSum([...dataSymbols].map(symbolValue), true);
  return CROCKFORD_ALPHABET[(RADIX - remainder) % RADIX] as string;
}

function group(symbols: string): CaseToken {
  const groups: string[] = [];
  for (let i = 0; i < symbols.length; i += GROUP_SIZE) groups.push(symbols.slice(i, i + GROUP_SIZE));
  return groups.join('-') as CaseToken;
}

export function generateCaseToken(): CaseToken {
  // 256 is a multiple of 32, so taking each byte mod 32 keeps every symbol uniform.
  const data = [...randomBytes(TOKEN_DATA_SYMBOLS)].map((byte) => CROCKFORD_ALPHABET[byte % RADIX]).join('');
  return group(data + checkSymbolFor(data));
}

/**
 * Accepts what a person types or pastes: any case, spaces, dashes, and Crockford's confusable letters.
 * Returns the canonical grouped form, or throws a CryptoError saying what is wrong.
 */
export function parseCaseToken(input: string): CaseToken {
  const symbols = [...input.normalize('NFKC').toUpperCase().replace(IGNORED, '')]
    .map((symbol) => CONFUSABLES[symbol] ?? symbol)
    .join('');
  for (const symbol of symbols) symbolValue(symbol);
  if (symbols.length !== TOKEN_SYMBOLS) {
    throw new CryptoError(
      'token-invalid-length',
      `A case token has ${TOKEN_SYMBOLS} characters; this one has ${symbols.length}.`,
    );
  }
  if (luhnSum([...symbols].map(symbolValue), false) !== 0) {
    throw new CryptoError('token-checksum-mismatch', 'The case token has a typo: its check character does not match.');
  }
  return group(symbols);
}

/** The token's symbols without separators: the exact input of key derivation. */
export function tokenSymbols(token: CaseToken): string {
  return token.replaceAll('-', '');
}
