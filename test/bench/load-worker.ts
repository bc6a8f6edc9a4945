/**
 * One process of the load generator (load-generator.ts forks it, with an IPC channel): it prepares
 * its share of the operations, then runs each phase's warm-up and measured run when told to, so
 * that every process measures at the same time. Progress goes to stderr; stdout stays unused.
 *
 * Against the intake, a creation is what the browser does (proof-of-work challenge, solution, POST
 * /cases) and a status check is a signed GET /case chained on the last answer's challenge, signed
 * with native Ed25519. Against the hello-world baseline, each does as many plain GET /hello round trips.
 */
import { parseArgs } from 'node:util';
import { positiveInteger } from './cli-options';
import { createCase, fetchDemoRecipients, prepareCase, ReporterSession, type PreparedCase } from './intake-client';
import { measure, warmUp, type Operation } from './load-phase';
import type { LoadPhaseName, ToCoordinator, ToWorker } from './load-messages';

interface Share {
  readonly target: 'intake' | 'hello';
  readonly url: string;
  readonly worker: number;
  readonly concurrency: number;
  readonly operations: Readonly<Record<LoadPhaseName, number>>;
  readonly warmups: Readonly<Record<LoadPhaseName, number>>;
  readonly dataDir: string | undefined;
}

function parseShare(): Share {
  const { values } = parseArgs({
    options: {
      target: { type: 'string' },
      url: { type: 'string' },
      worker: { type: 'string' },
      concurrency: { type: 'string' },
      creations: { type: 'string' },
      'creation-warmup': { type: 'string' },
      'status-checks': { type: 'string' },
      'status-warmup': { type: 'string' },
      'data-dir': { type: 'string' },
    },
    strict: true,
  });
  if (values.target !== 'intake' && values.target !== 'hello') throw new RangeError('--target must be intake or hello.');
  if (values.url === undefined) throw new RangeError('--url is required.');
  if (values.target === 'intake' && values['data-dir'] === undefined) throw new RangeError('--data-dir is required for the intake (its pinned directory key).');
  return {
    target: values.target,
    url: values.url,
    worker: Number(values.worker ?? 0),
    concurrency: positiveInteger('concurrency', values.concurrency),
    operations: { caseCreation: positiveInteger('creations', values.creations), statusCheck: positiveInteger('status-checks', values['status-checks']) },
    warmups: { caseCreation: positiveInteger('creation-warmup', values['creation-warmup']), statusCheck: positiveInteger('status-warmup', values['status-warmup']) },
    dataDir: values['data-dir'],
  };
}

const share = parseShare();
const progress = (message: string) => process.stderr.write(`[load-worker ${share.worker}] ${message}\n`);

/** What one operation of each phase does, once this process's inputs are prepared. */
type Operations = Readonly<Record<LoadPhaseName, { readonly before?: () => Promise<void>; readonly operation: Operation }>>;

async function intakeOperations(): Promise<Operations> {
  const recipients = await fetchDemoRecipients(share.url, share.dataDir!);
  const count = share.operations.caseCreation + share.warmups.caseCreation;
  const prepared: PreparedCase[] = [];
  for (let i = 0; i < count; i++) prepared.push(await prepareCase(recipients, `Benchmark report ${share.worker}.${i}: payments routed through a shell company.`));
  // Each client reads its own case, as each reporter reads only theirs; the first challenge is setup.
  const sessions = prepared.slice(0, share.concurrency).map((one) => new ReporterSession(share.url, one.keys));
  return {
    caseCreation: { operation: (_client, index) => createCase(share.url, prepared[index]!) },
    statusCheck: {
      before: async () => {
        await Promise.all(sessions.map((session) => session.authenticate()));
      },
      operation: async (client) => {
        await sessions[client]!.send('GET', '/api/v1/case', 200);
      },
    },
  };
}

async function hello(): Promise<void> {
  const response = await fetch(`${share.url}/hello`);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`GET /hello: expected HTTP 200, got ${response.status}`);
}

/** The baseline makes as many round trips per operation as the intake's phase. */
function helloOperations(): Operations {
  return {
    caseCreation: {
      operation: async () => {
        await hello();
        await hello();
      },
    },
    statusCheck: { operation: hello },
  };
}

const send = (message: ToCoordinator) => process.send!(message);

const operations = share.target === 'intake' ? await intakeOperations() : helloOperations();
process.on('message', (message: ToWorker) => {
  const phase = operations[message.phase];
  const work =
    message.type === 'warm-up'
      ? (async () => {
          await phase.before?.();
          await warmUp(share.concurrency, share.operations[message.phase], share.warmups[message.phase], phase.operation);
          send({ type: 'warmed', phase: message.phase });
        })()
      : measure(share.concurrency, share.operations[message.phase], phase.operation).then((run) => send({ type: 'measured', phase: message.phase, run }));
  work.catch((error: unknown) => {
    progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  });
});
// The coordinator disconnects once it has every phase, or when it dies: either way, this is done.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
