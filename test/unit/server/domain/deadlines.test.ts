import { describe, expect, it } from 'vitest';
import type { Day } from '../../../../server/clock';
import { acknowledgeDueOn, dueMarker, feedbackDueOn, nextDueOn, type CaseDeadlineFacts } from '../../../../server/domain/deadlines';

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

  it('when a case is received, then acknowledgment is due next; once acknowledged, feedback until it is given; a closed case has nothing due', () => {
    const received: CaseDeadlineFacts = { status: 'received', receivedOn: day('2026-11-22'), acknowledgedOn: null, feedbackOn: null };
    expect(nextDueOn(received)).toBe('2026-11-29');
    const acknowledged: CaseDeadlineFacts = { ...received, status: 'acknowledged', acknowledgedOn: day('2026-11-24') };
    expect(nextDueOn(acknowledged)).toBe('2027-02-24');
    expect(nextDueOn({ ...acknowledged, feedbackOn: day('2026-12-01') })).toBeNull();
    expect(nextDueOn({ ...acknowledged, status: 'closed' })).toBeNull();
  });

  it('when the next deadline has passed, then it is overdue; within seven days, due soon; later, not marked', () => {
    const received: CaseDeadlineFacts = { status: 'received', receivedOn: day('2026-11-22'), acknowledgedOn: null, feedbackOn: null };
    expect(dueMarker(received, day('2026-11-30'))).toBe('overdue');
    expect(dueMarker(received, day('2026-11-29'))).toBe('soon');
    expect(dueMarker(received, day('2026-11-22'))).toBe('soon');
    const acknowledged: CaseDeadlineFacts = { ...received, status: 'acknowledged', acknowledgedOn: day('2026-11-24') };
    expect(dueMarker(acknowledged, day('2027-02-16'))).toBeNull();
    expect(dueMarker(acknowledged, day('2027-02-17'))).toBe('soon');
  });
});
