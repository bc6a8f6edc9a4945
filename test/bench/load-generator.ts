/**
 * The load generator, run as its own process so that the server's event loop competes with nothing
 * of the client's: `node --import tsx test/bench/load-generator.ts --target intake|hello --url URL
 * --concurrency C --creations N --status-checks M [--data-dir DIR]`. Prints a LoadReport as JSON on
 * stdout; progress goes to stderr.
 *
 * Against the intake, a creation is what the browser does (proof-of-work challenge, solution, POST
 * /cases) and a status check is a signed GET /case chained on the last answer's challenge. Against
 * the hello-world baseline, each does as many plain GET /hello round trips.
 */
import { parseArgs } from 'node:util';
import { positiveInteger } from './cli-options';
import { createCase, fetchDemoRecipients, prepareCase, ReporterSession, type PreparedCase } from './intake-client';
import { runPhase, type LoadReport, type LoadTarget, type Operation, type PhaseResult } from './load-phase';

const CREATION_REQUESTS = 2;
const STATUS_REQUESTS = 1;

interface Options {
  readonly target: LoadTarget;
  readonly url: string;
  readonly concurrency: number;
  readonly creations: number;
  readonly statusChecks: number;
  readonly dataDir: string | undefined;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      target: { type: 'string' },
      url: { type: 'string' },
      concurrency: { type: 'string' },
      creations: { type: 'string' },
      'status-checks': { type: 'string' },
      'data-dir': { type: 'string' },
    },
    strict: true,
  });
  if (values.target !== 'intake' && values.target !== 'hello') throw new RangeError('--target must be intake or hello.');
  if (values.url === undefined) throw new RangeError('--url is required.');
  if (values.target === 'intake' && values['data-dir'] === undefined) throw new RangeError('--data-dir is required for the intake (its pinned directory key).');
  return {
    target: values.target,
    url: values.url.replace(/\/$/, ''),
    concurrency: positiveInteger('concurrency', values.concurrency),
    creations: positiveInteger('creations', values.creations),
    statusChecks: positiveInteger('status-checks', values['status-checks']),
    dataDir: values['data-dir'],
  };
}

const progress = (message: string) => process.stderr.write(`[load-generator] ${message}\n`);

// Warm-up: one operation per worker for creations (each uses up a prepared case), a few for reads.
const creationWarmup = (options: Options) => options.concurrency;
const statusWarmup = (options: Options) => 4 * options.concurrency;

async function intakeLoad(options: Options): Promise<Omit<LoadReport, 'target' | 'concurrency'>> {
  const recipients = await fetchDemoRecipients(options.url, options.dataDir!);
  const count = options.creations + creationWarmup(options);
  progress(`preparing ${count} cases (keys, encrypted report, sealed reporter copy)`);
  const prepared: PreparedCase[] = [];
  for (let i = 0; i < count; i++) prepared.push(await prepareCase(recipients, `Benchmark report ${i}: payments routed through a shell company.`));

  progress(`creating ${options.creations} cases, ${options.concurrency} at a time`);
  const caseCreation = await runPhase(
    { concurrency: options.concurrency, operations: options.creations, warmup: creationWarmup(options), requestsPerOperation: CREATION_REQUESTS },
    (_worker, index) => createCase(options.url, prepared[index]!),
  );

  // Each worker reads its own case, as each reporter reads only theirs; the challenge fetch is setup.
  const sessions = prepared.slice(0, options.concurrency).map((one) => new ReporterSession(options.url, one.keys));
  await Promise.all(sessions.map((session) => session.authenticate()));
  progress(`checking status ${options.statusChecks} times, ${options.concurrency} at a time`);
  const statusCheck = await runPhase(
    { concurrency: options.concurrency, operations: options.statusChecks, warmup: statusWarmup(options), requestsPerOperation: STATUS_REQUESTS },
    async (worker) => {
      await sessions[worker]!.send('GET', '/api/v1/case', 200);
    },
  );
  return { caseCreation, statusCheck };
}

async function hello(url: string): Promise<void> {
  const response = await fetch(`${url}/hello`);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`GET /hello: expected HTTP 200, got ${response.status}`);
}

async function helloLoad(options: Options): Promise<Omit<LoadReport, 'target' | 'concurrency'>> {
  const phase = (operations: number, warmup: number, requestsPerOperation: number, operation: Operation): Promise<PhaseResult> =>
    runPhase({ concurrency: options.concurrency, operations, warmup, requestsPerOperation }, operation);
  progress(`${options.creations} operations of ${CREATION_REQUESTS} GET /hello, ${options.concurrency} at a time`);
  const caseCreation = await phase(options.creations, creationWarmup(options), CREATION_REQUESTS, async () => {
    await hello(options.url);
    await hello(options.url);
  });
  progress(`${options.statusChecks} GET /hello, ${options.concurrency} at a time`);
  const statusCheck = await phase(options.statusChecks, statusWarmup(options), STATUS_REQUESTS, () => hello(options.url));
  return { caseCreation, statusCheck };
}

const options = parseOptions();
const phases = options.target === 'intake' ? await intakeLoad(options) : await helloLoad(options);
const report: LoadReport = { target: options.target, concurrency: options.concurrency, ...phases };
process.stdout.write(`${JSON.stringify(report)}\n`);
