/**
 * `npm run admin -- build-clients`, which `npm run build` and so the image build run: afterwards
 * `npm start` must find both clients complete for the pinned keys, because in the container it
 * cannot write them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compiledEntry } from '../../helpers/compiled-server';
import { resolveConfig } from '../../../config/schema';
import { clientsBuiltForPinnedKeys } from '../../../server/client-build';
import { clientBuildSettings, type ClientBuildSettings } from './client-build-settings';

describe('build-clients', () => {
  let settings: ClientBuildSettings | undefined;
  afterEach(() => settings?.remove());

  it('when run, then both clients and their asset manifests are built, and npm start finds nothing left to build', async () => {
    settings = clientBuildSettings();
    const { env } = settings;
    const run = spawnSync(process.execPath, [compiledEntry('cli'), 'build-clients'], { cwd: process.cwd(), env: { ...process.env, ...env }, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('Built the clients');
    for (const dir of [env.CANDOR_INTAKE_CLIENT_DIR, env.CANDOR_CONSOLE_CLIENT_DIR]) {
      for (const file of ['index.html', 'asset-manifest.json']) expect(existsSync(join(dir, file)), join(dir, file)).toBe(true);
    }
    expect(clientsBuiltForPinnedKeys(resolveConfig({}, env))).toBe(true);
  });
});
