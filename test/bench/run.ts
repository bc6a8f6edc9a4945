/**
 * Entry point of `npm run bench`: runs each suite, prints its table and checks, and writes its
 * results to bench-results/<suite>.json. Exits non-zero if a suite throws or a check fails.
 * `npm run bench -- intake` runs only the suites named; without names, all of them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { browserSuite } from './browser-bench';
import { consoleSuite } from './console-bench';
import { consoleListSuite } from './console-list-bench';
import { cryptoSuite } from './crypto-bench';
import { idleSuite } from './idle-rss-bench';
import { firefoxSuite } from './firefox-bench';
import { intakeSuite } from './intake-bench';
import { mibPerSecond, opsPerSecond, type BenchSuite, type SuiteResult } from './suite';
import { formatTable } from './table';

// A new benchmark module adds its suite here.
const SUITES: readonly BenchSuite[] = [cryptoSuite, idleSuite, intakeSuite, browserSuite, firefoxSuite, consoleListSuite, consoleSuite];

const RESULTS_DIR = new URL('../../bench-results/', import.meta.url);

function environment() {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryBytes: os.totalmem(),
  };
}

async function writeResults(suite: BenchSuite, result: SuiteResult, startedAt: Date): Promise<URL> {
  const file = new URL(`${suite.name}.json`, RESULTS_DIR);
  const document = {
    suite: suite.name,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    environment: environment(),
    rows: result.rows.map((row) => ({ ...row, opsPerSecond: opsPerSecond(row), mibPerSecond: mibPerSecond(row) })),
    checks: result.checks,
    metrics: result.metrics,
  };
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(file, `${JSON.stringify(document, null, 2)}\n`);
  return file;
}

function printResult(suite: BenchSuite, result: SuiteResult, file: URL): void {
  console.log(`\n${suite.name}\n\n${result.table ?? formatTable(result.rows)}\n`);
  for (const check of result.checks) console.log(`${check.outcome.toUpperCase().padEnd(4)}  ${check.name}: ${check.detail}`);
  console.log(`\nResults written to ${file.pathname}`);
}

/** The suites named on the command line, in the order of SUITES; all of them when none is named. */
function selectedSuites(names: readonly string[]): readonly BenchSuite[] {
  const unknown = names.filter((name) => !SUITES.some((suite) => suite.name === name));
  if (unknown.length > 0) {
    throw new RangeError(`Unknown suite ${unknown.join(', ')}; the suites are ${SUITES.map((suite) => suite.name).join(', ')}.`);
  }
  return names.length === 0 ? SUITES : SUITES.filter((suite) => names.includes(suite.name));
}

async function main(): Promise<void> {
  let failed = false;
  for (const suite of selectedSuites(process.argv.slice(2))) {
    const startedAt = new Date();
    try {
      const result = await suite.run((message) => console.error(`[${suite.name}] ${message}`));
      printResult(suite, result, await writeResults(suite, result, startedAt));
      failed ||= result.checks.some((check) => check.outcome === 'fail');
    } catch (error) {
      console.error(`[${suite.name}] failed:`, error);
      failed = true;
    }
  }
  if (failed) process.exitCode = 1;
}

await main();
