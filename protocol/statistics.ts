/**
 * The published statistics document, `candor-statistics` version 1 (docs/statistics.md): the types
 * and constants of the shape the server writes and the intake client reads.
 */
export const STATISTICS_FORMAT = 'candor-statistics';
export const STATISTICS_VERSION = 1;

/** How the figures are grouped: whole calendar months or quarters (`?period=` in the API). */
export const GRANULARITIES = ['month', 'quarter'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** Outcomes a closed case is published under; anything else recorded (older values, none) is `other`. */
export const OUTCOMES = ['substantiated', 'not-substantiated', 'outside-scope', 'referred', 'other'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A count as published: a multiple of the minimum count, or below it and shown only as "fewer than". */
export type PublishedCount = number | { readonly lessThan: number };

export interface Timeliness {
  readonly due: PublishedCount;
  readonly onTime: PublishedCount;
  /** Whole per cent of `onTime` in `due` as published; null when either is "fewer than". */
  readonly onTimePercent: number | null;
}

export interface PeriodFigures {
  /** `2026-03` or `2026-Q1`. */
  readonly period: string;
  readonly start: string;
  readonly end: string;
  readonly received: PublishedCount;
  readonly acknowledgment: Timeliness;
  readonly feedback: Timeliness;
  readonly closed: { readonly total: PublishedCount } & Readonly<Record<Outcome, PublishedCount>>;
  /** Whole days; null when fewer than the minimum count of cases make the median. */
  readonly medianDaysToAcknowledgment: number | null;
  readonly medianDaysToClosure: number | null;
  readonly openAtEnd: PublishedCount;
}

export interface BodyStatistics {
  readonly id: string;
  readonly name: string;
  readonly periods: readonly PeriodFigures[];
}

export interface StatisticsDocument {
  readonly format: typeof STATISTICS_FORMAT;
  readonly version: typeof STATISTICS_VERSION;
  readonly granularity: Granularity;
  /** Counts below it are "fewer than"; the others are rounded to a multiple of it. */
  readonly minimumCount: number;
  /** Every publishing body together; absent from the document of a single body. */
  readonly overall?: { readonly periods: readonly PeriodFigures[] };
  readonly bodies: readonly BodyStatistics[];
}
