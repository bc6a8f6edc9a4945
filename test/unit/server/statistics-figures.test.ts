/** What each figure counts, before disclosure control: the definitions in docs/statistics.md. */
import { describe, expect, it } from 'vitest';
import type { Day } from '../../../server/clock';
import { computeStatistics } from '../../../server/statistics/compute-statistics';
import { exactFigures, type WorkflowRow } from '../../../server/statistics/exact-figures';
import type { Period } from '../../../server/statistics/periods';

const day = (text: string) => text as Day;
const march: Period = { label: '2026-03', start: day('2026-03-01'), end: day('2026-03-31') };

function row(receivedOn: string, fields: { ack?: string; feedback?: string; closed?: string; outcome?: string | null; body?: string } = {}): WorkflowRow {
  return {
    bodyId: fields.body ?? 'audit-office',
    receivedOn: day(receivedOn),
    acknowledgedOn: fields.ack === undefined ? null : day(fields.ack),
    feedbackOn: fields.feedback === undefined ? null : day(fields.feedback),
    closedOn: fields.closed === undefined ? null : day(fields.closed),
    outcome: fields.outcome === undefined ? (fields.closed === undefined ? null : 'substantiated') : fields.outcome,
  };
}

describe('exact figures of a period', () => {
  it('when reports arrive on the first and last day of the month and just outside it, then only the two inside are received in it', () => {
    const figures = exactFigures([row('2026-02-28'), row('2026-03-01'), row('2026-03-31'), row('2026-04-01')], march);
    expect(figures.received).toBe(2);
  });

  it('when an acknowledgment deadline falls in the month, then the report counts there, on time up to and including the seventh day', () => {
    const figures = exactFigures(
      [
        row('2026-02-22', { ack: '2026-03-01' }), // due 1 March, acknowledged that day: on time
        row('2026-03-10', { ack: '2026-03-18' }), // due 17 March: one day late
        row('2026-03-20'), // due 27 March, never acknowledged: late
        row('2026-03-28', { ack: '2026-03-29' }), // due 4 April: April's, not March's
      ],
      march,
    );
    expect([figures.acknowledgmentsDue, figures.acknowledgedOnTime]).toEqual([3, 1]);
  });

  it('when feedback deadlines are three months after acknowledgment (or after the seven days), then they count in the month they fall in', () => {
    const figures = exactFigures(
      [
        row('2025-12-01', { ack: '2025-12-05', feedback: '2026-03-05' }), // due 5 March, on the day: on time
        row('2025-12-10', { ack: '2025-12-12', feedback: '2026-03-13' }), // due 12 March: late
        row('2025-12-15'), // never acknowledged: due 22 March (15 + 7 days + 3 months), no feedback
        row('2025-12-20', { ack: '2026-01-02' }), // due 2 April: not March
      ],
      march,
    );
    expect([figures.feedbackDue, figures.feedbackOnTime]).toEqual([3, 1]);
  });

  it('when a case is closed in the month, then it counts under its outcome, and an unknown or missing outcome counts as other', () => {
    const figures = exactFigures(
      [
        row('2026-01-05', { closed: '2026-03-02', outcome: 'substantiated' }),
        row('2026-01-06', { closed: '2026-03-03', outcome: 'referred' }),
        row('2026-01-07', { closed: '2026-03-04', outcome: 'dismissed-by-old-version' }),
        row('2026-01-08', { closed: '2026-03-05', outcome: null }),
        row('2026-01-09', { closed: '2026-04-01', outcome: 'referred' }),
      ],
      march,
    );
    expect(figures.closed).toEqual({ 'substantiated': 1, 'not-substantiated': 0, 'outside-scope': 0, 'referred': 1, 'other': 2 });
    expect([...figures.daysToClosure].sort((a, b) => a - b)).toEqual([56, 56, 56, 56]);
  });

  it('when cases are received before the month ends and closed after it, then they are open at its end', () => {
    const figures = exactFigures(
      [row('2026-01-01'), row('2026-03-31', { closed: '2026-04-01' }), row('2026-02-01', { closed: '2026-03-31' }), row('2026-04-01')],
      march,
    );
    expect(figures.openAtEnd).toBe(2);
  });

  it('when acknowledgments are made in the month, then their days since receipt are what the median is taken of', () => {
    const figures = exactFigures([row('2026-02-27', { ack: '2026-03-02' }), row('2026-03-10', { ack: '2026-03-10' }), row('2026-03-30', { ack: '2026-04-01' })], march);
    expect(figures.daysToAcknowledgment).toEqual([3, 0]);
  });
});

describe('figures of an ended period', () => {
  it('when work is recorded after the period ended, then none of its figures change', () => {
    const before = [row('2026-03-02'), row('2026-03-25'), row('2025-12-20'), row('2026-02-01', { ack: '2026-02-03' })];
    const after = [
      row('2026-03-02', { ack: '2026-04-02', closed: '2026-04-10' }),
      row('2026-03-25', { ack: '2026-04-01', feedback: '2026-05-01' }),
      row('2025-12-20', { ack: '2026-04-20', feedback: '2026-04-21' }),
      row('2026-02-01', { ack: '2026-02-03', feedback: '2026-04-02', closed: '2026-06-01' }),
    ];
    expect(exactFigures(after, march)).toEqual(exactFigures(before, march));
  });
});

describe('the statistics document', () => {
  const input = {
    bodies: [
      { id: 'audit-office', name: 'Audit Office' },
      { id: 'ombudsman', name: 'Ombudsman' },
    ],
    rows: [row('2025-06-10'), row('2026-02-10', { body: 'ombudsman' }), row('2026-02-11', { body: 'not-publishing' })],
    today: day('2026-04-15'),
    granularity: 'quarter' as const,
    minimumCount: 1,
  };

  it('when computed, then it is versioned and lists every ended quarter from January of the earliest report year, for all and for each body', () => {
    const document = computeStatistics(input);
    expect([document.format, document.version, document.granularity, document.minimumCount]).toEqual(['candor-statistics', 1, 'quarter', 1]);
    const quarters = ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1'];
    expect(document.overall?.periods.map((p) => p.period)).toEqual(quarters);
    expect(document.bodies.map((body) => [body.id, body.periods.map((p) => p.period)])).toEqual([
      ['audit-office', quarters],
      ['ombudsman', quarters],
    ]);
  });

  it('when a row belongs to a body that does not publish, then it counts nowhere, not even overall', () => {
    const document = computeStatistics(input);
    const none = { lessThan: 1 };
    expect(document.overall?.periods.map((p) => p.received)).toEqual([none, 1, none, none, 1]);
  });

  it("when a body's first day is known, then its series starts at the period holding that day, and all of them together at the earliest body's", () => {
    const document = computeStatistics({
      ...input,
      bodies: [
        { id: 'audit-office', name: 'Audit Office', createdOn: day('2025-05-20') },
        { id: 'ombudsman', name: 'Ombudsman', createdOn: day('2025-11-03') },
      ],
    });
    expect(document.overall?.periods.map((p) => p.period)).toEqual(['2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1']);
    expect(document.bodies.map((body) => [body.id, body.periods.map((p) => p.period)])).toEqual([
      ['audit-office', ['2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1']],
      ['ombudsman', ['2025-Q4', '2026-Q1']],
    ]);
  });

  it('when a body was created mid-year, then it lists no earlier month, even with no report yet', () => {
    const document = computeStatistics({ ...input, granularity: 'month', rows: [], bodies: [{ id: 'ombudsman', name: 'Ombudsman', createdOn: day('2026-02-17') }] });
    expect(document.bodies[0]!.periods.map((p) => p.period)).toEqual(['2026-02', '2026-03']);
    expect(document.overall?.periods.map((p) => p.period)).toEqual(['2026-02', '2026-03']);
  });

  it("when one body's first day is unknown, then its series keeps January of the earliest report year, and so does the overall one", () => {
    const document = computeStatistics({
      ...input,
      bodies: [
        { id: 'audit-office', name: 'Audit Office', createdOn: null },
        { id: 'ombudsman', name: 'Ombudsman', createdOn: day('2025-11-03') },
      ],
    });
    const quarters = ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1'];
    expect(document.overall?.periods.map((p) => p.period)).toEqual(quarters);
    expect(document.bodies.map((body) => body.periods.map((p) => p.period))).toEqual([quarters, ['2025-Q4', '2026-Q1']]);
  });

  it('when a report predates its body\'s first day (imported data), then it still counts: the series starts in January of its year', () => {
    const document = computeStatistics({ ...input, bodies: [{ id: 'audit-office', name: 'Audit Office', createdOn: day('2025-11-03') }] });
    expect(document.bodies[0]!.periods.map((p) => p.period)).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1']);
    expect(document.bodies[0]!.periods.map((p) => p.received)).toEqual([{ lessThan: 1 }, 1, { lessThan: 1 }, { lessThan: 1 }, { lessThan: 1 }]);
  });
});
