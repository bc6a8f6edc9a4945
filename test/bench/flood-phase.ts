/**
 * The flood phase of the intake suite: a genuine reporter's case creations per second on a quiet
 * intake, then again while a flood of requests that need no work (flood-generator.ts, in its own
 * process) hits the same intake, with the server's resident memory watched during the flood. Issue
 * 13: a flood that does no work must neither lock a reporter out nor make the work dearer.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { floodReportSchema, type FloodReport } from './flood-report';
import { runGenuineWindow, type GenuineResult } from './genuine-reporter';
import type { RecipientKey } from '../../crypto/index';
import { fetchDemoRecipients, prepareCase, type PreparedCase } from './intake-client';
import { runNodeScript, type ServerProcess } from './node-process';
import { startProcessRssMonitor } from './process-rss';
import type { RssReport } from './rss-monitor';

const FLOOD_SCRIPT = 'test/bench/flood-generator.ts';
/** Time for the flood process to start (tsx, OpenPGP, its challenges) before the agreed start. */
const FLOOD_LAUNCH_MS = 10_000;
/** The flood runs this long before and after the genuine window, so that the whole window is flooded. */
const FLOOD_MARGIN_MS = 1_000;
const FLOOD_TIMEOUT_GRACE_MS = 60_000;
const RSS_SAMPLE_INTERVAL_MS = 50;
/** How many existing cases the flood names: enough for several workers, few enough for one argument. */
const FLOOD_CASE_IDS = 4;

export interface FloodSettings {
  readonly difficultyBits: number;
  readonly seconds: number;
  readonly concurrency: number;
  readonly genuineWorkers: number;
  /** Genuine creations per window at most (cases prepared in advance). */
  readonly genuineCreations: number;
}

/** One creation outside the windows, so that both windows run on warm code and open connections. */
const GENUINE_WARMUP = 1;

/**
 * The quiet rate of verified creations, chosen so that all genuine creations of the phase together
 * stay under it even if they all fell into one minute (the price looks at a window of at least a
 * minute, server/intake/proof-of-work-difficulty.ts): then only the flood could raise the price, and
 * a flood that does no work must not.
 */
export function floodQuietCreationsPerHour(settings: FloodSettings): number {
  return 60 * (2 * settings.genuineCreations + GENUINE_WARMUP + 1);
}

/** The default keeps 4 bits of headroom above the base (18 to 22); so does the benchmark. */
const floodMaxDifficultyBits = (settings: FloodSettings) => Math.min(32, settings.difficultyBits + 4);

/** The intake's proof-of-work settings for the phase: real work at the chosen base difficulty. */
export function floodIntakeSettings(settings: FloodSettings): Record<string, string> {
  return {
    CANDOR_POW_DIFFICULTY_BITS: String(settings.difficultyBits),
    CANDOR_POW_MAX_DIFFICULTY_BITS: String(floodMaxDifficultyBits(settings)),
    CANDOR_POW_QUIET_CREATIONS_PER_HOUR: String(floodQuietCreationsPerHour(settings)),
  };
}

export interface FloodResult {
  readonly settings: FloodSettings;
  readonly maxDifficultyBits: number;
  readonly quietCreationsPerHour: number;
  readonly quiet: GenuineResult;
  readonly flooded: GenuineResult;
  readonly flood: FloodReport;
  /** False when the flood process started so late that the genuine window began before it. */
  readonly floodCoveredWindow: boolean;
  /** The server's, from the flood's start to its end. */
  readonly rss: RssReport;
  /** Lines the intake wrote on stderr during the flood, and the last of them. */
  readonly stderrLines: number;
  readonly stderrTail: readonly string[];
}

async function prepareCases(recipients: readonly RecipientKey[], count: number): Promise<PreparedCase[]> {
  const prepared: PreparedCase[] = [];
  for (let i = 0; i < count; i++) prepared.push(await prepareCase(recipients, `Flood benchmark report ${i}: invoices paid twice.`));
  return prepared;
}

export async function runFloodPhase(server: ServerProcess, dataDir: string, settings: FloodSettings, progress: (message: string) => void): Promise<FloodResult> {
  const durationMs = settings.seconds * 1000;
  const recipients = await fetchDemoRecipients(server.url, dataDir);
  const genuine = (prepared: readonly PreparedCase[], startAt: number) =>
    runGenuineWindow({ baseUrl: server.url, prepared, workers: settings.genuineWorkers, startAt, durationMs });

  // The warm-up's window closes as soon as its one case is created.
  await runGenuineWindow({ baseUrl: server.url, prepared: await prepareCases(recipients, GENUINE_WARMUP), workers: 1, startAt: Date.now(), durationMs: 60_000 });
  progress(`quiet: genuine case creations for ${settings.seconds} s at ${settings.difficultyBits} bits, ${settings.genuineWorkers} worker(s), at most ${settings.genuineCreations}`);
  const quiet = await genuine(await prepareCases(recipients, settings.genuineCreations), Date.now());
  if (quiet.caseIds.length === 0) throw new Error(`No genuine case was created on the quiet intake; the first failure: ${quiet.firstFailure}`);

  // Prepared before the flood process is launched, so that this work overlaps neither its start-up nor the window.
  const floodPrepared = await prepareCases(recipients, settings.genuineCreations);
  const floodStart = Date.now() + FLOOD_LAUNCH_MS;
  const genuineStart = floodStart + FLOOD_MARGIN_MS;
  progress(`flood: ${settings.concurrency} no-work requests at a time from a second process, genuine creations again during it`);
  const args = [
    `--url=${server.url}`,
    `--data-dir=${dataDir}`,
    `--concurrency=${settings.concurrency}`,
    `--start-at=${floodStart}`,
    `--duration-ms=${durationMs + 2 * FLOOD_MARGIN_MS}`,
    `--case-ids=${quiet.caseIds.slice(0, FLOOD_CASE_IDS).join(',')}`,
  ];
  const floodDone = runNodeScript(FLOOD_SCRIPT, args, FLOOD_LAUNCH_MS + durationMs + FLOOD_TIMEOUT_GRACE_MS);
  // Awaited below; until then a failure must not surface as an unhandled rejection.
  floodDone.catch(() => undefined);

  await sleep(Math.max(0, floodStart - Date.now()));
  const stderrBefore = server.stderrLineCount();
  const monitor = startProcessRssMonitor(server.pid, RSS_SAMPLE_INTERVAL_MS);
  let flooded: GenuineResult;
  let stdout: string;
  let rss: RssReport;
  try {
    flooded = await genuine(floodPrepared, genuineStart);
    stdout = await floodDone;
  } finally {
    rss = monitor.stop();
  }
  const flood = floodReportSchema.parse(JSON.parse(stdout));
  return {
    settings,
    maxDifficultyBits: floodMaxDifficultyBits(settings),
    quietCreationsPerHour: floodQuietCreationsPerHour(settings),
    quiet,
    flooded,
    flood,
    floodCoveredWindow: flood.startLateMs <= FLOOD_MARGIN_MS,
    rss,
    stderrLines: server.stderrLineCount() - stderrBefore,
    stderrTail: server.stderrTail(),
  };
}
