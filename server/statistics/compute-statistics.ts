/**
 * Pure: the workflow rows of the publishing bodies, today, a granularity and the minimum count in;
 * the publishable statistics document out, per body and for all of them together.
 */
import { STATISTICS_FORMAT, STATISTICS_VERSION, type Granularity, type PeriodFigures, type StatisticsDocument } from '../../protocol/statistics';
import type { Day } from '../clock';
import { publishFigures } from './disclosure';
import { exactFigures, type WorkflowRow } from './exact-figures';
import { endedPeriods, periodStart, type Period } from './periods';

export interface PublishingBody {
  readonly id: string;
  readonly name: string;
  /** The body's first day (a public fact, not tied to any report); null or absent when unknown (older databases). */
  readonly createdOn?: Day | null;
}

export interface StatisticsInput {
  /** The bodies that publish, in the order they are listed; `rows` holds their cases only. */
  readonly bodies: readonly PublishingBody[];
  readonly rows: readonly WorkflowRow[];
  readonly today: Day;
  readonly granularity: Granularity;
  readonly minimumCount: number;
}

const earliestDay = (rows: readonly WorkflowRow[], otherwise: Day): Day =>
  rows.reduce<Day>((min, row) => (row.receivedOn < min ? row.receivedOn : min), otherwise);

/**
 * Where the rule has nothing public to go by: 1 January of the year of the earliest report of any
 * publishing body, not its month, so that the first period listed does not itself reveal a month
 * in which a report arrived.
 */
const januaryOfEarliestReport = (rows: readonly WorkflowRow[], today: Day): Day => `${earliestDay(rows, today).slice(0, 4)}-01-01` as Day;

/**
 * The first day of a body's series: the start of the period that holds the body's first day, which
 * is public and says nothing about any report. A report recorded before that day (imported data)
 * must still count somewhere, so then the series starts in January of that report's year instead.
 */
function seriesStart(body: PublishingBody, bodyRows: readonly WorkflowRow[], unknown: Day, granularity: Granularity): Day {
  if (body.createdOn === undefined || body.createdOn === null) return unknown;
  const start = periodStart(granularity, body.createdOn);
  const earliest = earliestDay(bodyRows, start);
  return earliest < start ? (`${earliest.slice(0, 4)}-01-01` as Day) : start;
}

function series(rows: readonly WorkflowRow[], periods: readonly Period[], minimumCount: number): PeriodFigures[] {
  return periods.map((period) => publishFigures(exactFigures(rows, period), period, minimumCount));
}

export function computeStatistics(input: StatisticsInput): StatisticsDocument {
  const publishing = new Set(input.bodies.map((body) => body.id));
  // Only publishing bodies count, even if a caller passes more rows: "overall" must never include others.
  const rows = input.rows.filter((row) => publishing.has(row.bodyId));
  const unknown = januaryOfEarliestReport(rows, input.today);
  const bodies = input.bodies.map((body) => {
    const bodyRows = rows.filter((row) => row.bodyId === body.id);
    return { body, rows: bodyRows, start: seriesStart(body, bodyRows, unknown, input.granularity) };
  });
  // All of them together start where the earliest body's series starts; each body's series is the
  // tail of that list from its own start.
  const overallStart = bodies.reduce<Day>((min, { start }) => (start < min ? start : min), input.today);
  const periods = endedPeriods(input.granularity, overallStart, input.today);
  return {
    format: STATISTICS_FORMAT,
    version: STATISTICS_VERSION,
    granularity: input.granularity,
    minimumCount: input.minimumCount,
    overall: { periods: series(rows, periods, input.minimumCount) },
    bodies: bodies.map(({ body, rows: bodyRows, start }) => ({
      id: body.id,
      name: body.name,
      periods: series(
        bodyRows,
        periods.filter((period) => period.start >= start),
        input.minimumCount,
      ),
    })),
  };
}

/** The document of one body, as it appears in the whole document; undefined when it does not publish. */
export function bodyStatistics(document: StatisticsDocument, bodyId: string): StatisticsDocument | undefined {
  const body = document.bodies.find((candidate) => candidate.id === bodyId);
  if (body === undefined) return undefined;
  return { format: document.format, version: document.version, granularity: document.granularity, minimumCount: document.minimumCount, bodies: [body] };
}
