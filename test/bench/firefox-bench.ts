/**
 * The Firefox suite (issue 16): Firefox ESR with standard settings and with Tor Browser's "Safer"
 * JavaScript settings, in one run. In each, a file goes through the intake's real encrypt-and-upload
 * code (client/intake/api.ts) to a real intake app on loopback, beside the same data encrypted by
 * OpenPGP.js's own build with nothing around it; the proof of work at the intake's default price; a
 * profile of the upload path's steps; the intake's cleaning of a 20-page PDF (both ways) and of a
 * 50 MiB phone video (issue 18); and the tab's memory while a large file uploads.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { resolveConfig } from '../../config/schema';
import { CSP_VIOLATION_PREFIX, reportCspViolations } from '../helpers/browsers/test-browser';
import { startTestIntake, TEST_BODY_ID } from '../helpers/intake';
import { buildAndServePage } from './browser-page';
import { launchFirefox, startTabMemoryWatch, type FirefoxPrefSet, type TabMemory } from './firefox-browser';
import { pseudoRandomStream } from './pseudo-random-stream';
import {
  FILE_INPUT_ID,
  FIREFOX_PAGE_API_GLOBAL,
  OPENPGP_LIBRARY_PATH,
  type DirectMeasurement,
  type FileUploadMeasurement,
  type FirefoxPageApi,
  type PdfCleaningMeasurement,
  type StageProfile,
  type UploadMeasurement,
  type UploadRequest,
  type VideoCleaningMeasurement,
  type WorkMeasurement,
} from './firefox/page-api';
import { renderTable } from './table';
import { MIB, timedRow, type BenchCheck, type BenchRow, type BenchSuite } from './suite';

const PAGE_SOURCE_DIR = fileURLToPath(new URL('./firefox/', import.meta.url));
const OPENPGP_BUILD = fileURLToPath(new URL('../../node_modules/openpgp/dist/openpgp.min.mjs', import.meta.url));
const PREF_SETS: readonly FirefoxPrefSet[] = ['standard', 'safer'];
/** Unmeasured, before each pref set's runs: a parsed key, and compiled code where there is a JIT. */
const WARMUP_BYTES = 4 * MIB;
/** Each path runs this many times, interleaved, so that a busy moment of the shared machine hits both alike. */
const ROUNDS = 2;
/** Pages of the PDF cleaned both ways, as a long report's attachment might have. */
const PDF_BENCH_PAGES = 20;
/** Media data of the phone video cleaned (issue 18's "50 MB video"). */
const VIDEO_BENCH_BYTES = 50 * MIB;
const PROFILE_BYTES = 8 * MIB;
const SAMPLE_INTERVAL_MS = 200;
const PAGE_READY_TIMEOUT_MS = 60_000;
/** Where the page keeps the outcome of the run it was asked to start, and how often it is asked. */
const OUTCOME_SLOT = 'candorFirefoxBenchOutcome';
const POLL_INTERVAL_MS = 500;

/** Targets of issue 16, checked at the Safer level. */
const TARGETS = { ratioToDirect: 0.5, intakeMibPerSecond: 5, workMedianSeconds: 5, tabMemoryMib: 300 } as const;

function mibSetting(variable: string, fallback: number, allowZero = false): number {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback * MIB;
  const mib = Number(raw);
  if (!Number.isSafeInteger(mib) || mib < (allowZero ? 0 : 1)) throw new RangeError(`${variable} must be a whole number of MiB; it is "${raw}".`);
  return mib * MIB;
}

function countSetting(variable: string, fallback: number): number {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback;
  const count = Number(raw);
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`${variable} must be a whole number, at least 1; it is "${raw}".`);
  return count;
}

interface PrefSetRun {
  readonly prefSet: FirefoxPrefSet;
  readonly version: string;
  readonly profile: StageProfile;
  readonly intake: readonly UploadMeasurement[];
  readonly sink: readonly UploadMeasurement[];
  readonly direct: readonly DirectMeasurement[];
  readonly work: readonly WorkMeasurement[];
  readonly memory: { readonly upload: FileUploadMeasurement; readonly tab: TabMemory } | null;
  readonly pdf: PdfCleaningMeasurement;
  readonly video: VideoCleaningMeasurement;
  /** What the page's documents reported (securitypolicyviolation), in this pref set's browsers. */
  readonly cspViolations: readonly string[];
}

const rateOf = (m: { plaintextBytes: number; elapsedMs: number }) => m.plaintextBytes / MIB / (m.elapsedMs / 1000);
const meanRate = (runs: readonly { plaintextBytes: number; elapsedMs: number }[]) => runs.reduce((sum, m) => sum + rateOf(m), 0) / runs.length;
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

type PageCall = <K extends keyof FirefoxPageApi>(method: K, ...args: Parameters<FirefoxPageApi[K]>) => Promise<Awaited<ReturnType<FirefoxPageApi[K]>>>;

interface OpenedPage {
  readonly page: Page;
  readonly call: PageCall;
  /** Uncaught errors and console errors (CSP violations among them), reported if a call fails. */
  readonly pageErrors: string[];
  /** The CSP violations the page's documents report, as they come: each fails a check. */
  readonly cspViolations: string[];
}

/**
 * Opens the benchmark page in a new tab and returns a way to call its API, and the errors it reports.
 * A run can outlast the protocol's timeout for one call (3 minutes), so the page starts it and keeps
 * its outcome, and the benchmark asks for that until it is there. The functions given to
 * page.evaluate run in the page: they can use nothing but their arguments.
 *
 * Every CSP violation reported is the page's own: Firefox runs what WebDriver BiDi evaluates
 * (page.evaluate, waitForFunction, the listener below) outside the page's CSP, so that even
 * `new Function` inside page.evaluate is allowed and reports nothing (tried with Firefox ESR 153).
 * A violation in a worker (pdf.js's) fires in the worker, where this listener does not hear it.
 */
async function openBenchPage(browser: Browser, pageUrl: string): Promise<OpenedPage> {
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];
  await page.evaluateOnNewDocument(reportCspViolations, CSP_VIOLATION_PREFIX);
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    pageErrors.push(message.text());
    if (message.text().startsWith(CSP_VIOLATION_PREFIX)) cspViolations.push(message.text());
  });
  const call: PageCall = async (method, ...args) => {
    await page.evaluate(
      (name, key, pageArgs, slot) => {
        const scope = globalThis as unknown as Record<string, unknown>;
        const api = scope[name] as Record<string, (...a: unknown[]) => Promise<unknown>>;
        scope[slot] = undefined;
        api[key]!(...pageArgs).then(
          (value) => (scope[slot] = { value }),
          (error: unknown) => (scope[slot] = { error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) }),
        );
      },
      FIREFOX_PAGE_API_GLOBAL,
      method,
      args,
      OUTCOME_SLOT,
    );
    for (;;) {
      await delay(POLL_INTERVAL_MS);
      const outcome = (await page.evaluate((slot) => (globalThis as unknown as Record<string, unknown>)[slot], OUTCOME_SLOT)) as { value?: unknown; error?: string } | undefined;
      if (outcome === undefined) continue;
      if (outcome.error !== undefined) throw new Error(`In the page: ${outcome.error}`);
      return outcome.value as never;
    }
  };
  await page.goto(pageUrl);
  await page.waitForFunction((name) => name in globalThis, { timeout: PAGE_READY_TIMEOUT_MS }, FIREFOX_PAGE_API_GLOBAL);
  return { page, call, pageErrors, cspViolations };
}

interface Settings {
  readonly uploadBytes: number;
  readonly workSamples: number;
  readonly armoredPublicKey: string;
}

const uploadRequest = (settings: Settings, plaintextBytes: number): UploadRequest => ({ bodyId: TEST_BODY_ID, armoredPublicKey: settings.armoredPublicKey, plaintextBytes });

async function runPrefSet(prefSet: FirefoxPrefSet, pageUrl: string, settings: Settings, progress: (message: string) => void): Promise<Omit<PrefSetRun, 'memory'>> {
  const browser = await launchFirefox(prefSet);
  let pageErrors: string[] = [];
  try {
    const opened = await openBenchPage(browser, pageUrl);
    pageErrors = opened.pageErrors;
    const { call, cspViolations } = opened;
    const request = (plaintextBytes: number) => uploadRequest(settings, plaintextBytes);
    progress(`${prefSet}: warming up`);
    await call('measureDirectOpenpgp', request(WARMUP_BYTES));
    await call('measureIntakeUpload', request(WARMUP_BYTES));
    progress(`${prefSet}: profiling the upload path's steps over ${PROFILE_BYTES / MIB} MiB`);
    const profile = await call('profileStages', request(PROFILE_BYTES));
    const intake: UploadMeasurement[] = [];
    const sink: UploadMeasurement[] = [];
    const direct: DirectMeasurement[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      progress(`${prefSet}: ${settings.uploadBytes / MIB} MiB with OpenPGP.js directly, round ${round}`);
      direct.push(await call('measureDirectOpenpgp', request(settings.uploadBytes)));
      progress(`${prefSet}: ${settings.uploadBytes / MIB} MiB through the intake's upload path, round ${round}`);
      intake.push(await call('measureIntakeUpload', request(settings.uploadBytes)));
      progress(`${prefSet}: ${settings.uploadBytes / MIB} MiB through the intake's upload code into a sink in the page, round ${round}`);
      sink.push(await call('measureSinkUpload', request(settings.uploadBytes)));
    }
    const work: WorkMeasurement[] = [];
    for (let sample = 1; sample <= settings.workSamples; sample++) {
      progress(`${prefSet}: proof of work ${sample} of ${settings.workSamples}`);
      work.push(await call('measureProofOfWork'));
    }
    progress(`${prefSet}: a PDF of ${PDF_BENCH_PAGES} pages cleaned both ways`);
    const pdf = await call('measurePdfCleaning', PDF_BENCH_PAGES);
    progress(`${prefSet}: a phone video of ${VIDEO_BENCH_BYTES / MIB} MiB cleaned`);
    const video = await call('measureVideoCleaning', VIDEO_BENCH_BYTES);
    return { prefSet, version: await browser.version(), profile, intake, sink, direct, work, pdf, video, cspViolations };
  } catch (error) {
    throw pageErrors.length === 0 ? error : new Error(`The page reported: ${pageErrors.join(' | ')}`, { cause: error });
  } finally {
    await browser.close();
  }
}

/**
 * The tab's memory while a large file goes through the intake's file path, in a Firefox of its own:
 * a new profile and content process, warmed up by one small upload (a case created, the key read),
 * as a reporter's tab would be, not one that has also run OpenPGP.js's own build and every other
 * measurement. The file is a real one on disk, picked in the page's file input, and sent as the
 * intake's page sends it: its block digest read first, then encrypted and uploaded.
 */
async function measureTabMemory(
  prefSet: FirefoxPrefSet,
  pageUrl: string,
  settings: Settings,
  filePath: string,
  progress: (message: string) => void,
): Promise<{ memory: NonNullable<PrefSetRun['memory']>; cspViolations: readonly string[] }> {
  const browser = await launchFirefox(prefSet);
  let pageErrors: string[] = [];
  try {
    const { page, call, pageErrors: reported, cspViolations } = await openBenchPage(browser, pageUrl);
    pageErrors = reported;
    progress(`${prefSet}: a fresh tab, warming up`);
    await call('measureIntakeUpload', uploadRequest(settings, WARMUP_BYTES));
    const input = await page.$(`#${FILE_INPUT_ID}`);
    if (input === null) throw new Error('The page has no file input.');
    await (input as ElementHandle<HTMLInputElement>).uploadFile(filePath);
    progress(`${prefSet}: the file picked, hashed and uploaded, the tab's memory watched`);
    const watch = startTabMemoryWatch(browser, SAMPLE_INTERVAL_MS);
    const upload = await call('measurePickedFileUpload', { bodyId: TEST_BODY_ID, armoredPublicKey: settings.armoredPublicKey }).catch((error: unknown) => {
      try {
        watch.stop();
      } catch {
        // The upload's failure is the one to report.
      }
      throw error;
    });
    return { memory: { upload, tab: watch.stop() }, cspViolations };
  } catch (error) {
    throw pageErrors.length === 0 ? error : new Error(`The page reported: ${pageErrors.join(' | ')}`, { cause: error });
  } finally {
    await browser.close();
  }
}

/** A file of `bytes` pseudo-random bytes on disk, for the page to pick; removed by the returned function. */
async function writeTestFile(bytes: number): Promise<{ path: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'candor-firefox-bench-'));
  const path = join(dir, 'file.bin');
  await pipeline(Readable.fromWeb(pseudoRandomStream(bytes) as NodeReadableStream<Uint8Array>), createWriteStream(path));
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}

const HEADERS = ['Firefox', 'what', 'result'] as const;

function describeRun(run: PrefSetRun): string[][] {
  const name = `${run.version} ${run.prefSet}`;
  const intakeRate = meanRate(run.intake);
  const directRate = meanRate(run.direct);
  const rates = (runs: readonly { plaintextBytes: number; elapsedMs: number }[]) => runs.map((m) => rateOf(m).toFixed(1)).join(', ');
  const work = run.work.map((m) => m.elapsedMs / 1000);
  const p = run.profile;
  const lines = [
    [name, `intake upload path, ${run.intake[0]!.plaintextBytes / MIB} MiB (MiB/s per round)`, `${intakeRate.toFixed(1)} MiB/s (${rates(run.intake)})`],
    [name, 'same upload code, answered in the page (no network, no intake)', `${meanRate(run.sink).toFixed(1)} MiB/s (${rates(run.sink)}), ${(meanRate(run.sink) / directRate).toFixed(2)}x direct`],
    [name, 'OpenPGP.js directly, same data, one encrypt per MiB', `${directRate.toFixed(1)} MiB/s (${rates(run.direct)})`],
    [name, 'intake path / direct', `${(intakeRate / directRate).toFixed(2)}x`],
    [name, `proof of work at ${run.work[0]!.difficultyBits} bits, median of ${work.length}`, `${median(work).toFixed(2)} s (${work.map((s) => s.toFixed(1)).join(', ')})`],
    [
      name,
      'profile, ms per MiB',
      `generate ${p.generation.toFixed(0)}, encryptAttachment ${p.encryptAttachment.toFixed(0)}, block SHA-256 (WebCrypto, the completion's) ${p.blockSha256.toFixed(1)}, whole-file SHA-256 (JS, the completion's before) ${p.wholeFileSha256.toFixed(0)}, piece SHA-256 (WebCrypto) ${p.pieceSha256WebCrypto.toFixed(1)}, request signature ${p.requestSignature.toFixed(1)}`,
    ],
  ];
  lines.push([
    name,
    `PDF cleaning, ${run.pdf.pages} pages of text (${(run.pdf.inputBytes / 1024).toFixed(0)} KiB)`,
    `remove hidden information ${(run.pdf.hiddenInformationMs / 1000).toFixed(2)} s; keep only what the pages show ${(run.pdf.pagesOnlyMs / 1000).toFixed(1)} s (${((run.pdf.pagesOnlyMs / run.pdf.pages) / 1000).toFixed(2)} s per page, ${(run.pdf.pagesOnlyBytes / MIB).toFixed(1)} MiB out)`,
  ]);
  lines.push([
    name,
    `MP4 cleaning, a phone video of ${(run.video.inputBytes / MIB).toFixed(1)} MiB (place, device and times in udta and meta)`,
    `${(run.video.elapsedMs / 1000).toFixed(3)} s, removed ${run.video.removed.join(', ')}; ${(run.video.outputBytes / MIB).toFixed(1)} MiB out`,
  ]);
  if (run.memory !== null) {
    const { upload, tab } = run.memory;
    lines.push([
      name,
      `content process RSS, fresh tab: ${upload.plaintextBytes / MIB} MiB file picked, digest pass ${(upload.digestMs / 1000).toFixed(1)} s, then upload, ${rateOf(upload).toFixed(1)} MiB/s in all`,
      `peak ${(tab.peakBytes / MIB).toFixed(0)} MiB (+${((tab.peakBytes - tab.baselineBytes) / MIB).toFixed(0)} above its ${(tab.baselineBytes / MIB).toFixed(0)} MiB at the start)`,
    ]);
  }
  return lines;
}

function saferChecks(run: PrefSetRun): BenchCheck[] {
  const intakeRate = meanRate(run.intake);
  const ratio = intakeRate / meanRate(run.direct);
  const workMedian = median(run.work.map((m) => m.elapsedMs / 1000));
  const check = (name: string, ok: boolean, detail: string): BenchCheck => ({ name, outcome: ok ? 'pass' : 'warn', detail });
  const checks = [
    check('Safer: intake path at least half of OpenPGP.js directly', ratio >= TARGETS.ratioToDirect, `${ratio.toFixed(2)}x (target ${TARGETS.ratioToDirect}x)`),
    check('Safer: intake path at least 5 MiB/s', intakeRate >= TARGETS.intakeMibPerSecond, `${intakeRate.toFixed(1)} MiB/s`),
    check('Safer: proof of work median at most 5 s', workMedian <= TARGETS.workMedianSeconds, `${workMedian.toFixed(2)} s at ${run.work[0]!.difficultyBits} bits`),
  ];
  if (run.memory !== null) {
    const peakMib = run.memory.tab.peakBytes / MIB;
    checks.push(
      check(
        `Safer: tab memory for a ${run.memory.upload.plaintextBytes / MIB} MiB file under 300 MiB`,
        peakMib < TARGETS.tabMemoryMib,
        `content process peak RSS ${peakMib.toFixed(0)} MiB (its whole resident set, not the growth: +${((run.memory.tab.peakBytes - run.memory.tab.baselineBytes) / MIB).toFixed(0)} MiB over ${(run.memory.tab.baselineBytes / MIB).toFixed(0)} MiB at the start)`,
      ),
    );
  }
  return checks;
}

/** The page runs under the intake's CSP, as the intake's pages do, whose browser tests fail on any violation. */
function cspCheck(run: PrefSetRun): BenchCheck {
  const distinct = [...new Set(run.cspViolations)];
  return {
    name: `Firefox ${run.prefSet}: no CSP violation in the benchmark page`,
    outcome: distinct.length === 0 ? 'pass' : 'fail',
    detail: distinct.length === 0 ? 'none reported' : `${run.cspViolations.length} reported: ${distinct.join(' | ')}`,
  };
}

function rows(run: PrefSetRun): BenchRow[] {
  const timed = (operation: string, runs: readonly { plaintextBytes: number; elapsedMs: number }[]) =>
    timedRow({ operation: `${operation} in Firefox ${run.prefSet}`, sizeBytes: runs[0]!.plaintextBytes, iterations: runs.length, rateUnit: 'MiB/s' }, runs.map((m) => m.elapsedMs));
  return [
    timed('intake upload path', run.intake),
    timed('upload code into an in-page sink', run.sink),
    timed('OpenPGP.js directly', run.direct),
    timedRow({ operation: `proof of work in Firefox ${run.prefSet}`, sizeBytes: null, iterations: run.work.length, rateUnit: 'ops/s' }, run.work.map((m) => m.elapsedMs)),
    timedRow({ operation: `PDF of ${run.pdf.pages} pages, remove hidden information, in Firefox ${run.prefSet}`, sizeBytes: run.pdf.inputBytes, iterations: 1, rateUnit: 'ops/s' }, [run.pdf.hiddenInformationMs]),
    timedRow({ operation: `PDF of ${run.pdf.pages} pages, keep only what the pages show, in Firefox ${run.prefSet}`, sizeBytes: run.pdf.inputBytes, iterations: 1, rateUnit: 'ops/s' }, [run.pdf.pagesOnlyMs]),
    timedRow({ operation: `MP4 of ${(run.video.inputBytes / MIB).toFixed(0)} MiB, place and device removed in place, in Firefox ${run.prefSet}`, sizeBytes: run.video.inputBytes, iterations: 1, rateUnit: 'MiB/s' }, [run.video.elapsedMs]),
  ];
}

function metrics(run: PrefSetRun): Record<string, number | string> {
  const prefix = run.prefSet;
  return {
    [`${prefix}FirefoxVersion`]: run.version,
    [`${prefix}IntakeMibPerSecond`]: meanRate(run.intake),
    [`${prefix}DirectMibPerSecond`]: meanRate(run.direct),
    [`${prefix}IntakeToDirectRatio`]: meanRate(run.intake) / meanRate(run.direct),
    [`${prefix}SinkMibPerSecond`]: meanRate(run.sink),
    [`${prefix}SinkToDirectRatio`]: meanRate(run.sink) / meanRate(run.direct),
    [`${prefix}PdfHiddenInformationSeconds`]: run.pdf.hiddenInformationMs / 1000,
    [`${prefix}PdfPagesOnlySecondsPerPage`]: run.pdf.pagesOnlyMs / run.pdf.pages / 1000,
    [`${prefix}VideoCleaningMs`]: run.video.elapsedMs,
    [`${prefix}StoredBytes`]: run.intake[0]!.storedBytes,
    [`${prefix}WorkDifficultyBits`]: run.work[0]!.difficultyBits,
    [`${prefix}WorkMedianMs`]: median(run.work.map((m) => m.elapsedMs)),
    ...Object.fromEntries(Object.entries(run.profile).map(([stage, ms]) => [`${prefix}Profile${stage[0]!.toUpperCase()}${stage.slice(1)}MsPerMib`, ms])),
    ...(run.memory === null
      ? {}
      : {
          [`${prefix}MemoryUploadBytes`]: run.memory.upload.plaintextBytes,
          [`${prefix}MemoryUploadMibPerSecond`]: rateOf(run.memory.upload),
          [`${prefix}MemoryDigestMs`]: run.memory.upload.digestMs,
          [`${prefix}TabPid`]: run.memory.tab.pid,
          [`${prefix}TabRssBaselineBytes`]: run.memory.tab.baselineBytes,
          [`${prefix}TabRssPeakBytes`]: run.memory.tab.peakBytes,
          [`${prefix}TabRssScope`]: run.memory.tab.maxRssScope,
        }),
  };
}

const METHOD_NOTE = [
  'Intake path: uploadAttachment of client/intake/api.ts (encryptAttachment, 1 MiB signed PUTs, the block SHA-256, completion)',
  'to a real intake app on loopback serving the page, in a case created through its API; generation of the data included.',
  'Sink: the same call with fetch answered in the page, so without the network and the intake (its checks, writes and fsyncs).',
  'Direct: OpenPGP.js 6 as shipped (dist/openpgp.min.mjs), openpgp.encrypt of each MiB of the same data to the same key, binary output.',
  'Tab memory: a Firefox of its own (new profile and content process), warmed up by one 4 MiB upload; then a file on disk picked in the page,',
  'its block digest read and the file uploaded as the intake page sends it. VmRSS samples and VmHWM (reset at the start) of the busiest',
  'web content process, from /proc; the target is for the peak itself (the whole process), not its growth.',
  "PDF: 20 pages of text made with pdf-lib in the page, cleaned both ways by the intake's own code (pdf.ts, pdf-pages.ts).",
  'MP4: built in the page (phone-video.ts: udta ©xyz/©mak/©mod/©swr, meta keys and ilst, times, then 50 MiB of pseudo-random media data),',
  "cleaned by cleanFile of client/intake/metadata/index.ts as the intake cleans a picked file; the run fails unless its report removed place and device.",
].join('\n');

export const firefoxSuite: BenchSuite = {
  name: 'firefox',
  async run(progress) {
    const uploadBytes = mibSetting('CANDOR_BENCH_FIREFOX_MIB', 64);
    const memoryBytes = mibSetting('CANDOR_BENCH_FIREFOX_MEMORY_MIB', 1024, true);
    const workSamples = countSetting('CANDOR_BENCH_FIREFOX_WORK_SAMPLES', 7);
    const largestFileBytes = Math.max(uploadBytes, memoryBytes);
    // The price a quiet intake asks by default, whatever the test intake's own default.
    const difficultyBits = resolveConfig({}, {}).proofOfWork.difficultyBits;
    progress('starting a loopback intake');
    const intake = await startTestIntake({
      env: {
        CANDOR_POW_DIFFICULTY_BITS: String(difficultyBits),
        // Room for the largest file sent, encrypted: with the memory runs skipped, that is an upload round's.
        CANDOR_LIMIT_ATTACHMENT_BYTES: String(2 * largestFileBytes + 64 * MIB),
        CANDOR_LIMIT_CASE_BYTES: String(4 * largestFileBytes + 128 * MIB),
        CANDOR_BUDGET_TOTAL_BYTES: String(64 * 1024 * MIB),
        CANDOR_BUDGET_DAILY_INTAKE_BYTES: String(64 * 1024 * MIB),
      },
    });
    try {
      progress('building the benchmark page with Vite');
      const page = await buildAndServePage(PAGE_SOURCE_DIR, { files: { [OPENPGP_LIBRARY_PATH]: OPENPGP_BUILD }, api: intake.app });
      const runs: PrefSetRun[] = [];
      let file: Awaited<ReturnType<typeof writeTestFile>> | null = null;
      try {
        const settings: Settings = { uploadBytes, workSamples, armoredPublicKey: intake.investigator.generated.armoredPublicKey };
        if (memoryBytes > 0) {
          progress(`writing a ${memoryBytes / MIB} MiB file for the tab memory runs`);
          file = await writeTestFile(memoryBytes);
        }
        for (const prefSet of PREF_SETS) {
          const run = await runPrefSet(prefSet, page.url, settings, progress);
          const tab = file === null ? null : await measureTabMemory(prefSet, page.url, settings, file.path, progress);
          runs.push({ ...run, memory: tab?.memory ?? null, cspViolations: [...run.cspViolations, ...(tab?.cspViolations ?? [])] });
        }
      } finally {
        await Promise.allSettled([page.close(), file?.remove()]);
      }
      const safer = runs.find((run) => run.prefSet === 'safer')!;
      return {
        rows: runs.flatMap(rows),
        table: `${renderTable(HEADERS, [false, false, false], runs.flatMap(describeRun))}\n\n${METHOD_NOTE}`,
        checks: [...runs.map(cspCheck), ...saferChecks(safer)],
        metrics: Object.assign({ uploadBytes }, ...runs.map(metrics)) as Record<string, number | string>,
      };
    } finally {
      intake.close();
    }
  },
};
