/** The shape every benchmark suite reports in, and the timing loop they share. */

/** Which rate the table shows for a row: MiB/s for bulk data, ops/s where a fixed cost dominates. */
export type RateUnit = 'ops/s' | 'MiB/s';

export interface BenchRow {
  readonly operation: string;
  /** Input bytes per iteration; null when the operation has no meaningful size. */
  readonly sizeBytes: number | null;
  readonly iterations: number;
  readonly meanMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly rateUnit: RateUnit;
}

/** `warn` is printed but does not fail the run; `fail` makes `npm run bench` exit non-zero. */
export type CheckOutcome = 'pass' | 'warn' | 'fail';

export interface BenchCheck {
  readonly name: string;
  readonly outcome: CheckOutcome;
  readonly detail: string;
}

export interface SuiteResult {
  readonly rows: readonly BenchRow[];
  /**
   * Printed instead of the rows' table by a suite whose measurements are not sequential timings
   * (concurrent load: percentiles, ratios to a baseline); the rows still go in the JSON.
   */
  readonly table?: string;
  readonly checks: readonly BenchCheck[];
  /** Measurements that are not timings (memory, byte counts), kept in the JSON for comparison. */
  readonly metrics: Readonly<Record<string, number | string>>;
}

export interface BenchSuite {
  /** Also the name of its results file, bench-results/<name>.json. */
  readonly name: string;
  /** `progress` tells the person waiting what is running; results go only in the return value. */
  run(progress: (message: string) => void): Promise<SuiteResult>;
}

export const MIB = 1024 * 1024;

export interface MeasureOptions {
  readonly operation: string;
  readonly sizeBytes: number | null;
  readonly iterations: number;
  readonly rateUnit: RateUnit;
}

// Unmeasured calls first, so that the timings are of JIT-compiled code and warm caches.
const WARMUP_ITERATIONS = 3;

/** Runs `operation` sequentially and times each call; calls never overlap, so the mean is a latency. */
export async function measure(options: MeasureOptions, operation: () => Promise<unknown>): Promise<BenchRow> {
  for (let i = 0; i < WARMUP_ITERATIONS; i++) await operation();
  const durations: number[] = [];
  for (let i = 0; i < options.iterations; i++) {
    const start = performance.now();
    await operation();
    durations.push(performance.now() - start);
  }
  return timedRow(options, durations);
}

export function timedRow(options: MeasureOptions, durations: readonly number[]): BenchRow {
  return {
    ...options,
    meanMs: durations.reduce((sum, ms) => sum + ms, 0) / durations.length,
    minMs: Math.min(...durations),
    maxMs: Math.max(...durations),
  };
}

export function opsPerSecond(row: BenchRow): number {
  return 1000 / row.meanMs;
}

/** Null for rows without a size, where a data rate means nothing. */
export function mibPerSecond(row: BenchRow): number | null {
  return row.sizeBytes === null ? null : row.sizeBytes / MIB / (row.meanMs / 1000);
}
