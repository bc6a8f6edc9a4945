/**
 * A closed-loop load phase: a fixed number of operations shared by a fixed number of workers, each
 * starting its next operation when the last one answered, with every operation's latency kept.
 */
import { z } from 'zod';

/** `worker` is in [0, concurrency); `index` names the operation, so it can use prepared inputs. */
export type Operation = (worker: number, index: number) => Promise<void>;

export interface PhaseOptions {
  readonly concurrency: number;
  readonly operations: number;
  /**
   * Unmeasured operations first (indexes operations .. operations + warmup - 1), so that the
   * measured ones run on JIT-compiled code and open connections.
   */
  readonly warmup: number;
  /** HTTP round trips one operation makes; recorded so that results say what an operation is. */
  readonly requestsPerOperation: number;
}

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
  /** CPU time of the load generator over wall time (1 = one core busy); near 1 means it may be the bottleneck. */
  clientCpuCores: z.number(),
});
export type PhaseResult = z.infer<typeof phaseResultSchema>;

/** Nearest-rank percentile of ascending `sorted`. */
function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

interface Run {
  readonly latencies: number[];
  readonly failures: number;
  readonly firstFailure: string | null;
}

async function runOperations(concurrency: number, first: number, count: number, operation: Operation): Promise<Run> {
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

export async function runPhase(options: PhaseOptions, operation: Operation): Promise<PhaseResult> {
  await runOperations(options.concurrency, options.operations, options.warmup, operation);
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const run = await runOperations(options.concurrency, 0, options.operations, operation);
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  // A phase where nothing was answered measured nothing; its cause is worth more than its figures.
  if (run.latencies.length === 0) throw new Error(`Every operation failed; the first: ${run.firstFailure}`);
  const sorted = run.latencies.sort((a, b) => a - b);
  return {
    operations: options.operations,
    requestsPerOperation: options.requestsPerOperation,
    failures: run.failures,
    firstFailure: run.firstFailure,
    elapsedMs,
    // Only answered operations count: failures are reported, not rewarded.
    operationsPerSecond: sorted.length / (elapsedMs / 1000),
    meanMs: sorted.reduce((sum, ms) => sum + ms, 0) / sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1)!,
    clientCpuCores: (cpu.user + cpu.system) / 1000 / elapsedMs,
  };
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
