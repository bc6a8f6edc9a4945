/**
 * Pure: the workflow rows of the publishing bodies, today, a granularity and the minimum count in;
 * the publishable statistics document out, per body and for all of them together.
 */
import { STATISTICS_FORMAT, STATISTICS_VERSION, type Granularity, type PeriodFigures, type StatisticsDocument } from '../../protocol/statistics';
import type { Day } from '../clock';
import { publishFigures } from './disclosure';
import { exactFigures, type WorkflowRow } from './exact-figures';
import { endedPeriods, type Period } from './periods';

export interface PublishingBody {
  readonly id: string;
  readonly name: string;
}

export interface StatisticsInput {
  /** The bodies that publish, in the order they are listed; `rows` holds their cases only. */
  readonly bodies: readonly PublishingBody[];
  readonly rows: readonly WorkflowRow[];
  readonly today: Day;
  readonly granularity: Granularity;
  readonly minimumCount: number;
}

/**
 * Periods start on 1 January of the year of the earliest report, not at its month, so that the
 * first period listed does not itself reveal a month in which a report arrived.
 */
function firstYear(rows: readonly WorkflowRow[], today: Day): number {
  const earliest = rows.reduce<Day>((min, row) => (row.receivedOn < min ? row.receivedOn : min), today);
  return Number(earliest.slice(0, 4));
}

function series(rows: readonly WorkflowRow[], periods: readonly Period[], minimumCount: number): PeriodFigures[] {
  return periods.map((period) => publishFigures(exactFigures(rows, period), period, minimumCount));
}

export function computeStatistics(input: StatisticsInput): StatisticsDocument {
  const publishing = new Set(input.bodies.map((body) => body.id));
  // Only publishing bodies count, even if a caller passes more rows: "overall" must never include others.
  const rows = input.rows.filter((row) => publishing.has(row.bodyId));
  const periods = endedPeriods(input.granularity, firstYear(rows, input.today), input.today);
  return {
    format: STATISTICS_FORMAT,
    version: STATISTICS_VERSION,
    granularity: input.granularity,
    minimumCount: input.minimumCount,
    overall: { periods: series(rows, periods, input.minimumCount) },
    bodies: input.bodies.map((body) => ({
      id: body.id,
      name: body.name,
      periods: series(rows.filter((row) => row.bodyId === body.id), periods, input.minimumCount),
    })),
  };
}

/** The document of one body, as it appears in the whole document; undefined when it does not publish. */
export function bodyStatistics(document: StatisticsDocument, bodyId: string): StatisticsDocument | undefined {
  const body = document.bodies.find((candidate) => candidate.id === bodyId);
  if (body === undefined) return undefined;
  return { format: document.format, version: document.version, granularity: document.granularity, minimumCount: document.minimumCount, bodies: [body] };
}
