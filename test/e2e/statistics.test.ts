/**
 * The statistics page in Debian's Chromium with the real CSP: reached from the home page, a chart
 * with a text alternative and a table per body showing the JSON's figures, links to the open data,
 * and no axe-core (WCAG 2.2 AA) violation. A right-to-left screenshot is kept under test-results/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PublishedCount, StatisticsDocument } from '../../protocol/statistics';
import { addDays, type Day } from '../../server/clock';
import { axeViolations } from '../helpers/axe';
import { withBrowserSite } from '../helpers/browser-intake';
import { TEST_BODY_ID } from '../helpers/intake';
import { casesReceivedIn, seedWorkflowCases } from '../helpers/workflow-cases';

const RESULTS_DIR = fileURLToPath(new URL('../../test-results/', import.meta.url));
const BODY_NAME = 'Test Anti-Corruption Body';
const SECOND_BODY_ID = 'second-ombudsman';

const suite = withBrowserSite();

/** The first month of the last quarter that has ended, as `YYYY-MM`: the site uses the real clock. */
function lastEndedQuarterMonth(): string {
  const now = new Date();
  const quarterStart = Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3 - 3, 1);
  return new Date(quarterStart).toISOString().slice(0, 7);
}

beforeAll(() => {
  const { storage } = suite.site.intake;
  const month = lastEndedQuarterMonth();
  // The second body's first day is in the last ended quarter, so it has that one quarter only; the
  // test body's is unknown, so its series starts in January of its earliest report's year.
  storage.bodies.save({ ...storage.bodies.find(TEST_BODY_ID)!, id: SECOND_BODY_ID, name: 'Second Ombudsman', createdOn: `${month}-01` as Day });
  storage.bodies.setPublishStatistics(TEST_BODY_ID, true);
  storage.bodies.setPublishStatistics(SECOND_BODY_ID, true);
  seedWorkflowCases(storage, TEST_BODY_ID, [
    ...casesReceivedIn(month, 20, (received) => ({ acknowledgedOn: addDays(received, 2), closedOn: addDays(received, 30), outcome: 'substantiated' })),
    ...casesReceivedIn(month, 3, (received) => ({ acknowledgedOn: addDays(received, 9) })),
  ]);
  seedWorkflowCases(storage, SECOND_BODY_ID, casesReceivedIn(month, 2, (received: Day) => ({ acknowledgedOn: received })));
});

/** Opens the site and goes to the statistics page from the home page, collecting console errors (CSP reports among them). */
async function openStatistics(locale: string): Promise<{ page: Page; errors: string[] }> {
  const page = await (await suite.chromium.newContext({ locale, viewport: { width: 1000, height: 900 } })).newPage();
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(suite.site.baseUrl);
  await page.locator('.home-links button').click();
  await page.locator('table').first().waitFor();
  return { page, errors };
}

async function statistics(period: 'month' | 'quarter'): Promise<StatisticsDocument> {
  return (await (await fetch(`${suite.site.baseUrl}/api/v1/statistics?period=${period}`)).json()) as StatisticsDocument;
}

const shownAs = (count: PublishedCount) => (typeof count === 'number' ? String(count) : `fewer than ${count.lessThan}`);

/** The texts of one row of a body's table, after its heading cell. */
async function tableRow(page: Page, bodyName: string, figure: string): Promise<string[]> {
  const table = page.getByRole('table', { name: `Figures for ${bodyName}` });
  return table.getByRole('row', { name: new RegExp(`^${figure}`) }).locator('td').allInnerTexts();
}

describe('the statistics page', () => {
  it('when opened from the home page, then each body has a described chart and a table with the JSON figures, and axe finds nothing', async () => {
    const { page, errors } = await openStatistics('en');
    await page.getByRole('heading', { name: 'Published statistics', level: 1 }).waitFor();
    const published = await statistics('quarter');
    const periods = published.bodies.find((body) => body.id === TEST_BODY_ID)!.periods.slice(-8);

    expect(await tableRow(page, BODY_NAME, 'Reports received')).toEqual(periods.map((p) => shownAs(p.received)));
    expect(await tableRow(page, BODY_NAME, 'Cases closed')).toEqual(periods.map((p) => shownAs(p.closed.total)));
    expect(await tableRow(page, BODY_NAME, 'Share acknowledged within 7 days')).toEqual(
      periods.map((p) => (p.acknowledgment.onTimePercent === null ? 'withheld' : `${p.acknowledgment.onTimePercent}%`)),
    );
    expect(periods.at(-1)!.received).toBe(25);
    // Bodies' series differ in length: the second body's starts at its first day.
    expect(published.bodies.find((body) => body.id === SECOND_BODY_ID)!.periods.map((p) => p.start)).toEqual([`${lastEndedQuarterMonth()}-01`]);
    expect(await tableRow(page, 'Second Ombudsman', 'Reports received')).toEqual(['fewer than 5']);

    const chart = page.getByRole('img', { name: `Reports received and cases closed: ${BODY_NAME}` });
    expect(await chart.getAttribute('aria-labelledby')).toMatch(/-title .*-description$/);
    expect(await page.getByRole('heading', { name: 'All bodies that publish' }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    // No inline style or script was blocked by the CSP, and nothing else failed.
    expect(errors).toEqual([]);
    // The check can fail: a chart without its text alternative is reported.
    await page.evaluate(() => {
      const svg = document.querySelector('svg.chart');
      svg?.removeAttribute('aria-labelledby');
      svg?.querySelectorAll('title, desc').forEach((element) => element.remove());
    });
    expect((await axeViolations(page)).join()).toContain('svg-img-alt');
  });

  it('when the data links are followed, then they give the JSON and the CSV of all bodies and of each', async () => {
    const { page } = await openStatistics('en');
    const hrefs = await page.locator('.data-links a').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    expect(new Set(hrefs)).toEqual(
      new Set([
        '/api/v1/statistics?period=quarter',
        '/api/v1/statistics.csv?period=quarter',
        `/api/v1/bodies/${TEST_BODY_ID}/statistics?period=quarter`,
        `/api/v1/bodies/${TEST_BODY_ID}/statistics.csv?period=quarter`,
        `/api/v1/bodies/${SECOND_BODY_ID}/statistics?period=quarter`,
        `/api/v1/bodies/${SECOND_BODY_ID}/statistics.csv?period=quarter`,
      ]),
    );
    for (const href of hrefs) {
      const response = await fetch(`${suite.site.baseUrl}${href}`);
      expect([href, response.status, response.headers.get('content-type')]).toEqual([href, 200, href!.includes('.csv') ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8']);
    }
  });

  it('when months are chosen, then the tables list months, and the page still passes axe', async () => {
    const { page } = await openStatistics('en');
    await page.getByLabel('Month').check();
    const months = (await statistics('month')).bodies.find((body) => body.id === TEST_BODY_ID)!.periods.slice(-8);
    const firstMonth = new Intl.DateTimeFormat('en', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${months[0]!.start}T00:00:00Z`));
    const table = page.getByRole('table', { name: `Figures for ${BODY_NAME}` });
    await table.getByRole('columnheader', { name: firstMonth }).waitFor();
    expect(await tableRow(page, BODY_NAME, 'Reports received')).toEqual(months.map((p) => shownAs(p.received)));
    expect(await axeViolations(page)).toEqual([]);
  });

  it('when read in Arabic, then it is laid out right to left with every message translated', async () => {
    const { page, errors } = await openStatistics('ar');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.getByRole('heading', { name: 'الإحصاءات المنشورة', level: 1 }).waitFor();
    expect(await page.locator('body').innerText()).not.toMatch(/statistics\.|\{\w+\}/);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(RESULTS_DIR, 'statistics-ar.png'), fullPage: true });
  });
});
