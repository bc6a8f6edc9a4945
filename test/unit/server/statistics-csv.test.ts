import { describe, expect, it } from 'vitest';
import type { Day } from '../../../server/clock';
import { computeStatistics } from '../../../server/statistics/compute-statistics';
import { renderStatisticsCsv, STATISTICS_CSV_COLUMNS, statisticsCsvFileName } from '../../../server/statistics/statistics-csv';

const day = (text: string) => text as Day;

function csvFor(name: string) {
  const rows = Array.from({ length: 12 }, (_, i) => ({
    bodyId: 'audit-office',
    receivedOn: day(`2026-01-${String(i + 1).padStart(2, '0')}`),
    acknowledgedOn: day(`2026-01-${String(i + 2).padStart(2, '0')}`),
    feedbackOn: null,
    closedOn: null,
    outcome: null,
  }));
  return computeStatistics({ bodies: [{ id: 'audit-office', name }], rows, today: day('2026-02-01'), granularity: 'month', minimumCount: 5 });
}

describe('statistics CSV', () => {
  it('when rendered, then a header and one CRLF row per scope and period follow, with "<N" and empty cells for hidden figures', () => {
    const lines = renderStatisticsCsv(csvFor('Audit Office')).split('\r\n');
    expect(lines).toEqual([
      STATISTICS_CSV_COLUMNS.join(','),
      'overall,,,2026-01,2026-01-01,2026-01-31,10,10,10,100,<5,<5,,<5,<5,<5,<5,<5,<5,1,,10',
      'body,audit-office,Audit Office,2026-01,2026-01-01,2026-01-31,10,10,10,100,<5,<5,,<5,<5,<5,<5,<5,<5,1,,10',
      '',
    ]);
  });

  it('when a name holds commas or quotes, then it is quoted; when it starts like a formula, then an apostrophe defuses it', () => {
    const line = renderStatisticsCsv(csvFor('=HYPERLINK("x"), Office')).split('\r\n')[2]!;
    expect(line.startsWith('body,audit-office,"\'=HYPERLINK(""x""), Office",2026-01,')).toBe(true);
  });

  it('when named for download, then the name says the scope, the granularity and the format version', () => {
    const document = csvFor('Audit Office');
    expect(statisticsCsvFileName(document)).toBe('candor-statistics-v1-all-bodies-month.csv');
    const single = { format: document.format, version: document.version, granularity: document.granularity, minimumCount: document.minimumCount, bodies: document.bodies };
    expect(statisticsCsvFileName(single)).toBe('candor-statistics-v1-audit-office-month.csv');
  });
});
