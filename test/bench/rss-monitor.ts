/**
 * Tracks the peak resident set size of this process while one benchmark runs, and only while it
 * runs: garbage left by earlier work is collected first and the kernel's high-water mark is reset.
 */
import { writeFileSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface RssReport {
  readonly baselineBytes: number;
  /** Highest of the periodic samples. */
  readonly sampledPeakBytes: number;
  readonly samples: number;
  /** The kernel's high-water mark (getrusage ru_maxrss). */
  readonly maxRssBytes: number;
  /**
   * `run` when the high-water mark was reset at the start, so that it covers this run only;
   * `process` where that is impossible, and it then includes everything the process did before.
   */
  readonly maxRssScope: 'run' | 'process';
  /** The figure to judge the run by: samples can miss a short spike, a run-scoped maxRSS cannot. */
  readonly peakBytes: number;
}

export interface RssMonitor {
  stop(): RssReport;
}

/**
 * Full collections, so that the baseline is live memory rather than garbage of earlier work (an
 * unlocked key leaves over 100 MiB of S2K buffers behind). `npm run bench` cannot pass --expose-gc
 * through tsx, so the flag is set at run time, as Jest's leak detector does.
 */
async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  setFlagsFromString('--no-expose-gc');
  // Measured: one collection frees only about half of those buffers, a second one a turn later the rest.
  gc();
  await nextTurn();
  gc();
}

/** Linux only (proc(5), clear_refs value 5): sets the peak RSS back to the current RSS. */
function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

export async function startRssMonitor(intervalMs: number): Promise<RssMonitor> {
  await collectGarbage();
  const maxRssScope = resetPeakRss() ? 'run' : 'process';
  const baselineBytes = process.memoryUsage.rss();
  let sampledPeakBytes = baselineBytes;
  let samples = 1;
  const sample = () => {
    sampledPeakBytes = Math.max(sampledPeakBytes, process.memoryUsage.rss());
    samples++;
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      // ru_maxrss is in KiB on Linux.
      const maxRssBytes = process.resourceUsage().maxRSS * 1024;
      const peakBytes = maxRssScope === 'run' ? Math.max(sampledPeakBytes, maxRssBytes) : sampledPeakBytes;
      return { baselineBytes, sampledPeakBytes, samples, maxRssBytes, maxRssScope, peakBytes };
    },
  };
}
