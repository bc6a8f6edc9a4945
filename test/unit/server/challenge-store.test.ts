import { describe, expect, it } from 'vitest';
import { AppError } from '../../../server/errors';
import { ChallengeStore } from '../../../server/intake/challenge-store';

function clockAt(start: number) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

describe('single-use challenges', () => {
  it('when a challenge is used, then it works once, for its own scope only', () => {
    const store = new ChallengeStore(60_000, 10, clockAt(0));
    const challenge = store.issue('case-a');
    expect(store.consume(challenge, 'case-b')).toBe(false);
    const second = store.issue('case-a');
    expect(store.consume(second, 'case-a')).toBe(true);
    expect(store.consume(second, 'case-a')).toBe(false);
  });

  it('when a challenge is older than its lifetime, then it is refused', () => {
    const clock = clockAt(0);
    const store = new ChallengeStore(60_000, 10, clock);
    const challenge = store.issue('case-a');
    clock.advance(60_000);
    expect(store.consume(challenge, 'case-a')).toBe(false);
  });

  it('when the store is full of live challenges, then new ones are refused until old ones expire', () => {
    const clock = clockAt(0);
    const store = new ChallengeStore(1000, 3, clock);
    for (let i = 0; i < 3; i++) store.issue('flood');
    expect(() => store.issue('victim')).toThrow(AppError);
    clock.advance(1000);
    expect(typeof store.issue('victim')).toBe('string');
  });

  it('when challenges are issued, then they are distinct and unguessable in form', () => {
    const store = new ChallengeStore(1000, 1000, clockAt(0));
    const issued = new Set(Array.from({ length: 500 }, () => store.issue('x')));
    expect(issued.size).toBe(500);
    for (const challenge of issued) expect(challenge).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
