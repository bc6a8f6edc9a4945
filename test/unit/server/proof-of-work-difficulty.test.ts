import { describe, expect, it } from 'vitest';
import { ProofOfWorkDifficulty } from '../../../server/intake/proof-of-work-difficulty';
import { TestClock } from '../../helpers/console';

const settings = { baseBits: 18, maxBits: 22, quietCreationsPerHour: 120 };

function afterCreations(count: number, clock = new TestClock(Date.parse('2026-12-01T10:00:00Z'))) {
  const difficulty = new ProofOfWorkDifficulty(settings, clock);
  for (let i = 0; i < count; i++) difficulty.recordDemand();
  return { difficulty, clock };
}

describe('the price of a case', () => {
  it('when fewer cases than the quiet rate were created in the window, then the base difficulty is asked', () => {
    // 120 an hour is 30 in the 15-minute window.
    expect(afterCreations(0).difficulty.currentBits()).toBe(18);
    expect(afterCreations(29).difficulty.currentBits()).toBe(18);
  });

  it('when the rate doubles and doubles again, then each doubling adds one bit, up to the maximum', () => {
    expect([30, 59, 60, 119, 120, 240, 480, 10_000].map((count) => afterCreations(count).difficulty.currentBits())).toEqual([19, 19, 20, 20, 21, 22, 22, 22]);
  });

  it('when the flood stops, then the price falls back as its minutes leave the window', () => {
    const { difficulty, clock } = afterCreations(120);
    expect(difficulty.currentBits()).toBe(21);
    clock.advance(14 * 60_000);
    expect(difficulty.currentBits()).toBe(21);
    clock.advance(60_000);
    expect(difficulty.currentBits()).toBe(18);
  });

  it('when work was done at a lower price, then it is accepted one step below the current price and not further', () => {
    const { difficulty } = afterCreations(60);
    expect(difficulty.currentBits()).toBe(20);
    expect([18, 19, 20, 21].map((bits) => difficulty.accepts(bits))).toEqual([false, true, true, true]);
  });
});
