/**
 * Renders the intake suite's results for the terminal: load phases against the baseline, the
 * upload's memory, the genuine reporter against a no-work flood, and opening the largest case.
 */
import { renderTable } from './table';
import type { FloodResult } from './flood-phase';
import { FLOOD_KINDS } from './flood-report';
import type { GenuineResult } from './genuine-reporter';
import { serverCpuRatio, type LoadReport, type PhaseResult } from './load-phase';
import type { LargeUploadResult } from './large-upload';
import type { FilledCase, LargestCaseOpening } from './largest-case';
import type { RssReport } from './rss-monitor';
import { MIB } from './suite';

const PHASES = [
  ['caseCreation', 'case creation'],
  ['statusCheck', 'status check'],
] as const;

const HEADERS = ['phase', 'server', 'operations', 'requests/op', 'failed', 'ops/s', 'p50 ms', 'p99 ms', 'client CPU', 'busiest client', 'server CPU ms/op'] as const;
const RIGHT_ALIGNED = [false, false, true, true, true, true, true, true, true, true, true] as const;

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
    result.clientCpuBusiestProcess.toFixed(2),
    result.serverCpuMsPerOperation === null ? '-' : result.serverCpuMsPerOperation.toFixed(3),
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
    const cpuRatio = serverCpuRatio(ours, theirs);
    lines.push(phaseCells(label, 'intake', ours), phaseCells(label, 'hello-world', theirs));
    lines.push([label, 'intake/baseline', '', '', '', ratio(ours.operationsPerSecond, theirs.operationsPerSecond), ratio(ours.p50Ms, theirs.p50Ms), ratio(ours.p99Ms, theirs.p99Ms), '', '', cpuRatio === null ? '' : `${cpuRatio.toFixed(1)}x`]);
  }
  const processes = intake.statusCheck.clientProcesses;
  return [
    `Concurrency ${intake.concurrency}, closed loop, one server process and ${processes} load-generator processes on 127.0.0.1. "client CPU" is the`,
    `cores all of them used, "busiest client" the share of a core the busiest one used: near 1, the load generator may be the limit.`,
    `"server CPU ms/op" is the server process's CPU time per operation, all its threads: it hardly moves with the machine's other load.`,
    '',
    render(lines),
  ].join('\n');
}

const mib = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`;

/** The server's memory over a phase, in the same words for every phase. */
function rssLines(rss: RssReport): string[] {
  return [
    `Server RSS: ${mib(rss.baselineBytes)} before, ${mib(rss.peakBytes)} peak, growth ${mib(rss.peakBytes - rss.baselineBytes)}`,
    `(highest of ${rss.samples} VmRSS samples ${mib(rss.sampledPeakBytes)}; VmHWM ${mib(rss.maxRssBytes)}, ${rss.maxRssScope === 'run' ? 'reset at the start' : 'over the whole process, not counted'}).`,
  ];
}

export function formatUploadSummary(upload: LargeUploadResult): string {
  return [
    `Upload of ${mib(upload.bytes)} in ${upload.pieces} signed pieces of ${mib(upload.pieceBytes)}: ${(upload.elapsedMs / 1000).toFixed(1)} s,`,
    `${(upload.bytes / MIB / (upload.elapsedMs / 1000)).toFixed(1)} MiB/s (the completion, which hashes the whole file, ${(upload.completionMs / 1000).toFixed(1)} s).`,
    ...rssLines(upload.rss),
  ].join('\n');
}

const GENUINE_HEADERS = ['genuine reporter', 'created', 'failed', 'creations/s', 'bits asked', 'solve ms', 'requests ms', 'max requests ms'] as const;
const GENUINE_RIGHT_ALIGNED = [false, true, true, true, true, true, true, true] as const;

function genuineCells(label: string, result: GenuineResult): string[] {
  const bits = result.minDifficultyBits === result.maxDifficultyBits ? String(result.minDifficultyBits ?? '-') : `${result.minDifficultyBits}-${result.maxDifficultyBits}`;
  return [label, String(result.creations), String(result.failures), decimals(result.creationsPerSecond), bits, decimals(result.meanSolveMs), decimals(result.meanRequestMs), decimals(result.maxRequestMs)];
}

/** Statuses per kind of flood request, e.g. "400 x 1234", in the order flood-report.ts lists the kinds. */
function floodStatusLines(result: FloodResult): string[][] {
  return FLOOD_KINDS.map((kind) => [
    kind,
    Object.entries(result.flood.statuses[kind] ?? {})
      .map(([status, count]) => `${status} x ${count}`)
      .join(', '),
  ]);
}

/**
 * The genuine reporter quiet and during the flood, then what the flood got. "solve ms" is the
 * reporter's own hashing, "requests ms" the intake's two answers: a drop in creations/s with the
 * second unchanged is CPU the flood took from the reporter's machine, not the intake's doing.
 */
export function formatFloodSummary(result: FloodResult): string {
  const { settings, quiet, flooded, flood } = result;
  const lines = [
    `Proof of work at ${settings.difficultyBits} bits while quiet, up to ${result.maxDifficultyBits} when busy; quiet rate ${result.quietCreationsPerHour} creations/hour,`,
    `above what the genuine reporter alone can reach. ${settings.genuineWorkers} genuine worker(s) for ${settings.seconds} s each window, sequential creations.`,
    '',
    renderTable(GENUINE_HEADERS, GENUINE_RIGHT_ALIGNED, [
      genuineCells('quiet', quiet),
      genuineCells('during the flood', flooded),
      ['flood/quiet', '', '', ratio(flooded.creationsPerSecond, quiet.creationsPerSecond), '', ratio(flooded.meanSolveMs, quiet.meanSolveMs), ratio(flooded.meanRequestMs, quiet.meanRequestMs), ''],
    ]),
    '',
    `Flood: ${flood.concurrency} requests at a time from a second process, ${flood.answered} answered in ${(flood.elapsedMs / 1000).toFixed(1)} s (${decimals(flood.answeredPerSecond)}/s),`,
    `${flood.errors} without an answer; client CPU ${flood.clientCpuCores.toFixed(2)} cores; highest difficulty quoted to the flood: ${flood.maxDifficultyBits ?? '-'} bits.`,
    '',
    renderTable(['flood request', 'statuses'], [false, false], floodStatusLines(result)),
    '',
    ...rssLines(result.rss),
  ];
  return lines.join('\n');
}

export function formatLargestCaseSummary(filled: FilledCase, opening: LargestCaseOpening): string {
  const { settings } = opening;
  return [
    `Largest case: ${filled.followups} follow-ups, ${mib(filled.followupBytes)} with their copies (${filled.followupBytes} bytes), reporter copies of up to ${mib(filled.copyBytes)}, filled in ${(filled.elapsedMs / 1000).toFixed(1)} s;`,
    `one more refused (${filled.refusal}). The reporter reads ${filled.readableObjects} messages, ${mib(filled.readableBytes)}.`,
    `Opened on a restarted intake ${settings.rounds} times in turn (${decimals(opening.meanSequentialMs)} ms each), then by ${settings.readers} readers at once (${decimals(opening.concurrentMs)} ms):`,
    `${opening.requests} requests, ${mib(opening.bytesRead)} read in ${(opening.elapsedMs / 1000).toFixed(1)} s.`,
    ...rssLines(opening.rss),
    ...(opening.steadyBaseline ? [] : ["The server's memory was still moving when the baseline was taken: the growth is unsure."]),
  ].join('\n');
}
