import { describe, expect, it } from 'vitest';
import type { Day } from '../../../server/clock';
import { acknowledgeDueOn, feedbackDueOn } from '../../../server/intake/deadlines';

const day = (text: string) => text as Day;

describe('EU Directive 2019/1937 deadlines', () => {
  it('when a report is received, then acknowledgment is due seven days later', () => {
    expect(acknowledgeDueOn(day('2026-11-22'))).toBe('2026-11-29');
    expect(acknowledgeDueOn(day('2026-12-28'))).toBe('2027-01-04');
  });

  it('when it was acknowledged, then feedback is due three months after the acknowledgment', () => {
    expect(feedbackDueOn(day('2026-11-22'), day('2026-11-24'))).toBe('2027-02-24');
  });

  it('when it was not acknowledged, then feedback is due three months after the seven days', () => {
    expect(feedbackDueOn(day('2026-11-22'), null)).toBe('2027-02-28');
  });

  it('when the month three months on is shorter, then the deadline is its last day', () => {
    expect(feedbackDueOn(day('2026-11-01'), day('2026-11-30'))).toBe('2027-02-28');
    expect(feedbackDueOn(day('2027-11-01'), day('2027-11-30'))).toBe('2028-02-29');
  });
});
