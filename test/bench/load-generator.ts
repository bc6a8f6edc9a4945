/**
 * The load generator, run as its own processes so that the server's event loop competes with nothing
 * of the client's: `node --import tsx test/bench/load-generator.ts --target intake|hello --url URL
 * --concurrency C --processes P --creations N --status-checks M [--data-dir DIR] [--server-pid PID]`. It forks P worker
 * processes (load-worker.ts), shares the C clients and the operations among them, starts each phase
 * in all of them at once, and prints one LoadReport as JSON on stdout; progress goes to stderr.
 * Several processes, so that the client's CPU is not what limits the load (issue 16): the report
 * says how busy the busiest of them was.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { positiveInteger } from './cli-options';
import { LOAD_PHASES, type LoadPhaseName, type ToCoordinator, type ToWorker } from './load-messages';
import { processRunSchema, summarizePhase, type LoadReport, type ProcessRun } from './load-phase';

const WORKER_SCRIPT = fileURLToPath(new URL('./load-worker.ts', import.meta.url));
/** HTTP round trips per operation: a creation's challenge and POST, a status check's one GET. */
const REQUESTS_PER_OPERATION: Readonly<Record<LoadPhaseName, number>> = { caseCreation: 2, statusCheck: 1 };

interface Options {
  readonly target: 'intake' | 'hello';
  readonly url: string;
  readonly concurrency: number;
  readonly processes: number;
  readonly operations: Readonly<Record<LoadPhaseName, number>>;
  readonly dataDir: string | undefined;
  /** The server's process, whose CPU time each phase reports where /proc has it. */
  readonly serverPid: number | undefined;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      target: { type: 'string' },
      url: { type: 'string' },
      concurrency: { type: 'string' },
      processes: { type: 'string' },
      creations: { type: 'string' },
      'status-checks': { type: 'string' },
      'data-dir': { type: 'string' },
      'server-pid': { type: 'string' },
    },
    strict: true,
  });
  if (values.target !== 'intake' && values.target !== 'hello') throw new RangeError('--target must be intake or hello.');
  if (values.url === undefined) throw new RangeError('--url is required.');
  if (values.target === 'intake' && values['data-dir'] === undefined) throw new RangeError('--data-dir is required for the intake (its pinned directory key).');
  const concurrency = positiveInteger('concurrency', values.concurrency);
  const processes = positiveInteger('processes', values.processes ?? '1');
  const operations = { caseCreation: positiveInteger('creations', values.creations), statusCheck: positiveInteger('status-checks', values['status-checks']) };
  // Each process runs at least one client and one operation of each phase.
  if (processes > Math.min(concurrency, operations.caseCreation, operations.statusCheck)) throw new RangeError('--processes must not exceed --concurrency, --creations nor --status-checks.');
  const serverPid = values['server-pid'] === undefined ? undefined : positiveInteger('server-pid', values['server-pid']);
  return { target: values.target, url: values.url.replace(/\/$/, ''), concurrency, processes, operations, dataDir: values['data-dir'], serverPid };
}

const progress = (message: string) => process.stderr.write(`[load-generator] ${message}\n`);

/** `total` split into `parts` whole shares that differ by one at most, the larger first. */
function split(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

// Warm-up per client: one creation (each uses up a prepared case), a few status checks.
const WARMUP_PER_CLIENT: Readonly<Record<LoadPhaseName, number>> = { caseCreation: 1, statusCheck: 4 };

/** A worker process, and the messages it sent that nobody has waited for yet. */
class Worker {
  private readonly inbox: ToCoordinator[] = [];
  private waiting: ((message: ToCoordinator) => void) | undefined;

  constructor(readonly child: ChildProcess) {
    child.on('message', (message: ToCoordinator) => {
      if (this.waiting === undefined) this.inbox.push(message);
      else this.waiting(message);
    });
  }

  /** The next message, which must be of `type`; rejects if the process exits first. */
  async next<T extends ToCoordinator['type']>(type: T): Promise<Extract<ToCoordinator, { type: T }>> {
    const message =
      this.inbox.shift() ??
      (await new Promise<ToCoordinator>((resolve, reject) => {
        const exited = (code: number | null, signal: NodeJS.Signals | null) => reject(new Error(`A load worker exited (${signal ?? `code ${code}`}) while the generator waited for "${type}".`));
        this.child.once('exit', exited);
        this.waiting = (received) => {
          this.waiting = undefined;
          this.child.off('exit', exited);
          resolve(received);
        };
      }));
    if (message.type !== type) throw new Error(`A load worker sent "${message.type}" where "${type}" was expected.`);
    return message as Extract<ToCoordinator, { type: T }>;
  }

  tell(message: ToWorker): void {
    this.child.send(message);
  }
}

function startWorkers(options: Options): Worker[] {
  const clients = split(options.concurrency, options.processes);
  const creations = split(options.operations.caseCreation, options.processes);
  const statusChecks = split(options.operations.statusCheck, options.processes);
  return clients.map((concurrency, i) => {
    const args = [
      `--target=${options.target}`,
      `--url=${options.url}`,
      `--worker=${i}`,
      `--concurrency=${concurrency}`,
      `--creations=${creations[i]}`,
      `--creation-warmup=${concurrency * WARMUP_PER_CLIENT.caseCreation}`,
      `--status-checks=${statusChecks[i]}`,
      `--status-warmup=${concurrency * WARMUP_PER_CLIENT.statusCheck}`,
      ...(options.dataDir === undefined ? [] : [`--data-dir=${options.dataDir}`]),
    ];
    // stdout is the report's: the workers' goes to stderr with their progress.
    return new Worker(fork(WORKER_SCRIPT, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', process.stderr, 'inherit', 'ipc'] }));
  });
}

/** Clock ticks per second of /proc/<pid>/stat: USER_HZ, 100 on every Linux architecture Node runs on. */
const USER_HZ = 100;

/** CPU time (user and system, all threads) of a process so far, in ms; null without /proc. */
async function processCpuMs(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return null;
  }
}

/**
 * Every worker warms up, then every worker measures, each step started in all of them at once;
 * the server's CPU time is read around the measured step.
 */
async function runPhase(workers: readonly Worker[], phase: LoadPhaseName, serverPid: number | undefined): Promise<{ runs: ProcessRun[]; serverCpuMs: number | null }> {
  for (const worker of workers) worker.tell({ type: 'warm-up', phase });
  await Promise.all(workers.map((worker) => worker.next('warmed')));
  const cpuBefore = await processCpuMs(serverPid);
  for (const worker of workers) worker.tell({ type: 'measure', phase });
  const runs = await Promise.all(workers.map(async (worker) => processRunSchema.parse((await worker.next('measured')).run)));
  const cpuAfter = await processCpuMs(serverPid);
  return { runs, serverCpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore };
}

const options = parseOptions();
progress(`${options.processes} processes, ${options.concurrency} clients in all, preparing`);
const workers = startWorkers(options);
try {
  await Promise.all(workers.map((worker) => worker.next('ready')));
  const phases = {} as Record<LoadPhaseName, LoadReport[LoadPhaseName]>;
  for (const phase of LOAD_PHASES) {
    progress(`${phase}: ${options.operations[phase]} operations of ${REQUESTS_PER_OPERATION[phase]} requests against ${options.target}, ${options.concurrency} at a time`);
    const { runs, serverCpuMs } = await runPhase(workers, phase, options.serverPid);
    phases[phase] = summarizePhase({ operations: options.operations[phase], requestsPerOperation: REQUESTS_PER_OPERATION[phase] }, runs, serverCpuMs);
  }
  const report: LoadReport = { target: options.target, concurrency: options.concurrency, ...phases };
  process.stdout.write(`${JSON.stringify(report)}\n`);
} finally {
  for (const worker of workers) if (worker.child.connected) worker.child.disconnect();
  await Promise.all(workers.map((worker) => (worker.child.exitCode === null && worker.child.signalCode === null ? once(worker.child, 'exit') : undefined)));
}
