import { describe, expect, it } from 'vitest';
import type { Day } from '../../../server/clock';
import { endedPeriods, periodStart } from '../../../server/statistics/periods';

const day = (text: string) => text as Day;
const labels = (periods: readonly { label: string }[]) => periods.map((period) => period.label);

describe('statistics periods', () => {
  it('when months are listed on the first day of April, then March is the last and April is absent', () => {
    const months = endedPeriods('month', day('2026-01-01'), day('2026-04-01'));
    expect(labels(months)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(months.at(-1)).toEqual({ label: '2026-03', start: '2026-03-01', end: '2026-03-31' });
  });

  it('when today is the last day of a month, then that month has not ended and is absent', () => {
    expect(labels(endedPeriods('month', day('2026-01-01'), day('2026-03-31')))).toEqual(['2026-01', '2026-02']);
  });

  it('when a quarter ends on 31 March, then it appears on 1 April and not a day before', () => {
    expect(labels(endedPeriods('quarter', day('2026-01-01'), day('2026-03-31')))).toEqual([]);
    expect(endedPeriods('quarter', day('2026-01-01'), day('2026-04-01'))).toEqual([{ label: '2026-Q1', start: '2026-01-01', end: '2026-03-31' }]);
  });

  it('when quarters span years, then each ends on 31 March, 30 June, 30 September or 31 December', () => {
    const quarters = endedPeriods('quarter', day('2025-01-01'), day('2026-07-15'));
    expect(quarters.map((q) => `${q.label} ${q.start}..${q.end}`)).toEqual([
      '2025-Q1 2025-01-01..2025-03-31',
      '2025-Q2 2025-04-01..2025-06-30',
      '2025-Q3 2025-07-01..2025-09-30',
      '2025-Q4 2025-10-01..2025-12-31',
      '2026-Q1 2026-01-01..2026-03-31',
      '2026-Q2 2026-04-01..2026-06-30',
    ]);
  });

  it('when February of a leap year ends, then its last day is the 29th', () => {
    expect(endedPeriods('month', day('2028-01-01'), day('2028-03-01')).at(-1)).toEqual({ label: '2028-02', start: '2028-02-01', end: '2028-02-29' });
  });

  it('when it is January, then no month or quarter of this year has ended yet', () => {
    expect(endedPeriods('month', day('2027-01-01'), day('2027-01-20'))).toEqual([]);
    expect(labels(endedPeriods('quarter', day('2026-01-01'), day('2027-01-01')))).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
  });

  it('when the first day falls mid-period, then the list starts with the period that holds it', () => {
    expect(labels(endedPeriods('quarter', day('2025-08-20'), day('2026-04-01')))).toEqual(['2025-Q3', '2025-Q4', '2026-Q1']);
    expect(labels(endedPeriods('month', day('2026-02-28'), day('2026-04-01')))).toEqual(['2026-02', '2026-03']);
  });

  it('when a day is given, then its period starts on the first day of its month or quarter', () => {
    expect([periodStart('month', day('2025-08-20')), periodStart('quarter', day('2025-08-20')), periodStart('quarter', day('2025-12-31'))]).toEqual([
      '2025-08-01',
      '2025-07-01',
      '2025-10-01',
    ]);
  });
});
