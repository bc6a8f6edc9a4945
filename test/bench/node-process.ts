/**
 * Child Node processes for the load benchmarks: servers that run until stopped, and scripts that
 * print their result on stdout. Each runs from the repository root: TypeScript through tsx,
 * compiled JavaScript (dist/server/start.js) by Node alone, as `npm start` runs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
const KEPT_STDERR_LINES = 20;

/** A port that was free a moment ago: the kernel picks it for a listener on port 0, which then closes. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('The listener has no TCP port.');
  return address.port;
}

/**
 * The caller's environment without its CANDOR_* settings, so that a child's configuration comes
 * from the benchmark alone and not from whatever the shell running it has set.
 */
function childEnvironment(overrides: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith('CANDOR_'));
  return { ...Object.fromEntries(inherited), ...overrides };
}

function spawnTsx(script: string, args: readonly string[], env: Readonly<Record<string, string>>, stderr: 'pipe' | 'inherit'): ChildProcess {
  const loader = script.endsWith('.js') ? [] : ['--import', 'tsx'];
  return spawn(process.execPath, [...loader, script, ...args], {
    cwd: REPO_ROOT,
    env: childEnvironment(env),
    stdio: ['ignore', 'pipe', stderr],
  });
}

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

async function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return true;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    await once(child, 'exit', { signal: timeout });
    return true;
  } catch {
    return hasExited(child);
  }
}

/** SIGTERM, so the server closes its database; SIGKILL if it has not exited after a grace period. */
async function terminate(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  child.kill('SIGTERM');
  if (await waitForExit(child, STOP_GRACE_MS)) return;
  child.kill('SIGKILL');
  await waitForExit(child, STOP_GRACE_MS);
}

export interface ServerProcess {
  /** The `node` process itself (spawned directly, not through a shell), so /proc/<pid> is the server's. */
  readonly pid: number;
  /** The address the server announced, without a trailing slash. */
  readonly url: string;
  /** How many lines the server wrote on stderr (the intake logs warnings and errors there). */
  stderrLineCount(): number;
  /** The last of those lines. */
  stderrTail(): readonly string[];
  stop(): Promise<void>;
}

export interface ServerOptions {
  readonly script: string;
  readonly env: Readonly<Record<string, string>>;
  /** The server prints this, then its URL, on stdout once it accepts connections. */
  readonly readyPrefix: string;
}

export async function startServerProcess(options: ServerOptions): Promise<ServerProcess> {
  const child = spawnTsx(options.script, [], options.env, 'pipe');
  const tail: string[] = [];
  let stderrLines = 0;
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderrLines++;
    tail.push(line);
    if (tail.length > KEPT_STDERR_LINES) tail.shift();
  });
  const describe = () => (tail.length > 0 ? `; its stderr ends with:\n${tail.join('\n')}` : '');

  try {
    const url = await new Promise<string>((resolve, reject) => {
      // Read all of stdout for as long as the server runs: the intake logs each request there, and
      // a full pipe would block it.
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line.startsWith(options.readyPrefix)) resolve(line.slice(options.readyPrefix.length).trim().replace(/\/$/, ''));
      });
      child.once('exit', (code, signal) => reject(new Error(`${options.script} exited before it was ready (${signal ?? `code ${code}`})${describe()}`)));
      child.once('error', reject);
      setTimeout(() => reject(new Error(`${options.script} was not ready within ${READY_TIMEOUT_MS / 1000} s${describe()}`)), READY_TIMEOUT_MS).unref();
    });
    return {
      pid: child.pid!,
      url,
      stderrLineCount: () => stderrLines,
      stderrTail: () => [...tail],
      stop: () => terminate(child),
    };
  } catch (error) {
    await terminate(child);
    throw error;
  }
}

/** Runs a script to its end and returns its stdout; its stderr (progress) shows on ours. */
export async function runNodeScript(script: string, args: readonly string[], timeoutMs: number): Promise<string> {
  const child = spawnTsx(script, args, {}, 'inherit');
  const chunks: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk));
  try {
    let closed: unknown[];
    try {
      // 'close', not 'exit': it comes after stdout has been read to its end.
      closed = await once(child, 'close', { signal: AbortSignal.timeout(timeoutMs) });
    } catch (cause) {
      throw new Error(`${script} did not finish within ${timeoutMs / 1000} s`, { cause });
    }
    const [code, signal] = closed as [number | null, NodeJS.Signals | null];
    if (code !== 0) throw new Error(`${script} failed (${signal ?? `exit code ${code}`})`);
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    await terminate(child);
  }
}
