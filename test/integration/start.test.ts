/** `npm start` as an operator meets it, compiled: first run creates the demo, SIGTERM stops it cleanly. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyBodyDirectory } from '../../protocol/body-directory';
import { DEFAULT_QUESTIONNAIRE } from '../../protocol/default-questionnaire';
import { DEMO_BODY_ID } from '../../server/demo-setup';
import { readDirectoryPins } from '../../tools/client-build/pinned-keys';
import { compiledEntry } from '../helpers/compiled-server';

const START = compiledEntry('start');
const dataDir = mkdtempSync(join(tmpdir(), 'candor-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

interface Started {
  readonly child: ChildProcessWithoutNullStreams;
  readonly output: () => string;
  readonly exit: Promise<number | null>;
}

function start(env: Record<string, string>): Started {
  const child = spawn(process.execPath, [START], {
    cwd: process.cwd(),
    env: { ...process.env, CANDOR_DATA_DIR: dataDir, CANDOR_INTAKE_CLIENT_DIR: join(dataDir, 'client'), CANDOR_CONSOLE_CLIENT_DIR: join(dataDir, 'console-client'), ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

/** Resolves when the output shows `text`, or rejects when the process ends first. */
function waitFor(started: Started, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (started.output().includes(text)) {
        started.child.stdout.off('data', check);
        resolve();
      }
    };
    started.child.stdout.on('data', check);
    void started.exit.then(() => reject(new Error(`exited before printing "${text}":\n${started.output()}`)));
    check();
  });
}

describe('npm start', () => {
  it('when started on an empty data directory, then it creates the demo, serves the intake and the console on loopback, and stops on SIGTERM', async () => {
    const port = await freePort();
    const consolePort = await freePort();
    const started = start({ CANDOR_INTAKE_PORT: String(port), CANDOR_CONSOLE_PORT: String(consolePort) });
    await waitFor(started, 'Candor intake:');
    expect(started.output()).toContain('DEMO SETUP CREATED');
    expect(started.output()).toContain(`http://127.0.0.1:${port}/`);
    expect(started.output()).toContain(`Candor review console: http://localhost:${consolePort}/`);
    const bodies = (await (await fetch(`http://127.0.0.1:${port}/api/v1/bodies`)).json()) as { bodies: { id: string }[] };
    expect(bodies.bodies.map((body) => body.id)).toEqual(['demo-anti-corruption-office']);
    expect(started.output()).toContain('Demo body: demo-anti-corruption-office');
    // Its directory (version 2) verifies with the key pinned for it alone, from serial 1, and signs what the intake shows.
    const pins = readDirectoryPins(join(dataDir, 'pinned-directory-keys.json'));
    expect(Object.keys(pins)).toEqual([DEMO_BODY_ID]);
    expect(pins[DEMO_BODY_ID]!.minimumSerial).toBe(1);
    const served = (await (await fetch(`http://127.0.0.1:${port}/api/v1/bodies/${DEMO_BODY_ID}`)).json()) as { signedDirectory: unknown };
    const directory = await verifyBodyDirectory(served.signedDirectory, { pins, bodyId: DEMO_BODY_ID });
    expect({ serial: directory.serial, roles: [...directory.roles.values()], questionnaire: directory.questionnaire }).toEqual({ serial: 1, roles: ['Investigator'], questionnaire: DEFAULT_QUESTIONNAIRE });
    expect(directory.policy?.['en']).toContain('demonstration');
    // The printed demo login opens the console's first step; the intake knows nothing of it.
    const login = /demo investigator: (\S+) \/ (\S+)/.exec(started.output());
    expect(login).not.toBeNull();
    const signIn = (base: string) =>
      fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: login![1], password: login![2] }) });
    const answer = await signIn(`http://127.0.0.1:${consolePort}`);
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { stage: string }).stage).toBe('password');
    expect((await signIn(`http://127.0.0.1:${port}`)).status).toBe(404);
    started.child.kill('SIGTERM');
    expect(await started.exit).toBe(0);
    expect(started.output()).toContain('"event":"shutdown"');
  });

  it('when started again on the same data directory, then the demo is not made again', async () => {
    const port = await freePort();
    const started = start({ CANDOR_INTAKE_PORT: String(port), CANDOR_CONSOLE_PORT: String(await freePort()) });
    await waitFor(started, 'Candor intake:');
    expect(started.output()).not.toContain('DEMO SETUP CREATED');
    started.child.kill('SIGTERM');
    expect(await started.exit).toBe(0);
  });

  it('when the demo is turned off, then an empty data directory gets no demo body and the operator is told what to do', async () => {
    const emptyDir = mkdtempSync(join(tmpdir(), 'candor-start-nodemo-'));
    try {
      // The clients built by the first test, for its pinned keys: nothing to build again.
      const pinned = join(dataDir, 'pinned-directory-keys.json');
      const started = start({ CANDOR_DEMO: 'false', CANDOR_DATA_DIR: emptyDir, CANDOR_PINNED_KEYS_FILE: pinned, CANDOR_INTAKE_PORT: String(await freePort()), CANDOR_CONSOLE_PORT: String(await freePort()) });
      await waitFor(started, 'Candor intake:');
      expect(started.output()).not.toContain('DEMO SETUP CREATED');
      expect(started.output()).toContain('No body yet: create one with `npm run admin -- create-body`');
      started.child.kill('SIGTERM');
      expect(await started.exit).toBe(0);
    } finally {
      rmSync(emptyDir, { recursive: true, force: true });
    }
  });

  it('when the configuration is invalid, then it names the key and its variable and exits with status 2', async () => {
    const started = start({ CANDOR_INTAKE_PORT: 'eighty' });
    expect(await started.exit).toBe(2);
    expect(started.output()).toContain('intake.port (CANDOR_INTAKE_PORT)');
  });
});
