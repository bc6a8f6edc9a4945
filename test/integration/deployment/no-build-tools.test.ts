/**
 * The production image has no build tools (its devDependencies are pruned). If it ever finds a
 * client to build, `npm start` must say so plainly instead of failing on a missing module.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pinnedKeysDocument } from '../../../client/build/pinned-keys';
import { resolveConfig } from '../../../config/schema';
import { generateDirectoryKeyPair } from '../../../crypto/index';
import { ClientBuildUnavailableError, ensureClientBuilt } from '../../../server/client-build';

// As in the image: the package is not installed, so importing it fails.
vi.mock('vite', () => {
  throw new Error("Cannot find package 'vite'");
});

describe('a client to build without build tools', () => {
  let work: string | undefined;
  afterEach(() => work && rmSync(work, { recursive: true, force: true }));

  it('when a client is missing, then the error names its folder and the command that builds it', async () => {
    work = mkdtempSync(join(tmpdir(), 'candor-no-build-tools-'));
    const env = {
      CANDOR_PINNED_KEYS_FILE: join(work, 'pinned-directory-keys.json'),
      CANDOR_INTAKE_CLIENT_DIR: join(work, 'intake'),
      CANDOR_CONSOLE_CLIENT_DIR: join(work, 'console'),
      CANDOR_DATA_DIR: join(work, 'data'),
    };
    writeFileSync(env.CANDOR_PINNED_KEYS_FILE, JSON.stringify(pinnedKeysDocument([generateDirectoryKeyPair().publicKey])));
    const built = ensureClientBuilt(resolveConfig({}, env));
    await expect(built).rejects.toBeInstanceOf(ClientBuildUnavailableError);
    await expect(built).rejects.toThrow(`The client in ${env.CANDOR_INTAKE_CLIENT_DIR} is missing`);
    await expect(built).rejects.toThrow('npm run admin -- build-clients');
  });
});
