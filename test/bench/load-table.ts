/** Renders the intake suite's results for the terminal: load phases against the baseline, and the upload's memory. */
import { renderTable } from './table';
import type { LoadReport, PhaseResult } from './load-phase';
import type { LargeUploadResult } from './large-upload';
import { MIB } from './suite';

const PHASES = [
  ['caseCreation', 'case creation'],
  ['statusCheck', 'status check'],
] as const;

const HEADERS = ['phase', 'server', 'operations', 'requests/op', 'failed', 'ops/s', 'p50 ms', 'p99 ms', 'client CPU'] as const;
const RIGHT_ALIGNED = [false, false, true, true, true, true, true, true, true] as const;

function decimals(value: number): string {
  return value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0);
}

const ratio = (intake: number, baseline: number) => `${(intake / baseline).toFixed(2)}x`;

function phaseCells(phase: string, server: string, result: PhaseResult): string[] {
  return [
    phase,
    server,
    String(result.operations),
    String(result.requestsPerOperation),
    String(result.failures),
    decimals(result.operationsPerSecond),
    decimals(result.p50Ms),
    decimals(result.p99Ms),
    result.clientCpuCores.toFixed(2),
  ];
}

function render(lines: readonly (readonly string[])[]): string {
  return renderTable(HEADERS, RIGHT_ALIGNED, lines.slice(1));
}

/** One line per phase and server, then intake/baseline: below 1x for ops/s and above 1x for latency is the intake's own cost. */
export function formatLoadTable(intake: LoadReport, baseline: LoadReport): string {
  const lines: string[][] = [[...HEADERS]];
  for (const [key, label] of PHASES) {
    const ours = intake[key];
    const theirs = baseline[key];
    lines.push(phaseCells(label, 'intake', ours), phaseCells(label, 'hello-world', theirs));
    lines.push([label, 'intake/baseline', '', '', '', ratio(ours.operationsPerSecond, theirs.operationsPerSecond), ratio(ours.p50Ms, theirs.p50Ms), ratio(ours.p99Ms, theirs.p99Ms), '']);
  }
  return `Concurrency ${intake.concurrency}, closed loop, one server process and one load-generator process on 127.0.0.1.\n\n${render(lines)}`;
}

const mib = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`;

export function formatUploadSummary(upload: LargeUploadResult): string {
  const { rss } = upload;
  return [
    `Upload of ${mib(upload.bytes)} in ${upload.pieces} signed pieces of ${mib(upload.pieceBytes)}: ${(upload.elapsedMs / 1000).toFixed(1)} s,`,
    `${(upload.bytes / MIB / (upload.elapsedMs / 1000)).toFixed(1)} MiB/s (the completion, which hashes the whole file, ${(upload.completionMs / 1000).toFixed(1)} s).`,
    `Server RSS: ${mib(rss.baselineBytes)} before, ${mib(rss.peakBytes)} peak, growth ${mib(rss.peakBytes - rss.baselineBytes)}`,
    `(highest of ${rss.samples} VmRSS samples ${mib(rss.sampledPeakBytes)}; VmHWM ${mib(rss.maxRssBytes)}, ${rss.maxRssScope === 'run' ? 'reset at the start' : 'over the whole process, not counted'}).`,
  ].join('\n');
}
