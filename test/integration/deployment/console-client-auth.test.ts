/**
 * Console client authorization end to end with Debian's tor, network disabled: tor makes the
 * console's onion address, `console-client-auth` makes an investigator's key for it, and tor loads
 * both the service's .auth file and the client's .auth_private file without complaint.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compiledEntry } from '../../helpers/compiled-server';
import { parseOnionAddress } from '../../../crypto/index';
import { onionServiceDirectories } from '../../../server/operations/torrc';
import { privateTempDir, startTorOffline, torrcInput, writeTorrc } from './tor';

function admin(args: readonly string[]) {
  const run = spawnSync(process.execPath, [compiledEntry('cli'), ...args], { cwd: process.cwd(), encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('console client authorization', () => {
  let dir: ReturnType<typeof privateTempDir> | undefined;
  afterEach(() => dir?.remove());

  it('when keys made by console-client-auth are installed, then tor loads them for the service and for the client', async () => {
    dir = privateTempDir();
    const torData = join(dir.path, 'tor');
    const torrc = writeTorrc(join(dir.path, 'torrc'), torrcInput(torData, true));
    const services = onionServiceDirectories(torData);

    // First start: tor makes the onion services' keys and addresses, as on a first deployment.
    await startTorOffline(torrc);
    const hostname = readFileSync(join(services.console, 'hostname'), 'utf8').trim();
    // A real address passes the checksum check the command applies to --onion.
    const address = parseOnionAddress(hostname);

    const made = admin(['console-client-auth', '--name', 'alice', '--onion', hostname]);
    expect(made.status, made.stderr).toBe(0);
    const authLine = made.stdout.split('\n').find((line) => line.startsWith('descriptor:x25519:'));
    const privateLine = made.stdout.split('\n').find((line) => line.startsWith(`${address}:descriptor:x25519:`));
    expect(authLine).toMatch(/^descriptor:x25519:[A-Z2-7]{52}$/);
    expect(privateLine).toMatch(/^[a-z2-7]{56}:descriptor:x25519:[A-Z2-7]{52}$/);
    // The key Tor Browser asks for is the private line's key part, printed on a line of its own.
    expect(made.stdout.split('\n')).toContain(privateLine!.split(':').at(-1));
    writeFileSync(join(services.consoleClients, 'alice.auth'), `${authLine}\n`);
    const clientDir = join(dir.path, 'client-auth');
    mkdirSync(clientDir, { mode: 0o700 });
    writeFileSync(join(clientDir, 'alice.auth_private'), `${privateLine}\n`);

    const log = (await startTorOffline(torrc, ['--ClientOnionAuthDir', clientDir])).join('\n');
    expect(log).toContain('Loaded a client authorization key file alice.auth.');
    expect(log).toContain('Loaded a client authorization key file alice.auth_private.');
    expect(log).not.toMatch(/\[warn\].*[Cc]lient authorization/);
  });

  // The test above can fail: tor says so when a key file is wrong.
  it('when a .auth file holds a damaged key, then tor warns and does not load it', async () => {
    dir = privateTempDir();
    const torData = join(dir.path, 'tor');
    const torrc = writeTorrc(join(dir.path, 'torrc'), torrcInput(torData, true));
    const made = admin(['console-client-auth', '--name', 'bob']);
    expect(made.status, made.stderr).toBe(0);
    const authLine = made.stdout.split('\n').find((line) => line.startsWith('descriptor:x25519:'))!;
    mkdirSync(onionServiceDirectories(torData).consoleClients, { recursive: true, mode: 0o700 });
    writeFileSync(join(onionServiceDirectories(torData).consoleClients, 'bob.auth'), `${authLine.slice(0, -1)}\n`);

    const log = (await startTorOffline(torrc)).join('\n');
    expect(log).toMatch(/\[warn\].*[Cc]lient authorization/);
    expect(log).not.toContain('Loaded a client authorization key file bob.auth.');
  });

  it('when the name or the onion address is not acceptable, then the command exits with 1 and names the option', () => {
    const badName = admin(['console-client-auth', '--name', '../alice']);
    expect(badName.status).toBe(1);
    expect(badName.stderr).toContain('--name:');
    const mistyped = admin(['console-client-auth', '--name', 'alice', '--onion', '2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wie']);
    expect(mistyped.status).toBe(1);
    expect(mistyped.stderr).toContain('--onion:');
    expect(mistyped.stdout).toBe('');
  });
});
