/**
 * Disclosure control: the only way exact figures become publishable (docs/statistics.md §Rules).
 * A count below the minimum N is "fewer than N"; every other count is rounded to the nearest
 * multiple of N, so that no sum or difference of published counts gives an exact small count.
 * Shares are computed from the published counts, so they say nothing the counts do not.
 */
import { OUTCOMES, type Outcome, type PeriodFigures, type PublishedCount, type Timeliness } from '../../protocol/statistics';
import type { ExactFigures } from './exact-figures';
import type { Period } from './periods';

export function publishCount(exact: number, minimumCount: number): PublishedCount {
  if (exact < minimumCount) return { lessThan: minimumCount };
  // Half way rounds up; a count of at least N never rounds below N.
  return minimumCount * Math.floor(exact / minimumCount + 0.5);
}

export function publishPercent(part: PublishedCount, whole: PublishedCount): number | null {
  if (typeof part !== 'number' || typeof whole !== 'number') return null;
  return Math.round((100 * part) / whole);
}

/** The median in whole days, or null when fewer than N cases make it (a median of few is one case's figure). */
export function publishMedian(values: readonly number[], minimumCount: number): number | null {
  if (values.length === 0 || values.length < minimumCount) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return Math.round(median);
}

function timeliness(due: number, onTime: number, minimumCount: number): Timeliness {
  const publishedDue = publishCount(due, minimumCount);
  const publishedOnTime = publishCount(onTime, minimumCount);
  return { due: publishedDue, onTime: publishedOnTime, onTimePercent: publishPercent(publishedOnTime, publishedDue) };
}

export function publishFigures(exact: ExactFigures, period: Period, minimumCount: number): PeriodFigures {
  const count = (value: number) => publishCount(value, minimumCount);
  const closedTotal = OUTCOMES.reduce((sum, outcome) => sum + exact.closed[outcome], 0);
  const closedByOutcome = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, count(exact.closed[outcome])])) as Record<Outcome, PublishedCount>;
  return {
    period: period.label,
    start: period.start,
    end: period.end,
    received: count(exact.received),
    acknowledgment: timeliness(exact.acknowledgmentsDue, exact.acknowledgedOnTime, minimumCount),
    feedback: timeliness(exact.feedbackDue, exact.feedbackOnTime, minimumCount),
    closed: { total: count(closedTotal), ...closedByOutcome },
    medianDaysToAcknowledgment: publishMedian(exact.daysToAcknowledgment, minimumCount),
    medianDaysToClosure: publishMedian(exact.daysToClosure, minimumCount),
    openAtEnd: count(exact.openAtEnd),
  };
}
