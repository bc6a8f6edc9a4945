/**
 * Disclosure control of the published statistics: small counts are "fewer than N", other counts are
 * rounded, and no hidden count can be worked out from the published ones. The attacker in these
 * tests knows the rules and every identity between the figures, and lists every set of exact
 * counts that would have produced what was published.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Granularity, PeriodFigures, PublishedCount, StatisticsDocument } from '../../../protocol/statistics';
import type { Day } from '../../../server/clock';
import { computeStatistics } from '../../../server/statistics/compute-statistics';
import { publishCount, publishFigures, publishMedian, publishPercent } from '../../../server/statistics/disclosure';
import type { ExactFigures, WorkflowRow } from '../../../server/statistics/exact-figures';
import type { Period } from '../../../server/statistics/periods';

const N = 5;
const LARGEST_COUNT = 120;
const day = (text: string) => text as Day;

/** Every exact count that is published as `published`; all of them when the cell is not published. */
function preimage(published: PublishedCount | 'unpublished'): number[] {
  const counts = Array.from({ length: LARGEST_COUNT + 1 }, (_, exact) => exact);
  return published === 'unpublished' ? counts : counts.filter((exact) => isDeepStrictEqual(publishCount(exact, N), published));
}

interface Term {
  readonly published: PublishedCount | 'unpublished';
  readonly coefficient: 1 | -1;
}

/** Every value the `target` term can take, given what was published and that Σ coefficient × exact = 0. */
function possibleValues(terms: readonly Term[], target: number): number[] {
  const choices = terms.map((term) => preimage(term.published));
  const found = new Set<number>();
  const walk = (index: number, sum: number, chosen: readonly number[]): void => {
    if (index === terms.length) {
      if (sum === 0) found.add(chosen[target]!);
      return;
    }
    for (const value of choices[index]!) walk(index + 1, sum + terms[index]!.coefficient * value, [...chosen, value]);
  };
  walk(0, 0, []);
  return [...found].sort((a, b) => a - b);
}

const plus = (published: PublishedCount | 'unpublished'): Term => ({ published, coefficient: 1 });
const minus = (published: PublishedCount | 'unpublished'): Term => ({ published, coefficient: -1 });

function workflowRow(receivedOn: string, fields: { ack?: string; closed?: string; outcome?: string; body?: string } = {}): WorkflowRow {
  return {
    bodyId: fields.body ?? 'audit-office',
    receivedOn: day(receivedOn),
    acknowledgedOn: fields.ack === undefined ? null : day(fields.ack),
    feedbackOn: null,
    closedOn: fields.closed === undefined ? null : day(fields.closed),
    outcome: fields.outcome ?? null,
  };
}

/** `count` reports received in the month, spread over its first 28 days. */
function receivedIn(month: string, count: number, fields: Parameters<typeof workflowRow>[1] = {}): WorkflowRow[] {
  return Array.from({ length: count }, (_, i) => workflowRow(`${month}-${String((i % 28) + 1).padStart(2, '0')}`, fields));
}

function statistics(rows: readonly WorkflowRow[], granularity: Granularity, bodies = [{ id: 'audit-office', name: 'Audit Office' }]): StatisticsDocument {
  return computeStatistics({ bodies, rows, today: day('2026-05-10'), granularity, minimumCount: N });
}

function periodOf(document: StatisticsDocument, label: string, bodyId?: string): PeriodFigures {
  const periods = bodyId === undefined ? document.overall!.periods : document.bodies.find((body) => body.id === bodyId)!.periods;
  return periods.find((period) => period.period === label)!;
}

/** Every published count in a document, wherever it is. */
function publishedCounts(document: StatisticsDocument): PublishedCount[] {
  const ofPeriod = (p: PeriodFigures): PublishedCount[] => [
    p.received,
    p.acknowledgment.due,
    p.acknowledgment.onTime,
    p.feedback.due,
    p.feedback.onTime,
    ...Object.values(p.closed),
    p.openAtEnd,
  ];
  return [...document.overall!.periods, ...document.bodies.flatMap((body) => body.periods)].flatMap(ofPeriod);
}

const ZERO: ExactFigures = {
  received: 0,
  acknowledgmentsDue: 0,
  acknowledgedOnTime: 0,
  feedbackDue: 0,
  feedbackOnTime: 0,
  closed: { 'substantiated': 0, 'not-substantiated': 0, 'outside-scope': 0, 'referred': 0, 'other': 0 },
  daysToAcknowledgment: [],
  daysToClosure: [],
  openAtEnd: 0,
};
const MARCH: Period = { label: '2026-03', start: day('2026-03-01'), end: day('2026-03-31') };

describe('published counts', () => {
  it('when a count is below the minimum, then it is published only as "fewer than N", zero included', () => {
    for (const exact of [0, 1, 2, 3, 4]) expect(publishCount(exact, 5)).toEqual({ lessThan: 5 });
    expect(publishCount(9, 10)).toEqual({ lessThan: 10 });
  });

  it('when a count is at least the minimum, then it is rounded to the nearest multiple of it, half way up', () => {
    expect([5, 7, 8, 12, 13, 100, 102, 103].map((exact) => publishCount(exact, 5))).toEqual([5, 5, 10, 10, 15, 100, 100, 105]);
    expect([10, 14, 15, 24].map((exact) => publishCount(exact, 10))).toEqual([10, 10, 20, 20]);
  });

  it('when the minimum is 1, then counts are exact', () => {
    expect([1, 2, 7].map((exact) => publishCount(exact, 1))).toEqual([1, 2, 7]);
  });
});

describe('shares and medians', () => {
  it('when a share is published, then it is computed from the published counts, so it tells nothing they do not', () => {
    expect(publishPercent(publishCount(11, N), publishCount(12, N))).toBe(100);
    // 16 of 23 is 70 %; published, they are 15 of 25.
    expect(publishPercent(publishCount(16, N), publishCount(23, N))).toBe(60);
  });

  it('when either count of a share is "fewer than N", then the share is withheld', () => {
    expect(publishPercent({ lessThan: N }, 10)).toBeNull();
    expect(publishPercent({ lessThan: N }, { lessThan: N })).toBeNull();
  });

  it('when fewer than N cases make a median, then it is withheld', () => {
    expect(publishMedian([], N)).toBeNull();
    expect(publishMedian([3, 4, 9, 30], N)).toBeNull();
    expect(publishMedian([30, 3, 9, 4, 1], N)).toBe(4);
    expect(publishMedian(Array.from({ length: 9 }, (_, i) => i), 10)).toBeNull();
  });

  it('when an even number of cases make a median, then it is the mean of the middle two, in whole days', () => {
    expect(publishMedian([1, 2, 3, 10, 20, 30], N)).toBe(7);
  });
});

describe('no hidden count can be worked out from published ones', () => {
  it('when 12 acknowledgments were due and 11 made on time, then neither the counts nor the share reveal the one late case', () => {
    const observed = publishFigures({ ...ZERO, acknowledgmentsDue: 12, acknowledgedOnTime: 11 }, MARCH, N).acknowledgment;
    const lateInConsistentWorlds = new Set<number>();
    for (let due = 0; due <= 40; due++) {
      for (let onTime = 0; onTime <= due; onTime++) {
        const published = publishFigures({ ...ZERO, acknowledgmentsDue: due, acknowledgedOnTime: onTime }, MARCH, N).acknowledgment;
        if (isDeepStrictEqual(published, observed)) lateInConsistentWorlds.add(due - onTime);
      }
    }
    expect(observed).toEqual({ due: 10, onTime: 10, onTimePercent: 100 });
    expect([...lateInConsistentWorlds].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4]);
  });

  it('when exactly one case is closed in a month, then no figure shows 1 and the open cases before and after do not reveal it', () => {
    const rows = [...receivedIn('2026-01', 40), ...receivedIn('2026-02', 9), workflowRow('2026-01-29', { closed: '2026-02-16', outcome: 'substantiated' })];
    const document = statistics(rows, 'month');
    const january = periodOf(document, '2026-01', 'audit-office');
    const february = periodOf(document, '2026-02', 'audit-office');

    expect(publishedCounts(document).filter((count) => typeof count === 'number' && count < N)).toEqual([]);
    expect(february.closed).toEqual({ total: { lessThan: N }, 'substantiated': { lessThan: N }, 'not-substantiated': { lessThan: N }, 'outside-scope': { lessThan: N }, 'referred': { lessThan: N }, 'other': { lessThan: N } });
    expect(february.medianDaysToClosure).toBeNull();
    // open at the end of January + received in February − closed in February = open at the end of February
    const closedInFebruary = possibleValues([plus(january.openAtEnd), plus(february.received), minus(february.closed.total), minus(february.openAtEnd)], 2);
    expect(closedInFebruary.length).toBeGreaterThan(1);
    expect(closedInFebruary).toContain(0);
  });

  it('when a quarter and its months are both published, then a month below the minimum cannot be got by subtraction', () => {
    const rows = [...receivedIn('2026-01', 3), ...receivedIn('2026-02', 6), ...receivedIn('2026-03', 7)];
    const months = statistics(rows, 'month');
    const quarter = periodOf(statistics(rows, 'quarter'), '2026-Q1');
    const [january, february, march] = ['2026-01', '2026-02', '2026-03'].map((label) => periodOf(months, label));
    expect(january!.received).toEqual({ lessThan: N });
    const januaryValues = possibleValues([plus(quarter.received), minus(january!.received), minus(february!.received), minus(march!.received)], 1);
    expect(januaryValues.length).toBeGreaterThan(1);
  });

  it('when one body is below the minimum, then the overall figure minus the other body does not reveal it', () => {
    const bodies = [
      { id: 'audit-office', name: 'Audit Office' },
      { id: 'ombudsman', name: 'Ombudsman' },
    ];
    const rows = [...receivedIn('2026-03', 3), ...receivedIn('2026-03', 11, { body: 'ombudsman' })];
    const document = statistics(rows, 'month', bodies);
    const small = periodOf(document, '2026-03', 'audit-office');
    expect(small.received).toEqual({ lessThan: N });
    const values = possibleValues([plus(periodOf(document, '2026-03').received), minus(periodOf(document, '2026-03', 'ombudsman').received), minus(small.received)], 2);
    expect(values.length).toBeGreaterThan(1);
  });

  it('when closed cases are broken down by outcome, then the total minus the published outcomes does not reveal the hidden ones', () => {
    const rows = [
      ...receivedIn('2026-01', 5, { closed: '2026-03-10', outcome: 'substantiated' }),
      workflowRow('2026-01-20', { closed: '2026-03-11', outcome: 'referred' }),
    ];
    const closed = periodOf(statistics(rows, 'month'), '2026-03').closed;
    expect(closed.substantiated).toBe(5);
    const hiddenOutcomes = possibleValues([plus(closed.total), minus(closed.substantiated), minus('unpublished')], 2);
    expect(hiddenOutcomes.length).toBeGreaterThan(1);
  });
});
