import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledEntry } from '../../helpers/compiled-server';
import type { PeriodFigures, PublishedCount, StatisticsDocument } from '../../../protocol/statistics';
import { addDays, type Clock, type Day } from '../../../server/clock';
import { startTestIntake, TEST_BODY_ID, type TestIntake } from '../../helpers/intake';
import { casesReceivedIn, seedWorkflowCases } from '../../helpers/workflow-cases';

const QUIET_BODY_ID = 'quiet-ombudsman';
const clock: Clock = { now: () => new Date('2026-04-15T10:00:00Z') };

let intake: TestIntake;

beforeAll(async () => {
  intake = await startTestIntake({ clock });
  const testBody = intake.storage.bodies.find(TEST_BODY_ID)!;
  intake.storage.bodies.save({ ...testBody, id: QUIET_BODY_ID, name: 'Quiet Ombudsman', createdOn: '2026-02-10' as Day });
  // The test body's first day is unknown (NULL), as for a body created before it was kept.
  intake.storage.bodies.setPublishStatistics(TEST_BODY_ID, true);
  seedWorkflowCases(intake.storage, TEST_BODY_ID, [
    ...casesReceivedIn('2025-11', 12, (received) => ({ acknowledgedOn: addDays(received, 2), feedbackOn: addDays(received, 40) })),
    ...casesReceivedIn('2026-01', 20, (received) => ({ acknowledgedOn: addDays(received, 3) })),
    ...casesReceivedIn('2026-01', 3, (received) => ({ acknowledgedOn: addDays(received, 10) })),
    // The only case closed in February.
    { receivedOn: '2025-12-01', acknowledgedOn: '2025-12-02', closedOn: '2026-02-16', outcome: 'referred' },
    ...casesReceivedIn('2026-03', 8),
    // Still in the quarter that has not ended.
    ...casesReceivedIn('2026-04', 9),
  ]);
  seedWorkflowCases(intake.storage, QUIET_BODY_ID, casesReceivedIn('2026-02', 30, () => ({ acknowledgedOn: '2026-03-01', closedOn: '2026-03-02', outcome: 'substantiated' })));
});
afterAll(() => intake.close());

const getJson = async (path: string) => (await request(intake.app).get(path).expect(200)).body as StatisticsDocument;

describe('statistics JSON', () => {
  it('when fetched by quarter, then it is versioned, lists every ended quarter, and not the one under way', async () => {
    const document = await getJson('/api/v1/statistics?period=quarter');
    expect([document.format, document.version, document.granularity, document.minimumCount]).toEqual(['candor-statistics', 1, 'quarter', 5]);
    expect(document.overall!.periods.map((p) => p.period)).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1']);
    const q1 = document.bodies[0]!.periods.at(-1)!;
    expect([q1.received, q1.acknowledgment, q1.closed.total]).toEqual([30, { due: 30, onTime: 20, onTimePercent: 67 }, { lessThan: 5 }]);
  });

  it('when no period is given, then quarters are listed; months on request, up to the last ended month', async () => {
    expect((await getJson('/api/v1/statistics')).granularity).toBe('quarter');
    const months = await getJson('/api/v1/statistics?period=month');
    expect(months.overall!.periods.at(-1)!.period).toBe('2026-03');
    expect(months.bodies[0]!.periods.find((p) => p.period === '2026-02')!.closed.total).toEqual({ lessThan: 5 });
  });

  it('when a body does not publish, then it is absent, its cases count nowhere, and its own routes answer 404', async () => {
    const document = await getJson('/api/v1/statistics?period=month');
    expect(document.bodies.map((body) => body.id)).toEqual([TEST_BODY_ID]);
    // With one publisher, all of them together are exactly that one: the quiet body's 30 closures are not there.
    expect(document.overall!.periods).toEqual(document.bodies[0]!.periods);
    for (const path of [`/api/v1/bodies/${QUIET_BODY_ID}/statistics`, `/api/v1/bodies/${QUIET_BODY_ID}/statistics.csv`, '/api/v1/bodies/no-such-body/statistics']) {
      expect((await request(intake.app).get(path).expect(404)).body.error.code).toBe('not-found');
    }
  });

  it("when one body's statistics are fetched, then they are exactly its part of the whole document", async () => {
    const whole = await getJson('/api/v1/statistics?period=month');
    const own = await getJson(`/api/v1/bodies/${TEST_BODY_ID}/statistics?period=month`);
    expect(own).toEqual({ format: 'candor-statistics', version: 1, granularity: 'month', minimumCount: 5, bodies: whole.bodies });
  });

  it('when the answer is read, then it holds no case id and no day other than the bounds of its periods', async () => {
    const document = await getJson('/api/v1/statistics?period=month');
    const text = JSON.stringify(document);
    const bounds = new Set(document.overall!.periods.flatMap((p) => [p.start, p.end]));
    expect([...text.matchAll(/\d{4}-\d{2}-\d{2}/g)].map((match) => match[0]).filter((found) => !bounds.has(found))).toEqual([]);
    expect(text).not.toMatch(/[0-9a-f]{64}/);
  });

  it('when the query is not month or quarter, or has anything else, then 400 says what is wrong', async () => {
    const wrong = await request(intake.app).get('/api/v1/statistics?period=week').expect(400);
    expect(wrong.body.error).toMatchObject({ code: 'bad-request', details: ['period: period is "month" or "quarter"'] });
    await request(intake.app).get('/api/v1/statistics.csv?period=month&from=2020').expect(400);
    await request(intake.app).get(`/api/v1/bodies/${TEST_BODY_ID}/statistics?period=year`).expect(400);
    await request(intake.app).get('/api/v1/bodies/NOT_A_SLUG/statistics').expect(400);
  });

  it('when answered, then it is not stored by the browser, like every API answer', async () => {
    const json = await request(intake.app).get('/api/v1/statistics').expect(200);
    const csv = await request(intake.app).get('/api/v1/statistics.csv').expect(200);
    expect([json.headers['cache-control'], csv.headers['cache-control']]).toEqual(['no-store', 'no-store']);
  });
});

/** Parses the CSV this server writes (its test bodies have no quotes or commas in their names). */
function parseCsv(text: string): Record<string, string>[] {
  expect(text.endsWith('\r\n')).toBe(true);
  const [header, ...lines] = text.slice(0, -2).split('\r\n').map((line) => line.split(','));
  return lines.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i]!])));
}

const csvCount = (count: PublishedCount) => (typeof count === 'number' ? String(count) : `<${count.lessThan}`);
const csvNumber = (value: number | null) => (value === null ? '' : String(value));

/** The CSV row a JSON period should be written as, column by column (docs/statistics.md §CSV). */
function expectedRow(scope: string, bodyId: string, bodyName: string, p: PeriodFigures): Record<string, string> {
  return {
    scope,
    body_id: bodyId,
    body_name: bodyName,
    period: p.period,
    start: p.start,
    end: p.end,
    received: csvCount(p.received),
    acknowledgments_due: csvCount(p.acknowledgment.due),
    acknowledged_on_time: csvCount(p.acknowledgment.onTime),
    acknowledged_on_time_percent: csvNumber(p.acknowledgment.onTimePercent),
    feedback_due: csvCount(p.feedback.due),
    feedback_on_time: csvCount(p.feedback.onTime),
    feedback_on_time_percent: csvNumber(p.feedback.onTimePercent),
    closed: csvCount(p.closed.total),
    closed_substantiated: csvCount(p.closed.substantiated),
    closed_not_substantiated: csvCount(p.closed['not-substantiated']),
    closed_outside_scope: csvCount(p.closed['outside-scope']),
    closed_referred: csvCount(p.closed.referred),
    closed_other: csvCount(p.closed.other),
    median_days_to_acknowledgment: csvNumber(p.medianDaysToAcknowledgment),
    median_days_to_closure: csvNumber(p.medianDaysToClosure),
    open_at_end: csvCount(p.openAtEnd),
  };
}

describe('statistics CSV', () => {
  it.each(['month', 'quarter'])('when fetched by %s, then every row equals the JSON figure by figure', async (period) => {
    const document = await getJson(`/api/v1/statistics?period=${period}`);
    const csv = await request(intake.app).get(`/api/v1/statistics.csv?period=${period}`).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename=candor-statistics-v1-all-bodies-${period}.csv`);
    const expected = [
      ...document.overall!.periods.map((p) => expectedRow('overall', '', '', p)),
      ...document.bodies.flatMap((body) => body.periods.map((p) => expectedRow('body', body.id, body.name, p))),
    ];
    expect(parseCsv(csv.text)).toEqual(expected);
    expect(expected.length).toBe(2 * document.overall!.periods.length);
  });

  it("when one body's CSV is fetched, then it has that body's rows only and the header docs/statistics.md documents", async () => {
    const document = await getJson(`/api/v1/bodies/${TEST_BODY_ID}/statistics?period=month`);
    const csv = await request(intake.app).get(`/api/v1/bodies/${TEST_BODY_ID}/statistics.csv?period=month`).expect(200);
    expect(parseCsv(csv.text)).toEqual(document.bodies[0]!.periods.map((p) => expectedRow('body', TEST_BODY_ID, 'Test Anti-Corruption Body', p)));
    const header = csv.text.split('\r\n')[0]!;
    expect(readFileSync(join(import.meta.dirname, '../../../docs/statistics.md'), 'utf8')).toContain(`\n${header}\n`);
  });
});

describe('npm run admin -- statistics', () => {
  const admin = (...args: string[]) => {
    const result = spawnSync(process.execPath, [compiledEntry('cli'), 'statistics', ...args, '--data-dir', intake.dataDir], { cwd: process.cwd(), encoding: 'utf8' });
    return { status: result.status, out: `${result.stdout}${result.stderr}` };
  };

  it('when an admin turns publishing on and off, then the routes follow, and the audit log records each change', async () => {
    expect(admin('--body', QUIET_BODY_ID)).toMatchObject({ status: 0, out: expect.stringContaining('are not published') });
    expect(admin('--body', QUIET_BODY_ID, '--publish', 'on')).toMatchObject({ status: 0, out: expect.stringContaining('are published') });
    const document = await getJson('/api/v1/statistics?period=month');
    expect(document.bodies.map((body) => body.id).sort()).toEqual([QUIET_BODY_ID, TEST_BODY_ID]);
    expect(document.overall!.periods.find((p) => p.period === '2026-03')!.closed.substantiated).toBe(30);
    // Its series starts at the month of its first day; all of them together still start in January
    // of the earliest report's year, the rule for the test body, whose first day is unknown.
    expect(document.bodies.find((body) => body.id === QUIET_BODY_ID)!.periods.map((p) => p.period)).toEqual(['2026-02', '2026-03']);
    expect(document.bodies.find((body) => body.id === TEST_BODY_ID)!.periods[0]!.period).toBe('2025-01');
    expect(document.overall!.periods.map((p) => p.period)).toEqual(document.bodies.find((body) => body.id === TEST_BODY_ID)!.periods.map((p) => p.period));
    await request(intake.app).get(`/api/v1/bodies/${QUIET_BODY_ID}/statistics`).expect(200);

    expect(admin('--body', QUIET_BODY_ID, '--publish', 'off').status).toBe(0);
    await request(intake.app).get(`/api/v1/bodies/${QUIET_BODY_ID}/statistics`).expect(404);
    const changes = intake.storage.audit.list({ limit: 10 }).filter((entry) => entry.action === 'body.statistics-changed');
    expect(changes.map((entry) => [entry.bodyId, entry.details])).toEqual([
      [QUIET_BODY_ID, { publish: false }],
      [QUIET_BODY_ID, { publish: true }],
    ]);
  });

  it('when the body is unknown or the value is not on or off, then it says so and exits with an error', () => {
    expect(admin('--body', 'no-such-body', '--publish', 'on')).toMatchObject({ status: 1, out: expect.stringContaining('There is no body no-such-body') });
    expect(admin('--body', QUIET_BODY_ID, '--publish', 'yes')).toMatchObject({ status: 1, out: expect.stringContaining('--publish must be "on" or "off".') });
  });
});
