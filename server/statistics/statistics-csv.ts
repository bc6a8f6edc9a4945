/**
 * The statistics document as CSV (RFC 4180, UTF-8, CRLF): one row per scope and period, with the
 * columns of version 1 listed in docs/statistics.md. The figures are the JSON document's, written
 * as `<N` for "fewer than N" and left empty when withheld.
 */
import type { BodyStatistics, PeriodFigures, PublishedCount, StatisticsDocument } from '../../protocol/statistics';

type Cell = string | number | PublishedCount | null;

interface Column {
  readonly name: string;
  readonly value: (figures: PeriodFigures) => Cell;
}

/** Version 1 columns after `scope,body_id,body_name`; a change to them is a new version. */
const FIGURE_COLUMNS: readonly Column[] = [
  { name: 'period', value: (f) => f.period },
  { name: 'start', value: (f) => f.start },
  { name: 'end', value: (f) => f.end },
  { name: 'received', value: (f) => f.received },
  { name: 'acknowledgments_due', value: (f) => f.acknowledgment.due },
  { name: 'acknowledged_on_time', value: (f) => f.acknowledgment.onTime },
  { name: 'acknowledged_on_time_percent', value: (f) => f.acknowledgment.onTimePercent },
  { name: 'feedback_due', value: (f) => f.feedback.due },
  { name: 'feedback_on_time', value: (f) => f.feedback.onTime },
  { name: 'feedback_on_time_percent', value: (f) => f.feedback.onTimePercent },
  { name: 'closed', value: (f) => f.closed.total },
  { name: 'closed_substantiated', value: (f) => f.closed.substantiated },
  { name: 'closed_not_substantiated', value: (f) => f.closed['not-substantiated'] },
  { name: 'closed_outside_scope', value: (f) => f.closed['outside-scope'] },
  { name: 'closed_referred', value: (f) => f.closed.referred },
  { name: 'closed_other', value: (f) => f.closed.other },
  { name: 'median_days_to_acknowledgment', value: (f) => f.medianDaysToAcknowledgment },
  { name: 'median_days_to_closure', value: (f) => f.medianDaysToClosure },
  { name: 'open_at_end', value: (f) => f.openAtEnd },
];

export const STATISTICS_CSV_COLUMNS: readonly string[] = ['scope', 'body_id', 'body_name', ...FIGURE_COLUMNS.map((column) => column.name)];

/**
 * Quotes a text cell when it needs it, and defuses one that a spreadsheet would run as a formula
 * (a body name starting with `=`, say) by prefixing an apostrophe, as OWASP advises.
 */
function textCell(text: string): string {
  const defused = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(defused) ? `"${defused.replaceAll('"', '""')}"` : defused;
}

function cell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return textCell(value);
  return `<${value.lessThan}`;
}

function rows(scope: 'overall' | 'body', body: Pick<BodyStatistics, 'id' | 'name'> | null, periods: readonly PeriodFigures[]): string[] {
  return periods.map((figures) => [scope, textCell(body?.id ?? ''), textCell(body?.name ?? ''), ...FIGURE_COLUMNS.map((column) => cell(column.value(figures)))].join(','));
}

export function renderStatisticsCsv(document: StatisticsDocument): string {
  const lines = [
    STATISTICS_CSV_COLUMNS.join(','),
    ...(document.overall === undefined ? [] : rows('overall', null, document.overall.periods)),
    ...document.bodies.flatMap((body) => rows('body', body, body.periods)),
  ];
  return lines.map((line) => `${line}\r\n`).join('');
}

/** A download name that says what the file holds and its format version. */
export function statisticsCsvFileName(document: StatisticsDocument): string {
  const scope = document.overall === undefined ? (document.bodies[0]?.id ?? 'body') : 'all-bodies';
  return `candor-statistics-v${document.version}-${scope}-${document.granularity}.csv`;
}
