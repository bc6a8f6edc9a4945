/**
 * `npm run admin -- build-clients`, which the image build runs: afterwards `npm start` must find
 * both clients complete for the pinned keys, because in the container it cannot write them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pinnedKeysDocument } from '../../../client/build/pinned-keys';
import { resolveConfig } from '../../../config/schema';
import { generateDirectoryKeyPair } from '../../../crypto/index';
import { ensureClientBuilt } from '../../../server/client-build';

describe('build-clients', () => {
  let work: string | undefined;
  afterEach(() => work && rmSync(work, { recursive: true, force: true }));

  it('when run, then both clients and their asset manifests are built, and npm start finds nothing left to build', async () => {
    work = mkdtempSync(join(tmpdir(), 'candor-build-clients-'));
    const env = {
      CANDOR_PINNED_KEYS_FILE: join(work, 'pinned-directory-keys.json'),
      CANDOR_INTAKE_CLIENT_DIR: join(work, 'intake'),
      CANDOR_CONSOLE_CLIENT_DIR: join(work, 'console'),
      CANDOR_DATA_DIR: join(work, 'data'),
    };
    writeFileSync(env.CANDOR_PINNED_KEYS_FILE, JSON.stringify(pinnedKeysDocument([generateDirectoryKeyPair().publicKey])));

    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'build-clients'], { cwd: process.cwd(), env: { ...process.env, ...env }, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('Built the clients');
    for (const dir of [env.CANDOR_INTAKE_CLIENT_DIR, env.CANDOR_CONSOLE_CLIENT_DIR]) {
      for (const file of ['index.html', 'asset-manifest.json']) expect(existsSync(join(dir, file)), join(dir, file)).toBe(true);
    }
    expect(await ensureClientBuilt(resolveConfig({}, env))).toBe('up-to-date');
  });
});
