/**
 * A closed-loop load phase: a fixed number of operations shared by a fixed number of workers, each
 * starting its next operation when the last one answered, with every operation's latency kept. A
 * phase may run in several processes at once (load-generator.ts), each measuring its share; their
 * runs are then summed into one result.
 */
import { z } from 'zod';

/** `worker` is in [0, concurrency); `index` names the operation, so it can use prepared inputs. */
export type Operation = (worker: number, index: number) => Promise<void>;

export const phaseResultSchema = z.object({
  operations: z.number(),
  requestsPerOperation: z.number(),
  failures: z.number(),
  firstFailure: z.string().nullable(),
  elapsedMs: z.number(),
  operationsPerSecond: z.number(),
  meanMs: z.number(),
  p50Ms: z.number(),
  p99Ms: z.number(),
  maxMs: z.number(),
  /** CPU time of all load-generator processes over wall time (1 = one core busy). */
  clientCpuCores: z.number(),
  /** How many processes generated the load. */
  clientProcesses: z.number(),
  /** CPU over wall time of the busiest of them: near 1, that process may be the bottleneck. */
  clientCpuBusiestProcess: z.number(),
  /**
   * The server process's CPU time (all its threads) per answered operation, or null where it cannot
   * be read (/proc is Linux's). Unlike ops/s it hardly moves with what else the machine runs.
   */
  serverCpuMsPerOperation: z.number().nullable(),
});
export type PhaseResult = z.infer<typeof phaseResultSchema>;

/** One process's measured share of a phase. */
export const processRunSchema = z.object({
  latencies: z.array(z.number()),
  failures: z.number(),
  firstFailure: z.string().nullable(),
  /** Wall-clock times (ms since the epoch, sub-millisecond), comparable between processes on one machine. */
  startedAtMs: z.number(),
  endedAtMs: z.number(),
  cpuMicros: z.number(),
});
export type ProcessRun = z.infer<typeof processRunSchema>;

/** Nearest-rank percentile of ascending `sorted`. */
function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

const wallClockMs = () => performance.timeOrigin + performance.now();

async function runOperations(concurrency: number, first: number, count: number, operation: Operation): Promise<Omit<ProcessRun, 'startedAtMs' | 'endedAtMs' | 'cpuMicros'>> {
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | null = null;
  let next = first;
  const end = first + count;
  const worker = async (id: number) => {
    while (next < end) {
      const index = next++;
      const start = performance.now();
      try {
        await operation(id, index);
        latencies.push(performance.now() - start);
      } catch (error) {
        failures++;
        firstFailure ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, id) => worker(id)));
  return { latencies, failures, firstFailure };
}

/**
 * Unmeasured operations (indexes `operations` .. `operations + warmup - 1`), so that the measured
 * ones run on JIT-compiled code and open connections.
 */
export async function warmUp(concurrency: number, operations: number, warmup: number, operation: Operation): Promise<void> {
  await runOperations(concurrency, operations, warmup, operation);
}

/** Operations 0 .. `operations - 1`, timed, with this process's CPU time over them. */
export async function measure(concurrency: number, operations: number, operation: Operation): Promise<ProcessRun> {
  const cpuBefore = process.cpuUsage();
  const startedAtMs = wallClockMs();
  const run = await runOperations(concurrency, 0, operations, operation);
  const endedAtMs = wallClockMs();
  const cpu = process.cpuUsage(cpuBefore);
  return { ...run, startedAtMs, endedAtMs, cpuMicros: cpu.user + cpu.system };
}

/**
 * One result from the runs of every process, over the time from the first start to the last end;
 * `serverCpuMs` is the server's CPU time over the same runs, if known.
 */
export function summarizePhase(phase: { readonly operations: number; readonly requestsPerOperation: number }, runs: readonly ProcessRun[], serverCpuMs: number | null = null): PhaseResult {
  const elapsedMs = Math.max(...runs.map((run) => run.endedAtMs)) - Math.min(...runs.map((run) => run.startedAtMs));
  const sorted = runs.flatMap((run) => run.latencies).sort((a, b) => a - b);
  const failures = runs.reduce((sum, run) => sum + run.failures, 0);
  const firstFailure = runs.find((run) => run.firstFailure !== null)?.firstFailure ?? null;
  // A phase where nothing was answered measured nothing; its cause is worth more than its figures.
  if (sorted.length === 0) throw new Error(`Every operation failed; the first: ${firstFailure}`);
  return {
    operations: phase.operations,
    requestsPerOperation: phase.requestsPerOperation,
    failures,
    firstFailure,
    elapsedMs,
    // Only answered operations count: failures are reported, not rewarded.
    operationsPerSecond: sorted.length / (elapsedMs / 1000),
    meanMs: sorted.reduce((sum, ms) => sum + ms, 0) / sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1)!,
    clientCpuCores: runs.reduce((sum, run) => sum + run.cpuMicros, 0) / 1000 / elapsedMs,
    clientProcesses: runs.length,
    clientCpuBusiestProcess: Math.max(...runs.map((run) => run.cpuMicros / 1000 / (run.endedAtMs - run.startedAtMs))),
    serverCpuMsPerOperation: serverCpuMs === null ? null : serverCpuMs / sorted.length,
  };
}

/** Server CPU per operation of `intake` over that of `baseline`: how many times the work, whatever else ran. */
export function serverCpuRatio(intake: PhaseResult, baseline: PhaseResult): number | null {
  return intake.serverCpuMsPerOperation === null || baseline.serverCpuMsPerOperation === null ? null : intake.serverCpuMsPerOperation / baseline.serverCpuMsPerOperation;
}

/** What the load generator prints on stdout: both phases against one target. */
export const loadReportSchema = z.object({
  target: z.enum(['intake', 'hello']),
  concurrency: z.number(),
  caseCreation: phaseResultSchema,
  statusCheck: phaseResultSchema,
});
export type LoadReport = z.infer<typeof loadReportSchema>;
export type LoadTarget = LoadReport['target'];
