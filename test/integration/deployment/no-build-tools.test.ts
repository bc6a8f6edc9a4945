/**
 * The production image has no build tools (it installs no devDependencies). If it ever finds a
 * client to build, `npm start` (its preparation step) must say so plainly instead of failing on a
 * missing module.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveConfig } from '../../../config/schema';
import { ClientBuildUnavailableError, ensureClientBuilt } from '../../../tools/client-build/build-clients';
import { clientBuildSettings, type ClientBuildSettings } from './client-build-settings';

// As in the image: the package is not installed, so importing it fails.
vi.mock('vite', () => {
  throw new Error("Cannot find package 'vite'");
});

describe('a client to build without build tools', () => {
  let settings: ClientBuildSettings | undefined;
  afterEach(() => settings?.remove());

  it('when a client is missing, then the error names its folder and the command that builds it', async () => {
    settings = clientBuildSettings();
    const built = ensureClientBuilt(resolveConfig({}, settings.env));
    await expect(built).rejects.toBeInstanceOf(ClientBuildUnavailableError);
    await expect(built).rejects.toThrow(`The client in ${settings.env.CANDOR_INTAKE_CLIENT_DIR} is missing`);
    await expect(built).rejects.toThrow('npm run admin -- build-clients');
  });
});
