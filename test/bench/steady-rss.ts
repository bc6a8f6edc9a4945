/**
 * Waits until a freshly started server's resident memory stops moving, so that a baseline taken
 * next is its idle state and not the end of its start-up. The intake's process also serves the
 * console, which hashes a dummy password with scrypt (128 MiB) once the app is built
 * (server/console/routes/session-routes.ts): measured, RSS rises by about 130 MiB for some 250 ms
 * after the intake says it is ready, and a run-scoped high-water mark reset then would count it.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { MIB } from './suite';

const SAMPLE_INTERVAL_MS = 100;
/** A second of samples within this band is steady. */
const STEADY_SAMPLES = 10;
const STEADY_BAND_BYTES = 2 * MIB;
const TIMEOUT_MS = 15_000;

function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`/proc/${pid}/status has no VmRSS line; has the process exited?`);
  return Number(match[1]) * 1024;
}

/** True once steady; false if it still moved after the timeout, so the caller can say its baseline is unsure. */
export async function waitForSteadyRss(pid: number): Promise<boolean> {
  const samples: number[] = [];
  const deadline = performance.now() + TIMEOUT_MS;
  while (performance.now() < deadline) {
    samples.push(residentBytes(pid));
    if (samples.length > STEADY_SAMPLES) samples.shift();
    if (samples.length === STEADY_SAMPLES && Math.max(...samples) - Math.min(...samples) < STEADY_BAND_BYTES) return true;
    await sleep(SAMPLE_INTERVAL_MS);
  }
  return false;
}
