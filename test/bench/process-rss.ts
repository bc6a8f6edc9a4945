/**
 * Tracks the resident set size of another process (a spawned server) from /proc/<pid>/status, which
 * is Linux only: VmRSS sampled periodically, and VmHWM, the kernel's high-water mark, reset at the
 * start where allowed, so that a spike between two samples is still counted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { RssMonitor } from './rss-monitor';

const KIB = 1024;

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (match === null) throw new Error(`/proc/${pid}/status has no ${field} line; has the process exited?`);
  return Number(match[1]) * KIB;
}

/** proc(5), clear_refs value 5: sets the peak RSS back to the current RSS. */
function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export interface ProcessRssMonitor extends RssMonitor {
  /** The peak so far, for a run that compares its parts. */
  peakSoFar(): number;
}

export function startProcessRssMonitor(pid: number, intervalMs: number): ProcessRssMonitor {
  const maxRssScope = resetPeakRss(pid) ? 'run' : 'process';
  const baselineBytes = statusField(pid, 'VmRSS');
  let sampledPeakBytes = baselineBytes;
  let samples = 1;
  const sample = () => {
    sampledPeakBytes = Math.max(sampledPeakBytes, statusField(pid, 'VmRSS'));
    samples++;
  };
  // A failed sample (the process is gone) stops the sampling; stop() then reports it, as it reads again.
  const timer = setInterval(() => {
    try {
      sample();
    } catch {
      clearInterval(timer);
    }
  }, intervalMs);
  const peak = (maxRssBytes: number) => (maxRssScope === 'run' ? Math.max(sampledPeakBytes, maxRssBytes) : sampledPeakBytes);
  return {
    peakSoFar() {
      sample();
      return peak(statusField(pid, 'VmHWM'));
    },
    stop() {
      clearInterval(timer);
      sample();
      const maxRssBytes = statusField(pid, 'VmHWM');
      return { baselineBytes, sampledPeakBytes, samples, maxRssBytes, maxRssScope, peakBytes: peak(maxRssBytes) };
    },
  };
}
