import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../../crypto/index';
import { ChallengeSigner, CHALLENGE_BYTES, SpentChallenges } from '../../../server/intake/signed-challenges';
import { TestClock } from '../../helpers/console';

const start = Date.parse('2026-12-01T10:00:00Z');

describe('signed challenges', () => {
  it('when a challenge is checked for the scope it was issued for before it expires, then its terms come back', () => {
    const clock = new TestClock(start);
    const signer = new ChallengeSigner(clock);
    const challenge = signer.issue('case-a', 60_000, 7);
    expect(fromBase64Url(challenge)).toHaveLength(CHALLENGE_BYTES);
    expect(signer.check(challenge, 'case-a')).toEqual({ expiresAtMs: start + 60_000, difficultyBits: 7 });
    clock.advance(59_000);
    expect(signer.check(challenge, 'case-a')).toBeDefined();
    clock.advance(1000);
    expect(signer.check(challenge, 'case-a')).toBeUndefined();
  });

  it('when a challenge is used for another scope, by another server, or with any byte changed, then it is refused', () => {
    const clock = new TestClock(start);
    const signer = new ChallengeSigner(clock);
    const challenge = signer.issue('case-a', 60_000, 7);
    expect(signer.check(challenge, 'case-b')).toBeUndefined();
    expect(new ChallengeSigner(clock).check(challenge, 'case-a')).toBeUndefined();
    const bytes = fromBase64Url(challenge);
    for (let index = 0; index < bytes.length; index++) {
      const changed = Uint8Array.from(bytes);
      changed[index] = (changed[index] as number) ^ 1;
      expect(signer.check(toBase64Url(changed), 'case-a'), `byte ${index}`).toBeUndefined();
    }
    for (const malformed of ['', 'A', '!'.repeat(52), challenge.slice(0, -1), `${challenge}AA`]) expect(signer.check(malformed, 'case-a')).toBeUndefined();
  });

  it('when many challenges are issued, then the signer keeps no state for them', () => {
    const signer = new ChallengeSigner(new TestClock(start));
    const issued = new Set(Array.from({ length: 1000 }, () => signer.issue('proof-of-work', 600_000, 18)));
    expect(issued.size).toBe(1000);
    expect(Object.keys(signer)).toEqual(['clock', 'key']);
  });
});

describe('spent challenges', () => {
  it('when a challenge is spent, then it cannot be spent again until it has expired, and expired ones are forgotten', () => {
    const clock = new TestClock(start);
    const spent = new SpentChallenges(clock, 10);
    expect(spent.spend('a', start + 1000, {})).toBe(true);
    expect(spent.spend('a', start + 1000, {})).toBe(false);
    expect(spent.isSpent('a')).toBe(true);
    clock.advance(1000);
    expect(spent.isSpent('a')).toBe(false);
    expect(spent.spend('b', start + 5000, {})).toBe(true);
    expect(spent.size).toBe(1);
  });

  it('when it is full of live entries, then it refuses to spend more rather than forget one', () => {
    const spent = new SpentChallenges(new TestClock(start), 3);
    for (const challenge of ['a', 'b', 'c']) expect(spent.spend(challenge, start + 1000, {})).toBe(true);
    expect(spent.isFull()).toBe(true);
    expect(spent.spend('d', start + 1000, {})).toBe(false);
    expect(spent.isSpent('a')).toBe(true);
  });
});
