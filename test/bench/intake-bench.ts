/**
 * The intake suite: the real intake (server/start.ts) in its own process, loaded from a second
 * process over loopback, against a bare Express hello-world measured the same way; then one large
 * upload to a fresh intake while the server's resident memory is watched.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../config/schema';
import { runLargeUpload, type LargeUploadResult } from './large-upload';
import { loadReportSchema, type LoadReport, type LoadTarget, type PhaseResult } from './load-phase';
import { formatLoadTable, formatUploadSummary } from './load-table';
import { freePort, runNodeScript, startServerProcess, type ServerProcess } from './node-process';
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
  concurrency: { variable: 'CANDOR_BENCH_INTAKE_CONCURRENCY', fallback: 16 },
  uploadMib: { variable: 'CANDOR_BENCH_UPLOAD_MIB', fallback: 1024 },
} as const;

/** The largest piece the intake takes by default, which is what the browser sends. */
const PIECE_BYTES = resolveConfig({}, {}).limits.uploadChunkBytes;
/** The upload's pieces pass through memory one at a time; more growth than this means they pile up. */
const RSS_GROWTH_BOUND_BYTES = 64 * MIB;

function setting(name: keyof typeof SETTINGS): number {
  const { variable, fallback } = SETTINGS[name];
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${variable} must be a whole number, at least 1; it is "${raw}".`);
  return value;
}

/**
 * The intake's configuration for the benchmark: no proof of work to speak of and rate limits far
 * above the load, so that what is measured is the work per request, not the abuse defences.
 */
function intakeEnvironment(dataDir: string, port: number, uploadBytes: number): Record<string, string> {
  return {
    CANDOR_DATA_DIR: dataDir,
    CANDOR_INTAKE_HOST: '127.0.0.1',
    CANDOR_INTAKE_PORT: String(port),
    CANDOR_POW_DIFFICULTY_BITS: '0',
    CANDOR_POW_QUIET_CREATIONS_PER_HOUR: '1000000000',
    CANDOR_RATE_REPORTER_REQUESTS_PER_MINUTE: '1000000000',
    CANDOR_LIMIT_ATTACHMENT_BYTES: String(uploadBytes),
    CANDOR_LIMIT_CASE_BYTES: String(uploadBytes + 64 * MIB),
  };
}

/** Runs `work` against a fresh intake on a fresh data directory, and removes both afterwards. */
async function withIntake<T>(uploadBytes: number, work: (intake: ServerProcess, dataDir: string) => Promise<T>): Promise<T> {
  const dataDir = await mkdtemp(join(tmpdir(), 'candor-bench-intake-'));
  try {
    const intake = await startServerProcess({ script: INTAKE_SCRIPT, env: intakeEnvironment(dataDir, await freePort(), uploadBytes), readyPrefix: INTAKE_READY });
    try {
      return await work(intake, dataDir);
    } finally {
      await intake.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

interface LoadCounts {
  readonly concurrency: number;
  readonly cases: number;
  readonly statusChecks: number;
}

async function generateLoad(target: LoadTarget, url: string, counts: LoadCounts, dataDir?: string): Promise<LoadReport> {
  const args = [
    `--target=${target}`,
    `--url=${url}`,
    `--concurrency=${counts.concurrency}`,
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

function loadChecks(intake: IntakeLoad, baseline: LoadReport): BenchCheck[] {
  const failures = (report: LoadReport) =>
    (['caseCreation', 'statusCheck'] as const)
      .filter((phase) => report[phase].failures > 0)
      .map((phase) => `${report.target} ${phase}: ${report[phase].failures} failed, the first: ${report[phase].firstFailure}`);
  const failed = [...failures(intake.report), ...failures(baseline)];
  return [
    {
      name: 'load answered',
      outcome: failed.length === 0 ? 'pass' : 'fail',
      detail: failed.length === 0 ? 'every operation got the answer it expected, on both servers' : failed.join('; '),
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

function uploadCheck(upload: LargeUploadResult): BenchCheck {
  const growth = upload.rss.peakBytes - upload.rss.baselineBytes;
  const underBound = growth < RSS_GROWTH_BOUND_BYTES;
  return {
    name: 'upload server RSS growth',
    outcome: underBound ? 'pass' : 'warn',
    detail: `${(growth / MIB).toFixed(1)} MiB ${underBound ? 'stayed under' : 'EXCEEDED'} the ${RSS_GROWTH_BOUND_BYTES / MIB} MiB bound over ${upload.bytes / MIB} MiB uploaded`,
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
  };
}

function loadMetrics(intake: LoadReport, baseline: LoadReport): Record<string, number | string> {
  const metrics: Record<string, number | string> = { concurrency: intake.concurrency };
  for (const phase of ['caseCreation', 'statusCheck'] as const) {
    Object.assign(metrics, phaseMetrics(`${phase}.intake`, intake[phase]), phaseMetrics(`${phase}.baseline`, baseline[phase]), {
      [`${phase}.ratio.operationsPerSecond`]: intake[phase].operationsPerSecond / baseline[phase].operationsPerSecond,
      [`${phase}.ratio.p50Ms`]: intake[phase].p50Ms / baseline[phase].p50Ms,
      [`${phase}.ratio.p99Ms`]: intake[phase].p99Ms / baseline[phase].p99Ms,
    });
  }
  return metrics;
}

function uploadMetrics(upload: LargeUploadResult): Record<string, number | string> {
  return {
    'upload.bytes': upload.bytes,
    'upload.pieceBytes': upload.pieceBytes,
    'upload.pieces': upload.pieces,
    'upload.elapsedMs': upload.elapsedMs,
    'upload.completionMs': upload.completionMs,
    'upload.serverRssBaselineBytes': upload.rss.baselineBytes,
    'upload.serverRssSampledPeakBytes': upload.rss.sampledPeakBytes,
    'upload.serverRssSamples': upload.rss.samples,
    'upload.serverVmHwmBytes': upload.rss.maxRssBytes,
    'upload.serverVmHwmScope': upload.rss.maxRssScope,
    'upload.serverRssPeakBytes': upload.rss.peakBytes,
    'upload.serverRssGrowthBytes': upload.rss.peakBytes - upload.rss.baselineBytes,
    'upload.serverRssGrowthBoundBytes': RSS_GROWTH_BOUND_BYTES,
  };
}

export const intakeSuite: BenchSuite = {
  name: 'intake',
  async run(progress) {
    // Read first, so that a mistyped count fails at once rather than after minutes of load.
    const counts: LoadCounts = { concurrency: setting('concurrency'), cases: setting('cases'), statusChecks: setting('statusChecks') };
    const uploadBytes = setting('uploadMib') * MIB;

    progress(`starting the intake; ${counts.cases} case creations and ${counts.statusChecks} status checks, ${counts.concurrency} at a time`);
    const intakeLoad = await withIntake(uploadBytes, async (intake, dataDir): Promise<IntakeLoad> => {
      const report = await generateLoad('intake', intake.url, counts, dataDir);
      return { report, stderrLines: intake.stderrLineCount(), stderrTail: intake.stderrTail() };
    });

    progress('starting the hello-world baseline and loading it the same way');
    const hello = await startServerProcess({ script: HELLO_SCRIPT, env: { HELLO_PORT: String(await freePort()) }, readyPrefix: HELLO_READY });
    let baseline: LoadReport;
    try {
      baseline = await generateLoad('hello', hello.url, counts);
    } finally {
      await hello.stop();
    }

    // A fresh intake, so that the baseline is an idle server's and not one still holding the load's garbage.
    progress(`starting a fresh intake and uploading ${uploadBytes / MIB} MiB in pieces of ${PIECE_BYTES / MIB} MiB`);
    const upload = await withIntake(uploadBytes, (intake, dataDir) => runLargeUpload(intake, dataDir, uploadBytes, PIECE_BYTES));

    return {
      rows: [timedRow({ operation: 'chunked upload, signed pieces', sizeBytes: upload.bytes, iterations: 1, rateUnit: 'MiB/s' }, [upload.elapsedMs])],
      table: `${formatLoadTable(intakeLoad.report, baseline)}\n\n${formatUploadSummary(upload)}`,
      checks: [...loadChecks(intakeLoad, baseline), uploadCheck(upload)],
      metrics: { ...loadMetrics(intakeLoad.report, baseline), ...uploadMetrics(upload) },
    };
  },
};
