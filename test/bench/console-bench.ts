/**
 * The console suite: 1 000 reports (CANDOR_BENCH_CONSOLE_REPORTS) decrypted, checked and indexed
 * for search by the console's code in headless Chromium, as an investigator's tab does when it
 * decrypts the listed cases, and the same in Node for comparison; then one search over all of them.
 */
import { randomBytes } from 'node:crypto';
import { checkRecipientKey, encryptReport, generateInvestigatorKey, toBase64Url, type CaseId } from '../../crypto/index';
import { launchChromium } from '../helpers/browser';
import { buildAndServePage } from './browser-page';
import { CONSOLE_PAGE_GLOBAL, measureReportDecryption, type ConsolePageApi, type DecryptionMeasurement, type DecryptionWorkload } from './console-decryption';
import { timedRow, type BenchCheck, type BenchRow, type BenchSuite } from './suite';

const DEFAULT_REPORTS = 1000;
const REPORTS_VARIABLE = 'CANDOR_BENCH_CONSOLE_REPORTS';
/** One report in this many carries the word searched for. */
const MARKED_EVERY = 10;
const SEARCH_WORD = 'harbourcontract';
const PASSPHRASE = 'benchmark passphrase for the console';
const PAGE_READY_TIMEOUT_MS = 30_000;
/** An investigator decrypting a page of 50 cases should not wait more than a few seconds. */
const WARN_ABOVE_MS_PER_REPORT = 100;
const PAGE_SOURCE_DIR = new URL('./console-page/', import.meta.url).pathname;

function reportCount(): number {
  const raw = process.env[REPORTS_VARIABLE];
  if (raw === undefined || raw === '') return DEFAULT_REPORTS;
  const count = Number(raw);
  if (!Number.isSafeInteger(count) || count < MARKED_EVERY) throw new RangeError(`${REPORTS_VARIABLE} must be a whole number of at least ${MARKED_EVERY}; it is "${raw}".`);
  return count;
}

/** A report document of typical length: a few answers of a paragraph or two. */
function reportDocument(index: number): string {
  const story = `Report ${index}: the tender for the municipal works was awarded before the deadline to a firm owned by a relative of the deputy mayor. `;
  return JSON.stringify({
    format: 'candor-report',
    version: 1,
    bodyId: 'benchmark-body',
    answers: { what: story.repeat(8) + (index % MARKED_EVERY === 0 ? ` ${SEARCH_WORD}` : ''), when: '2026-10-01', who: 'The deputy mayor and the director of works.' },
    attachments: [],
  });
}

async function makeWorkload(count: number, progress: (message: string) => void): Promise<DecryptionWorkload> {
  progress('generating an investigator key');
  const key = await generateInvestigatorKey({ name: 'Benchmark Investigator', passphrase: PASSPHRASE });
  const recipient = await checkRecipientKey(key.armoredPublicKey);
  progress(`encrypting ${count} reports in Node`);
  const reports: { caseId: string; ciphertext: string }[] = [];
  for (let index = 0; index < count; index++) {
    const caseId = randomBytes(32).toString('hex') as CaseId;
    reports.push({ caseId, ciphertext: toBase64Url(await encryptReport(reportDocument(index), [recipient], { caseId })) });
  }
  return { lockedPrivateKey: key.armoredPrivateKey, passphrase: PASSPHRASE, reports, query: SEARCH_WORD };
}

async function runInChromium(workload: DecryptionWorkload, progress: (message: string) => void): Promise<{ version: string; measurement: DecryptionMeasurement }> {
  progress('building the benchmark page with Vite');
  const page = await buildAndServePage(PAGE_SOURCE_DIR);
  const launched = await launchChromium();
  try {
    const tab = await launched.browser.newPage();
    const pageErrors: string[] = [];
    tab.on('pageerror', (error) => pageErrors.push(error.message));
    await tab.goto(page.url);
    await tab.waitForFunction((name) => name in globalThis, CONSOLE_PAGE_GLOBAL, { timeout: PAGE_READY_TIMEOUT_MS });
    progress(`decrypting ${workload.reports.length} reports in Chromium`);
    try {
      // The function runs in the page: it can use nothing but its arguments.
      const measurement = await tab.evaluate(
        ([name, pageWorkload]) => (globalThis as unknown as Record<string, ConsolePageApi>)[name]!.measureReportDecryption(pageWorkload),
        [CONSOLE_PAGE_GLOBAL, workload] as const,
      );
      return { version: launched.browser.version(), measurement };
    } catch (error) {
      throw pageErrors.length === 0 ? error : new Error(`The page reported: ${pageErrors.join(' | ')}`, { cause: error });
    }
  } finally {
    await launched.close();
    await page.close();
  }
}

function rows(where: string, measurement: DecryptionMeasurement): BenchRow[] {
  return [
    timedRow({ operation: `unlock the key in ${where}`, sizeBytes: null, iterations: 1, rateUnit: 'ops/s' }, [measurement.unlockMs]),
    timedRow({ operation: `decrypt + check + index a report in ${where}`, sizeBytes: null, iterations: measurement.reportMs.length, rateUnit: 'ops/s' }, measurement.reportMs),
    timedRow({ operation: `search all reports in ${where}`, sizeBytes: null, iterations: 1, rateUnit: 'ops/s' }, [measurement.searchMs]),
  ];
}

function checks(count: number, runs: Readonly<Record<string, DecryptionMeasurement>>): BenchCheck[] {
  const expectedHits = Math.ceil(count / MARKED_EVERY);
  return Object.entries(runs).flatMap(([where, run]) => {
    const mean = run.reportMs.reduce((sum, ms) => sum + ms, 0) / run.reportMs.length;
    return [
      {
        name: `every report readable in ${where}`,
        outcome: run.readable === count && run.hits === expectedHits ? 'pass' : 'fail',
        detail: `${run.readable} of ${count} reports decrypted and parsed; the search found ${run.hits} of ${expectedHits}`,
      },
      {
        name: `time per report in ${where}`,
        outcome: mean <= WARN_ABOVE_MS_PER_REPORT ? 'pass' : 'warn',
        detail: `${mean.toFixed(1)} ms per report (${((mean * count) / 1000).toFixed(1)} s for ${count}); warned above ${WARN_ABOVE_MS_PER_REPORT} ms`,
      },
    ] satisfies BenchCheck[];
  });
}

export const consoleSuite: BenchSuite = {
  name: 'console',
  async run(progress) {
    const count = reportCount();
    const workload = await makeWorkload(count, progress);
    progress(`decrypting ${count} reports in Node`);
    const node = await measureReportDecryption(workload);
    const chromium = await runInChromium(workload, progress);
    const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
    return {
      rows: [...rows('Chromium', chromium.measurement), ...rows('Node', node)],
      checks: checks(count, { Chromium: chromium.measurement, Node: node }),
      metrics: {
        chromiumVersion: chromium.version,
        reports: count,
        chromiumTotalMs: sum(chromium.measurement.reportMs),
        nodeTotalMs: sum(node.reportMs),
        chromiumToNodeRatio: sum(chromium.measurement.reportMs) / sum(node.reportMs),
      },
    };
  },
};
