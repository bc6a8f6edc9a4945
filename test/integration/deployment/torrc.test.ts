/**
 * The torrc of the deployment (config/torrc.template, server/operations/torrc.ts) as Debian's tor
 * reads it: `tor --verify-config` on the rendered file, with the data directory in a private
 * temporary directory, for the full configuration and the intake-only one the tor image starts with.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compiledEntry } from '../../helpers/compiled-server';
import { readTorrcTemplate, renderTorrc, TorrcError } from '../../../server/operations/torrc';
import { privateTempDir, runTor, torrcInput, writeTorrc } from './tor';

/** The options of each onion service, in the order tor reads them. */
function onionServices(torrc: string): Map<string, string[]> {
  const services = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of torrc.split('\n').map((text) => text.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const [option = '', ...rest] = line.split(/\s+/);
    if (option === 'HiddenServiceDir') services.set(rest.join(' '), (current = []));
    else if (option.startsWith('HiddenService')) current?.push(line);
  }
  return services;
}

describe('the rendered torrc', () => {
  let dir: ReturnType<typeof privateTempDir> | undefined;
  afterEach(() => dir?.remove());

  it.each([
    ['with', true],
    ['without', false],
  ])('when rendered %s the console, then tor --verify-config accepts it', (_case, withConsole) => {
    dir = privateTempDir();
    const torrc = writeTorrc(join(dir.path, 'torrc'), torrcInput(join(dir.path, 'tor'), withConsole));
    const verified = runTor(['--verify-config', '-f', torrc]);
    expect(verified.output).toContain('Configuration was valid');
    expect(verified.ok).toBe(true);
  });

  it('when rendered, then each onion service has the proof-of-work defence and targets the app by IP address', () => {
    dir = privateTempDir();
    const tor = join(dir.path, 'tor');
    const services = onionServices(renderTorrc(readTorrcTemplate(), torrcInput(tor, true)));
    expect([...services.keys()]).toEqual([join(tor, 'intake'), join(tor, 'console')]);
    expect(services.get(join(tor, 'intake'))).toEqual(expect.arrayContaining(['HiddenServicePort 80 127.0.0.1:8080', 'HiddenServicePoWDefensesEnabled 1']));
    expect(services.get(join(tor, 'console'))).toEqual(expect.arrayContaining(['HiddenServicePort 80 127.0.0.1:8081', 'HiddenServicePoWDefensesEnabled 1']));
    const intakeOnly = onionServices(renderTorrc(readTorrcTemplate(), torrcInput(tor, false)));
    expect([...intakeOnly.keys()]).toEqual([join(tor, 'intake')]);
  });

  it('when an IPv6 address is the target, then it is written in brackets and tor accepts it', () => {
    dir = privateTempDir();
    const input = { ...torrcInput(join(dir.path, 'tor'), true), intake: { address: '::1', port: 8080 } };
    const torrc = writeTorrc(join(dir.path, 'torrc'), input);
    expect(readFileSync(torrc, 'utf8')).toContain('HiddenServicePort 80 [::1]:8080');
    expect(runTor(['--verify-config', '-f', torrc]).ok).toBe(true);
  });

  // The check above can fail: tor refuses what the renderer must never produce.
  it('when the target is a host name or the data directory is readable by others, then tor refuses the configuration', () => {
    dir = privateTempDir();
    const torrc = writeTorrc(join(dir.path, 'torrc'), torrcInput(join(dir.path, 'tor'), true));
    const withHostName = join(dir.path, 'torrc-host-name');
    writeFileSync(withHostName, readFileSync(torrc, 'utf8').replace('127.0.0.1:8081', 'candor:8081'));
    expect(runTor(['--verify-config', '-f', withHostName]).ok).toBe(false);
    mkdirSync(join(dir.path, 'tor', 'console'), { recursive: true });
    chmodSync(join(dir.path, 'tor', 'console'), 0o750);
    const loose = runTor(['--verify-config', '-f', torrc]);
    expect(loose.output).toContain('too permissive');
    expect(loose.ok).toBe(false);
  });

  it.each([
    ['a host name as target', { intake: { address: 'candor', port: 8080 } }, 'intake.address'],
    ['a relative data directory', { dataDirectory: 'var/lib/tor' }, 'dataDirectory'],
    ['a data directory with ".."', { dataDirectory: '/var/lib/../tor' }, 'dataDirectory'],
    ['a data directory with a space', { dataDirectory: '/var/lib/my tor' }, 'dataDirectory'],
    ['port 0', { console: { address: '127.0.0.1', port: 0 } }, 'console.port'],
  ])('when asked for %s, then the renderer refuses and names the field', (_case, change, field) => {
    const render = () => renderTorrc(readTorrcTemplate(), { ...torrcInput('/var/lib/tor', true), ...change });
    expect(render).toThrow(TorrcError);
    expect(render).toThrow(field);
  });

  it('when the template has an unknown placeholder or no console section, then the renderer refuses it', () => {
    const template = readTorrcTemplate();
    expect(() => renderTorrc(`${template}HiddenServiceDir {{elsewhere}}\n`, torrcInput('/var/lib/tor', true))).toThrow('{{elsewhere}}');
    expect(() => renderTorrc(template.replace('## END console', ''), torrcInput('/var/lib/tor', true))).toThrow('console');
  });

  it('when the admin command renders it for the image, then it writes what the renderer renders, for the configured address', () => {
    dir = privateTempDir();
    const out = join(dir.path, 'torrc');
    const run = spawnSync(process.execPath, [compiledEntry('cli'), 'torrc', '--out', out, '--without-console'], {
      cwd: process.cwd(),
      env: { ...process.env, CANDOR_INTAKE_HOST: '172.30.80.10', CANDOR_CONSOLE_HOST: '172.30.80.10' },
    });
    expect(run.status, run.stderr.toString()).toBe(0);
    const input = { ...torrcInput('/var/lib/tor', false), intake: { address: '172.30.80.10', port: 8080 }, console: { address: '172.30.80.10', port: 8081 } };
    expect(readFileSync(out, 'utf8')).toBe(renderTorrc(readTorrcTemplate(), input));
  });
});
