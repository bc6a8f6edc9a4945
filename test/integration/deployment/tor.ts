/**
 * Debian's tor, driven by the deployment tests: rendered configurations in private temporary
 * directories, `tor --verify-config`, and a start with the network disabled (nothing leaves the
 * machine) that shows which onion services and client keys tor loads.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readTorrcTemplate, renderTorrc, type TorrcInput } from '../../../server/operations/torrc';

export const APP_ADDRESS = '127.0.0.1';

/** A private directory (mode 0700, as tor demands of its data directory) removed by `remove()`. */
export function privateTempDir(): { readonly path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'candor-tor-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function torrcInput(dataDirectory: string, withConsole: boolean): TorrcInput {
  return { dataDirectory, intake: { address: APP_ADDRESS, port: 8080 }, console: { address: APP_ADDRESS, port: 8081 }, withConsole };
}

export function writeTorrc(path: string, input: TorrcInput): string {
  writeFileSync(path, renderTorrc(readTorrcTemplate(), input));
  return path;
}

export interface TorRun {
  readonly ok: boolean;
  readonly output: string;
}

export function runTor(args: readonly string[], env: NodeJS.ProcessEnv = process.env, command = 'tor'): TorRun {
  const result = spawnSync(command, args, { encoding: 'utf8', env, timeout: 30_000 });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

/** Tor's line once it has configured its onion services and loaded their keys, and starts bootstrapping. */
const STARTED = /Bootstrapped 0%/;

/**
 * Starts tor with the network disabled and the log at info level, waits until it has set up its
 * onion services (keys generated or loaded, client authorizations read), stops it and returns its log.
 */
export async function startTorOffline(torrc: string, options: readonly string[] = []): Promise<string[]> {
  const tor = spawn('tor', ['-f', torrc, '--DisableNetwork', '1', '--Log', 'info stdout', ...options], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const exited = once(tor, 'exit');
  const started = new Promise<void>((resolve, reject) => {
    createInterface({ input: tor.stdout }).on('line', (line) => {
      lines.push(line);
      if (STARTED.test(line)) resolve();
    });
    tor.stderr.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    exited.then(([code]) => reject(new Error(`tor exited (${String(code)}) before it started:\n${lines.join('\n')}`)), reject);
  });
  try {
    await started;
  } finally {
    tor.kill('SIGTERM');
    await exited;
  }
  return lines;
}
