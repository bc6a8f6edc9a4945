/**
 * The intake suite: the real intake (server/start.ts) in its own process, loaded from a second
 * process over loopback, against a bare Express hello-world measured the same way; then one large
 * upload to a fresh intake while the server's resident memory is watched; then a genuine reporter
 * creating cases on a fresh intake with real proof of work, quiet and during a no-work flood from
 * another process; then the largest case an anonymous reporter can make, opened on a restarted
 * intake while its memory is watched (issue 13).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../config/schema';
import { FLOOD_KINDS, type FloodKind } from './flood-report';
import { floodIntakeSettings, runFloodPhase, type FloodResult, type FloodSettings } from './flood-phase';
import type { GenuineResult } from './genuine-reporter';
import { fillLargestCase, openLargestCase, type FilledCase, type LargestCaseOpening, type OpeningSettings } from './largest-case';
import { runLargeUpload, type LargeUploadResult } from './large-upload';
import { loadReportSchema, serverCpuRatio, type LoadReport, type LoadTarget, type PhaseResult } from './load-phase';
import { formatFloodSummary, formatLargestCaseSummary, formatLoadTable, formatUploadSummary } from './load-table';
import { freePort, runNodeScript, startServerProcess, type ServerProcess } from './node-process';
import type { RssReport } from './rss-monitor';
import { waitForSteadyRss } from './steady-rss';
import { MIB, timedRow, type BenchCheck, type BenchSuite } from './suite';

const INTAKE_SCRIPT = 'server/start.ts';
const INTAKE_READY = 'Candor intake:';
const HELLO_SCRIPT = 'test/bench/hello-server.ts';
const HELLO_READY = 'Hello server:';
const LOAD_GENERATOR_SCRIPT = 'test/bench/load-generator.ts';
const LOAD_TIMEOUT_MS = 5 * 60_000;

const SETTINGS = {
  cases: { variable: 'CANDOR_BENCH_INTAKE_CASES', fallback: 1000 },
  statusChecks: { variable: 'CANDOR_BENCH_INTAKE_STATUS_CHECKS', fallback: 5000 },
  concurrency: { variable: 'CANDOR_BENCH_INTAKE_CONCURRENCY', fallback: 50 },
  // Load-generator processes sharing the clients: enough that none of them is what limits the load.
  loadProcesses: { variable: 'CANDOR_BENCH_INTAKE_PROCESSES', fallback: 3 },
  uploadMib: { variable: 'CANDOR_BENCH_UPLOAD_MIB', fallback: 1024 },
  // The flood: each window's length, the flood's requests in flight, and the base difficulty. 16
  // bits is a quarter of the default 18's work, so that a Node reporter creates a few cases a
  // second and each window counts dozens of them.
  floodSeconds: { variable: 'CANDOR_BENCH_FLOOD_SECONDS', fallback: 20 },
  floodConcurrency: { variable: 'CANDOR_BENCH_FLOOD_CONCURRENCY', fallback: 32 },
  floodDifficultyBits: { variable: 'CANDOR_BENCH_FLOOD_POW_BITS', fallback: 16 },
  // Genuine reporters creating cases one after another, and the most cases each window may use.
  floodGenuineWorkers: { variable: 'CANDOR_BENCH_FLOOD_GENUINE_WORKERS', fallback: 1 },
  floodGenuineCreations: { variable: 'CANDOR_BENCH_FLOOD_GENUINE_CREATIONS', fallback: 200 },
  // The largest case: openings one after another, then readers at once.
  largestCaseRounds: { variable: 'CANDOR_BENCH_LARGEST_CASE_ROUNDS', fallback: 3 },
  largestCaseReaders: { variable: 'CANDOR_BENCH_LARGEST_CASE_READERS', fallback: 4 },
} as const;

/** The intake's limits by default, which the benchmark leaves as they are unless it says otherwise. */
const DEFAULT_LIMITS = resolveConfig({}, {}).limits;
/** The largest piece the intake takes by default, which is what the browser sends. */
const PIECE_BYTES = DEFAULT_LIMITS.uploadChunkBytes;
/**
 * Buffers a request or an answer passed through are garbage once sent, and V8 collects such external
 * memory only once some 64 MiB of it piled up: a server that streams grows by about that whatever it
 * holds (measured: +63 MiB for 256 MiB uploaded, +63 for 1 GiB, +74 for 2 GiB; +69 opening the
 * largest case, with or without the copies each object used to make). Growth bounds are that and half
 * as much again; what shows that nothing piles up is that an upload's second half adds no more than
 * PILING_UP_BYTES.
 */
const V8_EXTERNAL_GARBAGE_BYTES = 64 * MIB;
/** An upload's pieces pass through memory one at a time. */
const RSS_GROWTH_BOUND_BYTES = V8_EXTERNAL_GARBAGE_BYTES * 1.5;
const PILING_UP_BYTES = 16 * MIB;
/** Issue 13: opening a case at every limit keeps the server's growth under this. */
const LARGEST_CASE_RSS_BOUND_BYTES = V8_EXTERNAL_GARBAGE_BYTES * 1.5;

/** What the intake answers each kind of flood request: none buys a case, none is locked out. */
const FLOOD_EXPECTED_STATUS: Readonly<Record<FloodKind, string>> = {
  'proof-of-work': '201',
  'case-challenge': '201',
  'creation-new-id': '400',
  'creation-existing-id': '400',
  'status-unsigned': '401',
  'status-forged-real-id': '401',
  'status-forged-random-id': '401',
};

function setting(name: keyof typeof SETTINGS): number {
  const { variable, fallback } = SETTINGS[name];
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${variable} must be a whole number, at least 1; it is "${raw}".`);
  return value;
}

/**
 * The intake's configuration for the benchmark: the proof of work at 0 bits, the lowest the
 * configuration allows (a creation still fetches its challenge and presents it, but one hash solves
 * it), and rate limits far above the load, so that what is measured is the work per request, not
 * the abuse defences. Writes stay durable (SQLite synchronous=FULL). A phase that measures a
 * defence sets it back in `settings`.
 */
function intakeEnvironment(dataDir: string, ports: { readonly intake: number; readonly console: number }, settings: Readonly<Record<string, string>>): Record<string, string> {
  return {
    CANDOR_DATA_DIR: dataDir,
    CANDOR_INTAKE_HOST: '127.0.0.1',
    CANDOR_INTAKE_PORT: String(ports.intake),
    // The console starts in the same process: a free port, never the default a running system holds.
    CANDOR_CONSOLE_PORT: String(ports.console),
    CANDOR_POW_DIFFICULTY_BITS: '0',
    CANDOR_POW_QUIET_CREATIONS_PER_HOUR: '1000000000',
    CANDOR_RATE_REPORTER_REQUESTS_PER_MINUTE: '1000000000',
    ...settings,
  };
}

/** Room for one attachment of `uploadBytes`, for the load and upload phases. */
function uploadLimits(uploadBytes: number): Record<string, string> {
  return { CANDOR_LIMIT_ATTACHMENT_BYTES: String(uploadBytes), CANDOR_LIMIT_CASE_BYTES: String(uploadBytes + 64 * MIB) };
}

/** Runs `work` with a fresh data directory, and removes it afterwards. */
async function withDataDir<T>(work: (dataDir: string) => Promise<T>): Promise<T> {
  const dataDir = await mkdtemp(join(tmpdir(), 'candor-bench-intake-'));
  try {
    return await work(dataDir);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Runs `work` against an intake started on `dataDir`, and stops it afterwards. */
async function withIntakeOn<T>(dataDir: string, settings: Readonly<Record<string, string>>, work: (intake: ServerProcess) => Promise<T>): Promise<T> {
  const intake = await startServerProcess({ script: INTAKE_SCRIPT, env: intakeEnvironment(dataDir, { intake: await freePort(), console: await freePort() }, settings), readyPrefix: INTAKE_READY });
  try {
    return await work(intake);
  } finally {
    await intake.stop();
  }
}

/** Runs `work` against a fresh intake on a fresh data directory, and removes both afterwards. */
function withIntake<T>(settings: Readonly<Record<string, string>>, work: (intake: ServerProcess, dataDir: string) => Promise<T>): Promise<T> {
  return withDataDir((dataDir) => withIntakeOn(dataDir, settings, (intake) => work(intake, dataDir)));
}

/**
 * Like withIntake, for a phase that watches the server's memory: the intake's first start on a
 * data directory creates the demo body, whose OpenPGP keys leave hundreds of MiB of heap behind
 * (measured: 547 MiB idle, against 167 MiB after a restart), and growth into that freed heap does
 * not show. So the intake is started once, stopped, and started again, and `work` begins once its
 * memory is steady.
 */
function withIdleIntake<T>(
  settings: Readonly<Record<string, string>>,
  progress: (message: string) => void,
  work: (intake: ServerProcess, dataDir: string) => Promise<T>,
): Promise<T> {
  return withDataDir(async (dataDir) => {
    await withIntakeOn(dataDir, settings, async () => undefined);
    return withIntakeOn(dataDir, settings, async (intake) => {
      if (!(await waitForSteadyRss(intake.pid))) progress("the intake's memory still moved well after its start; the next baseline is unsure");
      return work(intake, dataDir);
    });
  });
}

interface LoadCounts {
  readonly concurrency: number;
  readonly processes: number;
  readonly cases: number;
  readonly statusChecks: number;
}

async function generateLoad(target: LoadTarget, server: ServerProcess, counts: LoadCounts, dataDir?: string): Promise<LoadReport> {
  const args = [
    `--server-pid=${server.pid}`,
    `--target=${target}`,
    `--url=${server.url}`,
    `--concurrency=${counts.concurrency}`,
    `--processes=${counts.processes}`,
    `--creations=${counts.cases}`,
    `--status-checks=${counts.statusChecks}`,
    ...(dataDir === undefined ? [] : [`--data-dir=${dataDir}`]),
  ];
  const stdout = await runNodeScript(LOAD_GENERATOR_SCRIPT, args, LOAD_TIMEOUT_MS);
  return loadReportSchema.parse(JSON.parse(stdout));
}

interface IntakeLoad {
  readonly report: LoadReport;
  readonly stderrLines: number;
  readonly stderrTail: readonly string[];
}

/** Issue 16: what the intake should reach against the hello-world, from the same load generator. */
const CAPACITY_TARGETS = { statusCheckRatio: 0.5, statusCheckP99Ms: 20, caseCreationRatio: 0.5 } as const;
/** A load-generator process busier than this may be what limits the load, not the server. */
const BUSY_CLIENT_CPU = 0.9;
/** Server and load generator together using more than this share of the machine's cores: the machine was the limit. */
const BUSY_MACHINE_SHARE = 0.9;

/** Cores a phase kept busy, load generator and server together; null where the server's CPU is unknown. */
function machineCores(phase: PhaseResult): number | null {
  if (phase.serverCpuMsPerOperation === null) return null;
  return phase.clientCpuCores + (phase.serverCpuMsPerOperation * phase.operationsPerSecond) / 1000;
}

function loadChecks(intake: IntakeLoad, baseline: LoadReport): BenchCheck[] {
  const failures = (report: LoadReport) =>
    (['caseCreation', 'statusCheck'] as const)
      .filter((phase) => report[phase].failures > 0)
      .map((phase) => `${report.target} ${phase}: ${report[phase].failures} failed, the first: ${report[phase].firstFailure}`);
  const failed = [...failures(intake.report), ...failures(baseline)];
  const phases = [intake.report, baseline].flatMap((report) => (['caseCreation', 'statusCheck'] as const).map((phase) => ({ name: `${report.target} ${phase}`, result: report[phase] })));
  const busiest = phases.reduce((a, b) => (b.result.clientCpuBusiestProcess > a.result.clientCpuBusiestProcess ? b : a));
  const status = intake.report.statusCheck.operationsPerSecond / baseline.statusCheck.operationsPerSecond;
  const creation = intake.report.caseCreation.operationsPerSecond / baseline.caseCreation.operationsPerSecond;
  const statusP99 = intake.report.statusCheck.p99Ms;
  const cpu = (phase: 'caseCreation' | 'statusCheck') => {
    const times = serverCpuRatio(intake.report[phase], baseline[phase]);
    return times === null ? '' : ` (server CPU per operation ${times.toFixed(1)}x the hello-world's)`;
  };
  const cores = availableParallelism();
  const saturated = phases.flatMap(({ name, result }) => {
    const used = machineCores(result);
    return used !== null && used > BUSY_MACHINE_SHARE * cores ? [`${name} ${used.toFixed(2)}`] : [];
  });
  const met = status >= CAPACITY_TARGETS.statusCheckRatio && statusP99 < CAPACITY_TARGETS.statusCheckP99Ms && creation >= CAPACITY_TARGETS.caseCreationRatio;
  return [
    {
      name: 'load answered',
      outcome: failed.length === 0 ? 'pass' : 'fail',
      detail: failed.length === 0 ? 'every operation got the answer it expected, on both servers' : failed.join('; '),
    },
    {
      name: 'load generator not the limit',
      outcome: busiest.result.clientCpuBusiestProcess < BUSY_CLIENT_CPU ? 'pass' : 'warn',
      detail: `the busiest of ${busiest.result.clientProcesses} load-generator processes used ${busiest.result.clientCpuBusiestProcess.toFixed(2)} of a core (${busiest.name}; at most ${BUSY_CLIENT_CPU} to be sure the server was the limit)`,
    },
    {
      // When the load generator and the server share a machine that is busy, a ratio compares what
      // each phase got of the machine: the target is then out of the server's hands.
      name: 'machine not the limit',
      outcome: saturated.length === 0 ? 'pass' : 'warn',
      detail:
        saturated.length === 0
          ? `no phase kept more than ${BUSY_MACHINE_SHARE * 100} % of the ${cores} cores busy (load generator and server together)`
          : `the ${cores} cores were the limit, load generator and server together keeping this many busy: ${saturated.join(', ')}`,
    },
    {
      // A warning, not a failure: on a shared machine the figures move with everyone else's load.
      name: 'intake capacity (issue 16)',
      outcome: met ? 'pass' : 'warn',
      detail: `status check ${status.toFixed(2)}x the hello-world's ops/s (target ${CAPACITY_TARGETS.statusCheckRatio}x)${cpu('statusCheck')}, p99 ${statusP99.toFixed(1)} ms (under ${CAPACITY_TARGETS.statusCheckP99Ms}; the hello-world's ${baseline.statusCheck.p99Ms.toFixed(1)}); case creation ${creation.toFixed(2)}x (target ${CAPACITY_TARGETS.caseCreationRatio}x)${cpu('caseCreation')}, at ${intake.report.concurrency} clients`,
    },
    {
      name: 'intake stderr',
      outcome: intake.stderrLines === 0 ? 'pass' : 'warn',
      detail:
        intake.stderrLines === 0
          ? 'the intake logged no warning or error under load'
          : `the intake wrote ${intake.stderrLines} lines on stderr; the last: ${intake.stderrTail.join(' | ')}`,
    },
  ];
}

function uploadChecks(upload: LargeUploadResult): BenchCheck[] {
  const growth = upload.rss.peakBytes - upload.rss.baselineBytes;
  const underBound = growth < RSS_GROWTH_BOUND_BYTES;
  const secondHalf = upload.rss.peakBytes - upload.halfwayPeakBytes;
  const flat = secondHalf <= PILING_UP_BYTES;
  return [
    {
      name: 'upload server RSS growth',
      outcome: underBound ? 'pass' : 'warn',
      detail: `${(growth / MIB).toFixed(1)} MiB ${underBound ? 'stayed under' : 'EXCEEDED'} the ${RSS_GROWTH_BOUND_BYTES / MIB} MiB bound over ${upload.bytes / MIB} MiB uploaded`,
    },
    {
      name: 'upload pieces do not pile up',
      outcome: flat ? 'pass' : 'warn',
      detail: `the second half of the upload added ${(secondHalf / MIB).toFixed(1)} MiB to the server's peak (${flat ? 'at most' : 'MORE than'} ${PILING_UP_BYTES / MIB} MiB)`,
    },
  ];
}

const perSecond = (value: number) => value.toFixed(value < 10 ? 2 : 1);

function floodChecks(result: FloodResult): BenchCheck[] {
  const { quiet, flooded, flood, settings } = result;
  const answers = Object.entries(result.flood.statuses).flatMap(([kind, byStatus]) => Object.entries(byStatus).map(([status, count]) => ({ kind: kind as FloodKind, status, count })));
  const describe = (list: typeof answers) => list.map(({ kind, status, count }) => `${kind} ${status} x ${count}`).join(', ');
  const serverErrors = answers.filter(({ status }) => status.startsWith('5'));
  const unexpected = answers.filter(({ kind, status }) => status !== 'error' && !status.startsWith('5') && status !== FLOOD_EXPECTED_STATUS[kind]);
  const genuineFailures = quiet.failures + flooded.failures;
  const highestAsked = Math.max(flooded.maxDifficultyBits ?? 0, flood.maxDifficultyBits ?? 0);
  return [
    {
      name: 'flood without server errors',
      outcome: serverErrors.length > 0 ? 'fail' : flood.errors > 0 ? 'warn' : 'pass',
      detail:
        serverErrors.length > 0
          ? `the intake answered the flood with 5xx: ${describe(serverErrors)}`
          : flood.errors > 0
            ? `no 5xx, but ${flood.errors} flood requests got no answer; the first: ${flood.firstError}`
            : `all ${flood.answered} flood requests answered, none with 5xx`,
    },
    {
      name: 'flood refused as expected',
      outcome: unexpected.length === 0 ? 'pass' : 'fail',
      detail:
        unexpected.length === 0
          ? 'challenges issued (201), creations without work refused alike for new and existing case ids (400), forged status requests refused (401)'
          : `unexpected answers: ${describe(unexpected)}`,
    },
    {
      name: 'genuine creations during the flood',
      outcome: genuineFailures === 0 && flooded.creations > 0 ? 'pass' : 'fail',
      detail:
        genuineFailures === 0 && flooded.creations > 0
          ? `every genuine creation succeeded: ${quiet.creations} quiet (${perSecond(quiet.creationsPerSecond)}/s), ${flooded.creations} during the flood (${perSecond(flooded.creationsPerSecond)}/s, ${(flooded.creationsPerSecond / quiet.creationsPerSecond).toFixed(2)}x)`
          : `${genuineFailures} genuine creations failed, ${flooded.creations} succeeded during the flood; the first failure: ${flooded.firstFailure ?? quiet.firstFailure}`,
    },
    {
      name: 'difficulty under a no-work flood',
      outcome: highestAsked <= settings.difficultyBits ? 'pass' : 'fail',
      detail: `the genuine reporter was asked ${flooded.minDifficultyBits}-${flooded.maxDifficultyBits} bits during the flood, the flood itself at most ${flood.maxDifficultyBits ?? '-'}; the base is ${settings.difficultyBits}`,
    },
    {
      name: 'flood covered the genuine window',
      outcome: result.floodCoveredWindow ? 'pass' : 'warn',
      detail: `the flood process began ${flood.startLateMs} ms after the agreed start${result.floodCoveredWindow ? ', before the genuine window' : ', after the genuine window had begun: the first creations were not flooded'}`,
    },
    {
      name: 'intake stderr during the flood',
      outcome: result.stderrLines === 0 ? 'pass' : 'warn',
      detail: result.stderrLines === 0 ? 'the intake logged no warning or error during the flood' : `the intake wrote ${result.stderrLines} lines on stderr; the last: ${result.stderrTail.join(' | ')}`,
    },
  ];
}

function largestCaseCheck(filled: FilledCase, opening: LargestCaseOpening): BenchCheck {
  const growth = opening.rss.peakBytes - opening.rss.baselineBytes;
  const underBound = growth < LARGEST_CASE_RSS_BOUND_BYTES;
  return {
    name: 'largest case server RSS growth',
    outcome: underBound ? 'pass' : 'warn',
    detail: `${(growth / MIB).toFixed(1)} MiB ${underBound ? 'stayed under' : 'EXCEEDED'} the ${LARGEST_CASE_RSS_BOUND_BYTES / MIB} MiB bound opening a case of ${(filled.readableBytes / MIB).toFixed(1)} MiB ${opening.settings.rounds + opening.settings.readers} times (${opening.settings.readers} at once)`,
  };
}

function phaseMetrics(prefix: string, phase: PhaseResult): Record<string, number | string> {
  return {
    [`${prefix}.operations`]: phase.operations,
    [`${prefix}.requestsPerOperation`]: phase.requestsPerOperation,
    [`${prefix}.failures`]: phase.failures,
    [`${prefix}.elapsedMs`]: phase.elapsedMs,
    [`${prefix}.operationsPerSecond`]: phase.operationsPerSecond,
    [`${prefix}.meanMs`]: phase.meanMs,
    [`${prefix}.p50Ms`]: phase.p50Ms,
    [`${prefix}.p99Ms`]: phase.p99Ms,
    [`${prefix}.maxMs`]: phase.maxMs,
    [`${prefix}.clientCpuCores`]: phase.clientCpuCores,
    [`${prefix}.clientProcesses`]: phase.clientProcesses,
    [`${prefix}.clientCpuBusiestProcess`]: phase.clientCpuBusiestProcess,
    [`${prefix}.serverCpuMsPerOperation`]: phase.serverCpuMsPerOperation ?? 'unknown',
    [`${prefix}.machineCores`]: machineCores(phase) ?? 'unknown',
  };
}

function loadMetrics(intake: LoadReport, baseline: LoadReport): Record<string, number | string> {
  const metrics: Record<string, number | string> = { concurrency: intake.concurrency };
  for (const phase of ['caseCreation', 'statusCheck'] as const) {
    Object.assign(metrics, phaseMetrics(`${phase}.intake`, intake[phase]), phaseMetrics(`${phase}.baseline`, baseline[phase]), {
      [`${phase}.ratio.operationsPerSecond`]: intake[phase].operationsPerSecond / baseline[phase].operationsPerSecond,
      [`${phase}.ratio.p50Ms`]: intake[phase].p50Ms / baseline[phase].p50Ms,
      [`${phase}.ratio.p99Ms`]: intake[phase].p99Ms / baseline[phase].p99Ms,
      [`${phase}.ratio.serverCpuMsPerOperation`]: serverCpuRatio(intake[phase], baseline[phase]) ?? 'unknown',
    });
  }
  return metrics;
}

function rssMetrics(prefix: string, rss: RssReport): Record<string, number | string> {
  return {
    [`${prefix}.serverRssBaselineBytes`]: rss.baselineBytes,
    [`${prefix}.serverRssSampledPeakBytes`]: rss.sampledPeakBytes,
    [`${prefix}.serverRssSamples`]: rss.samples,
    [`${prefix}.serverVmHwmBytes`]: rss.maxRssBytes,
    [`${prefix}.serverVmHwmScope`]: rss.maxRssScope,
    [`${prefix}.serverRssPeakBytes`]: rss.peakBytes,
    [`${prefix}.serverRssGrowthBytes`]: rss.peakBytes - rss.baselineBytes,
  };
}

function uploadMetrics(upload: LargeUploadResult): Record<string, number | string> {
  return {
    'upload.bytes': upload.bytes,
    'upload.pieceBytes': upload.pieceBytes,
    'upload.pieces': upload.pieces,
    'upload.elapsedMs': upload.elapsedMs,
    'upload.completionMs': upload.completionMs,
    ...rssMetrics('upload', upload.rss),
    'upload.serverRssGrowthBoundBytes': RSS_GROWTH_BOUND_BYTES,
    'upload.serverRssHalfwayPeakBytes': upload.halfwayPeakBytes,
  };
}

function genuineMetrics(prefix: string, result: GenuineResult): Record<string, number | string> {
  return {
    [`${prefix}.workers`]: result.workers,
    [`${prefix}.creations`]: result.creations,
    [`${prefix}.failures`]: result.failures,
    [`${prefix}.elapsedMs`]: result.elapsedMs,
    [`${prefix}.creationsPerSecond`]: result.creationsPerSecond,
    [`${prefix}.minDifficultyBits`]: result.minDifficultyBits ?? 'none',
    [`${prefix}.maxDifficultyBits`]: result.maxDifficultyBits ?? 'none',
    [`${prefix}.meanSolveMs`]: result.meanSolveMs,
    [`${prefix}.meanRequestMs`]: result.meanRequestMs,
    [`${prefix}.maxRequestMs`]: result.maxRequestMs,
  };
}

function floodMetrics(result: FloodResult): Record<string, number | string> {
  const { flood } = result;
  const statuses: Record<string, number> = {};
  for (const kind of FLOOD_KINDS) {
    for (const [status, count] of Object.entries(flood.statuses[kind] ?? {})) statuses[`flood.statuses.${kind}.${status}`] = count;
  }
  return {
    'flood.difficultyBits': result.settings.difficultyBits,
    'flood.maxDifficultyBits': result.maxDifficultyBits,
    'flood.quietCreationsPerHour': result.quietCreationsPerHour,
    'flood.windowSeconds': result.settings.seconds,
    ...genuineMetrics('flood.genuine.quiet', result.quiet),
    ...genuineMetrics('flood.genuine.flooded', result.flooded),
    'flood.genuine.ratio.creationsPerSecond': result.flooded.creationsPerSecond / result.quiet.creationsPerSecond,
    'flood.concurrency': flood.concurrency,
    'flood.startLateMs': flood.startLateMs,
    'flood.elapsedMs': flood.elapsedMs,
    'flood.answered': flood.answered,
    'flood.answeredPerSecond': flood.answeredPerSecond,
    'flood.unanswered': flood.errors,
    'flood.maxDifficultyBitsQuoted': flood.maxDifficultyBits ?? 'none',
    'flood.clientCpuCores': flood.clientCpuCores,
    ...statuses,
    ...rssMetrics('flood', result.rss),
  };
}

function largestCaseMetrics(filled: FilledCase, opening: LargestCaseOpening): Record<string, number | string> {
  return {
    'largestCase.followups': filled.followups,
    'largestCase.followupBytes': filled.followupBytes,
    'largestCase.copyBytes': filled.copyBytes,
    'largestCase.readableObjects': filled.readableObjects,
    'largestCase.readableBytes': filled.readableBytes,
    'largestCase.refusal': filled.refusal,
    'largestCase.fillMs': filled.elapsedMs,
    'largestCase.openRounds': opening.settings.rounds,
    'largestCase.openReaders': opening.settings.readers,
    'largestCase.openRequests': opening.requests,
    'largestCase.openBytesRead': opening.bytesRead,
    'largestCase.openMeanSequentialMs': opening.meanSequentialMs,
    'largestCase.openConcurrentMs': opening.concurrentMs,
    'largestCase.openElapsedMs': opening.elapsedMs,
    'largestCase.steadyBaseline': String(opening.steadyBaseline),
    ...rssMetrics('largestCase', opening.rss),
    'largestCase.serverRssGrowthBoundBytes': LARGEST_CASE_RSS_BOUND_BYTES,
  };
}

export const intakeSuite: BenchSuite = {
  name: 'intake',
  async run(progress) {
    // Read first, so that a mistyped count fails at once rather than after minutes of load.
    const counts: LoadCounts = { concurrency: setting('concurrency'), processes: setting('loadProcesses'), cases: setting('cases'), statusChecks: setting('statusChecks') };
    const uploadBytes = setting('uploadMib') * MIB;
    const flood: FloodSettings = {
      difficultyBits: setting('floodDifficultyBits'),
      seconds: setting('floodSeconds'),
      concurrency: setting('floodConcurrency'),
      genuineWorkers: setting('floodGenuineWorkers'),
      genuineCreations: setting('floodGenuineCreations'),
    };
    const opening: OpeningSettings = { rounds: setting('largestCaseRounds'), readers: setting('largestCaseReaders') };

    progress(`starting the intake; ${counts.cases} case creations and ${counts.statusChecks} status checks, ${counts.concurrency} at a time from ${counts.processes} processes`);
    const intakeLoad = await withIntake(uploadLimits(uploadBytes), async (intake, dataDir): Promise<IntakeLoad> => {
      const report = await generateLoad('intake', intake, counts, dataDir);
      return { report, stderrLines: intake.stderrLineCount(), stderrTail: intake.stderrTail() };
    });

    progress('starting the hello-world baseline and loading it the same way');
    const hello = await startServerProcess({ script: HELLO_SCRIPT, env: { HELLO_PORT: String(await freePort()) }, readyPrefix: HELLO_READY });
    let baseline: LoadReport;
    try {
      baseline = await generateLoad('hello', hello, counts);
    } finally {
      await hello.stop();
    }

    // A fresh intake, so that the baseline is an idle server's and not one still holding the load's
    // garbage, nor the demo setup's (withIdleIntake).
    progress(`starting a fresh intake and uploading ${uploadBytes / MIB} MiB in pieces of ${PIECE_BYTES / MIB} MiB`);
    const upload = await withIdleIntake(uploadLimits(uploadBytes), progress, (intake, dataDir) => runLargeUpload(intake, dataDir, uploadBytes, PIECE_BYTES));

    progress(`starting a fresh intake with proof of work at ${flood.difficultyBits} bits: genuine creations for ${flood.seconds} s quiet, then ${flood.seconds} s during a no-work flood`);
    const floodResult = await withIdleIntake(floodIntakeSettings(flood), progress, (intake, dataDir) => runFloodPhase(intake, dataDir, flood, progress));

    // Filled on one intake and opened on a restarted one, so that the memory measured is opening
    // the case from an idle process, as after the restart that used to crash again (issue 13).
    progress('starting a fresh intake and filling one case to its limits with follow-ups');
    const largest = await withDataDir(async (dataDir) => {
      const filled = await withIntakeOn(dataDir, {}, (intake) => fillLargestCase(intake, dataDir, DEFAULT_LIMITS));
      progress(`restarting the intake and opening the case (${(filled.readableBytes / MIB).toFixed(1)} MiB) ${opening.rounds} times, then by ${opening.readers} readers at once`);
      const opened = await withIntakeOn(dataDir, {}, (intake) => openLargestCase(intake, filled, opening));
      return { filled, opened };
    });

    return {
      rows: [timedRow({ operation: 'chunked upload, signed pieces', sizeBytes: upload.bytes, iterations: 1, rateUnit: 'MiB/s' }, [upload.elapsedMs])],
      table: [
        formatLoadTable(intakeLoad.report, baseline),
        formatUploadSummary(upload),
        formatFloodSummary(floodResult),
        formatLargestCaseSummary(largest.filled, largest.opened),
      ].join('\n\n'),
      checks: [...loadChecks(intakeLoad, baseline), ...uploadChecks(upload), ...floodChecks(floodResult), largestCaseCheck(largest.filled, largest.opened)],
      metrics: {
        ...loadMetrics(intakeLoad.report, baseline),
        ...uploadMetrics(upload),
        ...floodMetrics(floodResult),
        ...largestCaseMetrics(largest.filled, largest.opened),
      },
    };
  },
};
