/**
 * The published statistics document, `candor-statistics` version 1 (docs/statistics.md): the schema
 * of the shape the server writes and the intake client parses, its types inferred from it, and the
 * query that chooses its periods.
 */
import { z } from 'zod';
import { daySchema } from './wire';

export const STATISTICS_FORMAT = 'candor-statistics';
export const STATISTICS_VERSION = 1;

/** How the figures are grouped: whole calendar months or quarters (`?period=` in the API). */
export const GRANULARITIES = ['month', 'quarter'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** Outcomes a closed case is published under; anything else recorded (older values, none) is `other`. */
export const OUTCOMES = ['substantiated', 'not-substantiated', 'outside-scope', 'referred', 'other'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** `?period=month|quarter`; quarters when absent. Nothing else is accepted. */
export const statisticsQuerySchema = z
  .object({ period: z.enum(GRANULARITIES, { error: 'period is "month" or "quarter"' }).default('quarter') })
  .strict();

const count = z.number().int().nonnegative();

/** A count as published: a multiple of the minimum count, or below it and shown only as "fewer than". */
const publishedCountSchema = z.union([count, z.object({ lessThan: count }).strict().readonly()]);
export type PublishedCount = z.infer<typeof publishedCountSchema>;

const timelinessSchema = z
  .object({
    due: publishedCountSchema,
    onTime: publishedCountSchema,
    /** Whole per cent of `onTime` in `due` as published; null when either is "fewer than". */
    onTimePercent: z.number().int().min(0).max(100).nullable(),
  })
  .strict()
  .readonly();
export type Timeliness = z.infer<typeof timelinessSchema>;

const closedSchema = z
  .object({ total: publishedCountSchema, ...Object.fromEntries(OUTCOMES.map((outcome) => [outcome, publishedCountSchema])) as Record<Outcome, typeof publishedCountSchema> })
  .strict()
  .readonly();

const periodFiguresSchema = z
  .object({
    /** `2026-03` or `2026-Q1`. */
    period: z.string().regex(/^[0-9]{4}-([0-9]{2}|Q[1-4])$/),
    start: daySchema,
    end: daySchema,
    received: publishedCountSchema,
    acknowledgment: timelinessSchema,
    feedback: timelinessSchema,
    closed: closedSchema,
    /** Whole days; null when fewer than the minimum count of cases make the median. */
    medianDaysToAcknowledgment: count.nullable(),
    medianDaysToClosure: count.nullable(),
    openAtEnd: publishedCountSchema,
  })
  .strict()
  .readonly();
export type PeriodFigures = z.infer<typeof periodFiguresSchema>;

const bodyStatisticsSchema = z
  .object({ id: z.string(), name: z.string(), periods: z.array(periodFiguresSchema).readonly() })
  .strict()
  .readonly();
export type BodyStatistics = z.infer<typeof bodyStatisticsSchema>;

/** The answer of `GET /api/v1/statistics` and `GET /api/v1/bodies/:bodyId/statistics`. */
export const statisticsDocumentSchema = z
  .object({
    format: z.literal(STATISTICS_FORMAT),
    version: z.literal(STATISTICS_VERSION),
    granularity: z.enum(GRANULARITIES),
    /** Counts below it are "fewer than"; the others are rounded to a multiple of it. */
    minimumCount: z.number().int().positive(),
    /** Every publishing body together; absent from the document of a single body. */
    overall: z.object({ periods: z.array(periodFiguresSchema).readonly() }).strict().readonly().optional(),
    bodies: z.array(bodyStatisticsSchema).readonly(),
  })
  .strict()
  .readonly();
export type StatisticsDocument = z.infer<typeof statisticsDocumentSchema>;
