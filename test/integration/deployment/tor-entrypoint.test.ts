/**
 * The tor image's entry point (config/tor-entrypoint.sh), run with the rendered configurations and
 * `--verify-config`: the console's onion service is configured only once an investigator is
 * authorized, because tor serves it to anyone while authorized_clients/ is empty.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { authorizedClientLine, generateOnionClientAuthKey } from '../../../crypto/index';
import { onionServiceDirectories } from '../../../server/operations/torrc';
import { privateTempDir, runTor, torrcInput, writeTorrc } from './tor';

const ENTRYPOINT = 'config/tor-entrypoint.sh';

describe('the tor entry point', () => {
  let dir: ReturnType<typeof privateTempDir> | undefined;
  afterEach(() => dir?.remove());

  function setUp() {
    dir = privateTempDir();
    const torData = join(dir.path, 'tor');
    const config = join(dir.path, 'etc');
    mkdirSync(config);
    writeTorrc(join(config, 'torrc'), torrcInput(torData, true));
    writeTorrc(join(config, 'torrc.intake-only'), torrcInput(torData, false));
    const clients = onionServiceDirectories(torData).consoleClients;
    const start = () => runTor([ENTRYPOINT, '--verify-config'], { ...process.env, CANDOR_TORRC_DIR: config, CANDOR_CONSOLE_CLIENTS_DIR: clients }, 'sh');
    return { config, clients, torData, start };
  }

  it('when no investigator is authorized, then tor starts with the intake alone, and says why', () => {
    const { config, clients, torData, start } = setUp();
    const run = start();
    expect(run.ok, run.output).toBe(true);
    expect(run.output).toContain(`Read configuration file "${join(config, 'torrc.intake-only')}"`);
    expect(run.output).toContain("the review console's onion service stays off");
    // Created for the operator to put .auth files in, private as tor demands.
    for (const path of [join(torData, 'console'), clients]) expect(statSync(path).mode & 0o777).toBe(0o700);
  });

  it('when a file other than a .auth file is in the directory, then the console still stays off', () => {
    const { config, clients, start } = setUp();
    mkdirSync(clients, { recursive: true });
    writeFileSync(join(clients, 'alice.auth.txt'), 'descriptor:x25519:AAAA\n');
    expect(start().output).toContain(`Read configuration file "${join(config, 'torrc.intake-only')}"`);
  });

  it('when an investigator is authorized, then tor starts with the console as well', () => {
    const { config, clients, start } = setUp();
    mkdirSync(clients, { recursive: true, mode: 0o700 });
    writeFileSync(join(clients, 'alice.auth'), `${authorizedClientLine(generateOnionClientAuthKey())}\n`);
    const run = start();
    expect(run.ok, run.output).toBe(true);
    expect(run.output).toContain(`Read configuration file "${join(config, 'torrc')}"`);
    expect(run.output).not.toContain('stays off');
    expect(run.output).not.toContain('authorizes nobody');
  });

  it('when the only .auth files are malformed, then the console stays off, because tor would skip them and serve it to anyone', () => {
    const { config, clients, start } = setUp();
    mkdirSync(clients, { recursive: true, mode: 0o700 });
    const valid = authorizedClientLine(generateOnionClientAuthKey());
    const malformed = {
      'placeholder.auth': 'descriptor:x25519:…\n',
      'short.auth': 'descriptor:x25519:AAAA\n',
      'empty.auth': '',
      'windows.auth': `${valid}\r\n`,
      'two-lines.auth': `${valid}\n${valid}\n`,
      'private-half.auth': `${'a'.repeat(56)}:descriptor:x25519:${valid.slice(-52)}\n`,
    };
    for (const [name, text] of Object.entries(malformed)) writeFileSync(join(clients, name), text);
    const run = start();
    expect(run.ok, run.output).toBe(true);
    expect(run.output).toContain(`Read configuration file "${join(config, 'torrc.intake-only')}"`);
    for (const name of Object.keys(malformed)) expect(run.output).toContain(`${join(clients, name)} is not one line`);
  });

  it('when a malformed .auth file sits beside a good one, then the console starts for the good one and the bad one is named', () => {
    const { config, clients, start } = setUp();
    mkdirSync(clients, { recursive: true, mode: 0o700 });
    writeFileSync(join(clients, 'alice.auth'), authorizedClientLine(generateOnionClientAuthKey()));
    writeFileSync(join(clients, 'bob.auth'), 'descriptor:x25519:typo\n');
    const run = start();
    expect(run.output).toContain(`Read configuration file "${join(config, 'torrc')}"`);
    expect(run.output).toContain(`${join(clients, 'bob.auth')} is not one line`);
    expect(run.output).not.toContain('alice.auth');
  });
});
