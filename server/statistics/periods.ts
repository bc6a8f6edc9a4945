/** Whole calendar months and quarters in UTC days, and which of them have ended by a given day. */
import type { Granularity } from '../../protocol/statistics';
import type { Day } from '../clock';

export interface Period {
  /** `2026-03` for a month, `2026-Q1` for a quarter. */
  readonly label: string;
  /** First day of the period. */
  readonly start: Day;
  /** Last day of the period, inclusive. */
  readonly end: Day;
}

const MONTHS_PER_PERIOD: Readonly<Record<Granularity, number>> = { month: 1, quarter: 3 };

const dayAt = (milliseconds: number) => new Date(milliseconds).toISOString().slice(0, 10) as Day;

function periodStarting(year: number, firstMonth: number, granularity: Granularity): Period {
  const months = MONTHS_PER_PERIOD[granularity];
  const label = granularity === 'month' ? `${year}-${String(firstMonth + 1).padStart(2, '0')}` : `${year}-Q${firstMonth / 3 + 1}`;
  // Day 0 of the month after the period is the period's last day.
  return { label, start: dayAt(Date.UTC(year, firstMonth, 1)), end: dayAt(Date.UTC(year, firstMonth + months, 0)) };
}

/** The first day of the month or quarter that holds `day`. */
export function periodStart(granularity: Granularity, day: Day): Day {
  const months = MONTHS_PER_PERIOD[granularity];
  const month = Number(day.slice(5, 7)) - 1;
  return periodStarting(Number(day.slice(0, 4)), month - (month % months), granularity).start;
}

/**
 * Every whole period from the one that holds `from` whose last day is before `today`, oldest first.
 * The period that contains `today` has not ended, so it is never among them.
 */
export function endedPeriods(granularity: Granularity, from: Day, today: Day): Period[] {
  const months = MONTHS_PER_PERIOD[granularity];
  const firstYear = Number(from.slice(0, 4));
  const lastYear = Number(today.slice(0, 4));
  const periods: Period[] = [];
  for (let year = firstYear; year <= lastYear; year++) {
    for (let month = 0; month < 12; month += months) {
      const period = periodStarting(year, month, granularity);
      if (period.end >= today) return periods;
      if (period.end >= from) periods.push(period);
    }
  }
  return periods;
}

export const isWithin = (day: Day, period: Period): boolean => day >= period.start && day <= period.end;
