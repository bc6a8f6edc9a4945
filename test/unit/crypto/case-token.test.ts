import { describe, expect, it } from 'vitest';
import { generateCaseToken, parseCaseToken, TOKEN_SYMBOLS } from '../../../crypto/index';
import { errorCodeOf } from '../../helpers/crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

describe('case tokens', () => {
  it('when generated, then they are seven groups of four Crockford symbols that parse back to themselves', () => {
    for (let i = 0; i < 200; i++) {
      const token = generateCaseToken();
      expect(token).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){6}$/);
      expect(parseCaseToken(token)).toBe(token);
    }
  });

  it('when generated many times, then every symbol position takes many values (no fixed or biased symbols)', () => {
    const seen = Array.from({ length: TOKEN_SYMBOLS - 1 }, () => new Set<string>());
    for (let i = 0; i < 500; i++) {
      [...generateCaseToken().replaceAll('-', '')].slice(0, -1).forEach((symbol, position) => seen[position]?.add(symbol));
    }
    // 500 draws over 32 symbols leave one unseen with probability about 32·(31/32)^500 ≈ 4e-6.
    for (const symbols of seen) expect(symbols.size).toBe(32);
  });

  it('when typed in lower case with spaces, other dashes and confusable letters, then it still parses', () => {
    const token = generateCaseToken();
    const sloppy = token
      .toLowerCase()
      .replaceAll('-', ' – ')
      .replaceAll('0', 'o')
      .replaceAll('1', 'l');
    expect(parseCaseToken(`  ${sloppy}\n`)).toBe(token);
    expect(parseCaseToken(token.replaceAll('-', ''))).toBe(token);
  });

  it('when any single symbol is mistyped, then the check symbol catches it', () => {
    const token = generateCaseToken();
    const symbols = token.replaceAll('-', '');
    for (let position = 0; position < symbols.length; position++) {
      for (const replacement of CROCKFORD) {
        if (replacement === symbols[position]) continue;
        const typo = symbols.slice(0, position) + replacement + symbols.slice(position + 1);
        expect(errorCodeOf(() => parseCaseToken(typo))).toBe('token-checksum-mismatch');
      }
    }
  });

  it('when two neighbouring symbols are swapped, then only a swap of 0 and Z goes unnoticed', () => {
    const withCheck = (data: string): string => {
      const valid = [...CROCKFORD].filter((check) => errorCodeOf(() => parseCaseToken(data + check)) === 'no error');
      expect(valid).toHaveLength(1);
      return data + (valid[0] as string);
    };
    const missed = new Set<string>();
    // Both parities: a swap at the token's start and one symbol further along.
    for (const prefix of ['', '7']) {
      for (const a of CROCKFORD) {
        for (const b of CROCKFORD) {
          if (a === b) continue;
          const filler = 'K'.repeat(27 - prefix.length - 2);
          const token = withCheck(prefix + a + b + filler);
          const swapped = prefix + b + a + token.slice(prefix.length + 2);
          if (errorCodeOf(() => parseCaseToken(swapped)) !== 'token-checksum-mismatch') missed.add(a + b);
        }
      }
    }
    // Luhn mod 32 cannot see a swap of the values 0 and 31; every other adjacent swap is caught.
    expect([...missed].sort()).toEqual(['0Z', 'Z0']);
  });

  it('when a symbol is missing or extra, then the length is refused', () => {
    const symbols = generateCaseToken().replaceAll('-', '');
    expect(errorCodeOf(() => parseCaseToken(symbols.slice(1)))).toBe('token-invalid-length');
    expect(errorCodeOf(() => parseCaseToken(`${symbols}A`))).toBe('token-invalid-length');
    expect(errorCodeOf(() => parseCaseToken(''))).toBe('token-invalid-length');
  });

  it('when a character outside the alphabet is typed, then it is named as invalid', () => {
    const symbols = generateCaseToken().replaceAll('-', '');
    expect(errorCodeOf(() => parseCaseToken(`${symbols.slice(1)}U`))).toBe('token-invalid-character');
    expect(errorCodeOf(() => parseCaseToken(`${symbols.slice(1)}*`))).toBe('token-invalid-character');
  });
});
