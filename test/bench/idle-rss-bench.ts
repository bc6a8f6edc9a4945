/**
 * The idle suite (issue 14): the resident memory of the compiled intake process (dist/server/start.js,
 * what `npm start` and the image run) once it has started and settled, kept under 120 MiB. Measured
 * after the first start on an empty data directory (the demo and the client builds are made in a
 * preparation process of their own, which has exited), after a few reports, and after a restart.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { REPO_ROOT, SERVER_DIST, ensureServerBuilt } from '../../tools/runtime/server-build.ts';
import { createCase, fetchDemoRecipients, prepareCase } from './intake-client';
import { freePort, startServerProcess, type ServerProcess } from './node-process';
import { waitForSteadyRss } from './steady-rss';
import { MIB, type BenchCheck, type BenchSuite } from './suite';

/** Issue 14: the idle intake process stays under this. */
const IDLE_RSS_BOUND_BYTES = 120 * MIB;
const REPORTS = 5;
const INTAKE_READY = 'Candor intake:';

function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match === null) throw new Error(`/proc/${pid}/status has no VmRSS line; has the process exited?`);
  return Number(match[1]) * 1024;
}

interface IdleFigure {
  readonly name: string;
  readonly bytes: number;
  readonly steady: boolean;
}

/** The intake's RSS once steady (or after the steadiness timeout, which the figure then says). */
async function settledRss(intake: ServerProcess, name: string): Promise<IdleFigure> {
  const steady = await waitForSteadyRss(intake.pid);
  return { name, bytes: residentBytes(intake.pid), steady };
}

export const idleSuite: BenchSuite = {
  name: 'idle',
  async run(progress) {
    ensureServerBuilt();
    const script = relative(REPO_ROOT, join(SERVER_DIST, 'start.js'));
    const dataDir = await mkdtemp(join(tmpdir(), 'candor-bench-idle-'));
    const env = async (): Promise<Record<string, string>> => ({
      CANDOR_DATA_DIR: dataDir,
      // The demo's clients are built into the data directory, never over the checkout's dist/.
      CANDOR_INTAKE_CLIENT_DIR: join(dataDir, 'intake-client'),
      CANDOR_CONSOLE_CLIENT_DIR: join(dataDir, 'console-client'),
      CANDOR_INTAKE_HOST: '127.0.0.1',
      CANDOR_INTAKE_PORT: String(await freePort()),
      CANDOR_CONSOLE_PORT: String(await freePort()),
      CANDOR_POW_DIFFICULTY_BITS: '0',
    });
    const figures: IdleFigure[] = [];
    try {
      progress(`starting ${script} on an empty data directory (the demo and both clients are prepared first, in their own process)`);
      const first = await startServerProcess({ script, env: await env(), readyPrefix: INTAKE_READY });
      try {
        figures.push(await settledRss(first, 'after the first start'));
        progress(`sending ${REPORTS} reports`);
        const recipients = await fetchDemoRecipients(first.url, dataDir);
        for (let i = 0; i < REPORTS; i++) await createCase(first.url, await prepareCase(recipients, `Idle benchmark report ${i + 1}. `.repeat(50)));
        figures.push(await settledRss(first, `after ${REPORTS} reports`));
      } finally {
        await first.stop();
      }
      progress('restarting it on the same data directory');
      const second = await startServerProcess({ script, env: await env(), readyPrefix: INTAKE_READY });
      try {
        figures.push(await settledRss(second, 'after a restart'));
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }

    const describe = (figure: IdleFigure) => `${(figure.bytes / MIB).toFixed(1)} MiB ${figure.name}${figure.steady ? '' : ' (still moving after 15 s)'}`;
    const over = figures.filter((figure) => figure.bytes >= IDLE_RSS_BOUND_BYTES);
    const check: BenchCheck = {
      name: 'idle intake RSS',
      outcome: over.length === 0 ? 'pass' : 'fail',
      detail: `${figures.map(describe).join('; ')}: ${over.length === 0 ? 'all under' : 'NOT all under'} the ${IDLE_RSS_BOUND_BYTES / MIB} MiB bound`,
    };
    const table = ['intake process (node dist/server/start.js)    RSS', ...figures.map((figure) => `${figure.name.padEnd(44)} ${(figure.bytes / MIB).toFixed(1).padStart(6)} MiB`), `${'bound'.padEnd(44)} ${(IDLE_RSS_BOUND_BYTES / MIB).toFixed(1).padStart(6)} MiB`].join('\n');
    return {
      rows: [],
      table,
      checks: [check],
      metrics: {
        ...Object.fromEntries(figures.map((figure, index) => [`idle.${index}.rssBytes`, figure.bytes])),
        ...Object.fromEntries(figures.map((figure, index) => [`idle.${index}.what`, figure.name])),
        'idle.rssBoundBytes': IDLE_RSS_BOUND_BYTES,
      },
    };
  },
};
